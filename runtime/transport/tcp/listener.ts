/**
 * A listening socket, behind the `Listener` interface.
 *
 * Node accepts every incoming connection as soon as the kernel has it and
 * announces it with a 'connection' event; Python leaves it in the kernel's
 * queue until the program calls accept(). To show the lessons Python's
 * picture, connections wait here, unread (pauseOnConnect), until accept()
 * takes them.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { throwIfAborted } from '../cancel.ts';
import { TransportError, checkBacklog, checkPort, checkTimeout, concurrentCall, nothingReady } from '../errors.ts';
import type { AcceptOptions, Connection, Endpoint, Listener, ListenOptions } from '../types.ts';
import { checkResolvable, endpointsOf, hostPort, plainAddress } from './addresses.ts';
import { TcpConnection, whenReleased, type Connected } from './connection.ts';
import type { TcpLimits } from './limits.ts';
import { fromNodeError } from './node-errors.ts';
import { PendingCall } from './pending-call.ts';

type PendingAccept = PendingCall<Connection>;

/** A queued socket is not read from, so it cannot fail; this guard is for the unforeseen. */
function ignoreWhileQueued(): void {}

export async function listenTcp(options: ListenOptions, limits: TcpLimits): Promise<Listener> {
  const { host, port, backlog } = options;
  const what = `listen on ${hostPort(host, port)}`;
  checkPort(port, { allowZero: true });
  checkBacklog(backlog);
  checkResolvable(host, what);
  // allowHalfOpen: after the peer's FIN this end may still send, as in Python.
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // ipv6Only: '::' listens on IPv6 alone, as the simulated network does,
      // instead of Node's default of taking IPv4 clients on it too.
      server.listen({ host, port, backlog, ipv6Only: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    server.close();
    throw fromNodeError(error, 'EADDRNOTAVAIL', what);
  }
  return new TcpListener(server, limits);
}

export class TcpListener implements Listener {
  readonly address: Endpoint;
  readonly #server: Server;
  readonly #limits: TcpLimits;
  readonly #queue: Connected[] = [];
  /** Python has one accept() per socket at a time, and so do we. */
  #waiting: PendingAccept | undefined;
  #closing: Promise<void> | undefined;

  constructor(server: Server, limits: TcpLimits) {
    const { address, port } = server.address() as AddressInfo;
    this.address = { host: plainAddress(address), port };
    this.#server = server;
    this.#limits = limits;
    server.on('connection', (socket: Socket) => this.#arrived(socket));
    // Failures of accepting once listening (EMFILE: out of file descriptors)
    // come here; fail the accept() that was waiting rather than leave it
    // hanging. No code fits such a failure exactly; the message keeps Node's.
    server.on('error', (error) => this.#take()?.reject(fromNodeError(error, 'ECONNRESET', 'accept()')));
  }

  /**
   * The next connection from the queue, or wait for one. A timeout or an
   * aborted signal fails only this call; a connection arriving afterwards
   * waits in the queue for the next accept().
   */
  accept(options: AcceptOptions = {}): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const { signal, timeoutMs } = options;
      checkTimeout(timeoutMs);
      throwIfAborted(signal, 'accept');
      if (this.#closing) throw new TransportError('ECLOSED', 'accept() on a listener this program already closed');
      if (this.#waiting) throw concurrentCall('accept', 'listener');
      const arrival = this.#queue.shift();
      if (arrival) return resolve(this.#open(arrival));
      if (timeoutMs === 0) throw nothingReady('accept');
      const waiting: PendingAccept = new PendingCall({ resolve, reject }, { call: 'accept', waitedFor: 'no client connected', timeoutMs, signal }, () => {
        if (this.#waiting === waiting) this.#waiting = undefined;
      });
      this.#waiting = waiting;
    });
  }

  /** Idempotent. Connections already accepted stay open. */
  close(): Promise<void> {
    if (!this.#closing) {
      // Node's close callback would also wait for every accepted connection
      // to end; a listening socket's close() does not, so we pass none.
      this.#server.close();
      // What the kernel does to connections still in its accept queue: reset them.
      for (const { socket } of this.#queue.splice(0)) socket.resetAndDestroy();
      this.#take()?.reject(new TransportError('ECLOSED', 'the listener was closed while accept() waited'));
      // The port is free already; Node releases the listening handle at the
      // end of this turn of the event loop, so resolve in the turn after.
      this.#closing = new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
    }
    return this.#closing;
  }

  #arrived(socket: Socket): void {
    // Reset before Node could even read its address: there is no one to
    // talk to, and no address to show. Let it go rather than hand it out.
    if (socket.remoteAddress === undefined) {
      socket.destroy();
      return;
    }
    socket.on('error', ignoreWhileQueued);
    const arrival: Connected = { socket, ...endpointsOf(socket), released: whenReleased(socket) };
    const waiter = this.#take();
    if (waiter) waiter.resolve(this.#open(arrival));
    // Over the limit the kernel would drop the SYN and let the client retry;
    // Node has already completed the handshake, so the newcomer is reset:
    // its connect() or first recv() fails with ECONNRESET.
    else if (this.#queue.length >= this.#limits.acceptQueueLimit) socket.resetAndDestroy();
    else this.#queue.push(arrival);
  }

  /** The waiting accept(), if any, no longer waiting. */
  #take(): PendingAccept | undefined {
    const waiter = this.#waiting;
    this.#waiting = undefined;
    return waiter;
  }

  #open(arrival: Connected): TcpConnection {
    arrival.socket.off('error', ignoreWhileQueued);
    return new TcpConnection(arrival, this.#limits);
  }
}
