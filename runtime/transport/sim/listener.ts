/**
 * A listening socket: the accept queue of one bound address and port.
 *
 * As on Linux, `backlog + 1` connections may wait for accept() (the
 * kernel's test is `queued > backlog`; ACCEPT_QUEUE_EXTRA in ../linux.ts).
 * Handshakes under way count against it too, so the queue never overflows;
 * when it is full a new SYN is dropped and the client's SYN retransmission
 * tries again later (see handshake.ts). (Linux counts only finished
 * connections when a SYN arrives and drops the final ACK if the queue filled
 * meanwhile; the difference shows only when SYNs race for the last place.)
 *
 * Browser-safe: no `node:` import.
 */
import { throwIfAborted } from '../cancel.ts';
import { checkTimeout, concurrentCall, nothingReady, timedOut, TransportError } from '../errors.ts';
import { ACCEPT_QUEUE_EXTRA } from '../linux.ts';
import type { AcceptOptions, Connection, Endpoint, Listener } from '../types.ts';
import type { SimConnection } from './connection.ts';
import { Fifo } from './fifo.ts';
import type { Scheduler } from './scheduler.ts';
import { Waiter } from './waiter.ts';

export class SimListener implements Listener {
  private readonly ready = new Fifo<SimConnection>();
  private handshakes = 0;
  private waitingAccept: Waiter<Connection> | null = null;
  private closed = false;

  /**
   * @param backlog as asked for, already clamped to MAX_BACKLOG by the network; backlog + 1 may wait.
   * @param onClosed takes the listener off the network's address table.
   */
  constructor(
    private readonly scheduler: Scheduler,
    readonly address: Endpoint,
    readonly backlog: number,
    private readonly onClosed: () => void,
  ) {}

  /** Finished connections waiting for accept(). */
  get queued(): number {
    return this.ready.length;
  }

  /**
   * The next connection from the queue, or wait for one. A timeout or an
   * aborted signal fails only this call; a connection arriving afterwards
   * waits in the queue for the next accept().
   */
  async accept(options: AcceptOptions = {}): Promise<Connection> {
    const { timeoutMs, signal } = options;
    checkTimeout(timeoutMs);
    throwIfAborted(signal, 'accept');
    if (this.closed) throw new TransportError('ECLOSED', 'accept() on a listener this program already closed');
    if (this.waitingAccept) throw concurrentCall('accept', 'listener');
    const next = this.ready.shift();
    if (next) return next;
    if (timeoutMs === 0) throw nothingReady('accept');
    const waiter = new Waiter<Connection>(this.scheduler);
    const forget = () => {
      if (this.waitingAccept === waiter) this.waitingAccept = null;
    };
    this.waitingAccept = waiter;
    if (timeoutMs !== undefined) waiter.expireAfter(timeoutMs, () => (forget(), timedOut('accept', timeoutMs, 'no client connected')));
    waiter.cancelOn(signal, 'accept', forget);
    return waiter.promise;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
    // Nobody will accept these: their clients learn it from an RST, as on Linux.
    for (const connection of this.ready.drain()) connection.abort('its listener was closed before accept()');
    this.waitingAccept?.reject(new TransportError('ECLOSED', 'the listener was closed while accept() waited'));
    this.waitingAccept = null;
  }

  /** A SYN arrived: hold a place in the queue for it, or false when the backlog is full. */
  reserve(): boolean {
    if (this.closed || this.ready.length + this.handshakes >= this.backlog + ACCEPT_QUEUE_EXTRA) return false;
    this.handshakes++;
    return true;
  }

  /** The client gave up on a handshake this listener had a place for. */
  release(): void {
    this.handshakes--;
  }

  /** The handshake's final ACK arrived: the connection is ready for accept(). */
  join(connection: SimConnection): void {
    this.handshakes--;
    if (this.closed) {
      connection.abort('its listener was closed during the handshake');
      return;
    }
    const waiting = this.waitingAccept;
    if (waiting) {
      this.waitingAccept = null;
      waiting.resolve(connection);
    } else {
      this.ready.push(connection);
    }
  }
}
