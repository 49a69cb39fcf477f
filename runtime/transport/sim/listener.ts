/**
 * A listening socket: the accept queue of one bound address and port.
 *
 * `backlog` caps the connections that finished their handshake and wait for
 * accept(). Handshakes under way count against it too, so the queue never
 * overflows; when it is full a new SYN is dropped and the client's SYN
 * retransmission tries again later (see handshake.ts).
 *
 * Browser-safe: no `node:` import.
 */
import { concurrentCall, TransportError } from '../errors.ts';
import type { Connection, Endpoint, Listener } from '../types.ts';
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
   * @param backlog the accept queue's capacity, already clamped by the network.
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

  async accept(): Promise<Connection> {
    if (this.closed) throw new TransportError('ECLOSED', 'accept() on a listener this program already closed');
    if (this.waitingAccept) {
      throw concurrentCall('accept', 'listener');
    }
    const next = this.ready.shift();
    if (next) return next;
    this.waitingAccept = new Waiter<Connection>(this.scheduler);
    return this.waitingAccept.promise;
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
    if (this.closed || this.ready.length + this.handshakes >= this.backlog) return false;
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
