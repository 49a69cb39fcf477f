/**
 * One end of a real TCP connection, behind the `Connection` interface.
 *
 * Node pushes bytes at us as they arrive ('data' events); the lessons pull
 * them with recv(max), as Python does. The receive buffer sits between the
 * two, and a full buffer pauses the socket so that the kernel, not our
 * memory, holds what the program is not reading yet.
 *
 * The rules follow Linux, as the simulated network's do (sim/connection.ts):
 * - After the peer's FIN and the last byte, recv() returns an empty array, every time.
 * - close() with unread bytes resets instead of sending FIN (RFC 2525, 2.17).
 * - A reset from the peer discards unread bytes. The next call reports it
 *   once: ECONNRESET, or EPIPE if the peer's FIN had come first. Afterwards
 *   send() fails with EPIPE and recv() returns end of data.
 * - One recv() and one send() may wait at a time; a second rejects EINVAL.
 */
import type { Socket } from 'node:net';
import {
  checkRecvMax,
  checkTimeout,
  closedError,
  concurrentCall,
  TransportError,
  type TransportErrorCode,
} from '../errors.ts';
import type { Connection, Endpoint, RecvOptions } from '../types.ts';
import { hostPort } from './addresses.ts';
import type { TcpLimits } from './limits.ts';
import { fromNodeError } from './node-errors.ts';
import { ReceiveBuffer } from './receive-buffer.ts';

interface PendingRecv {
  max: number;
  resolve(bytes: Uint8Array): void;
  reject(error: TransportError): void;
  timer?: ReturnType<typeof setTimeout>;
}

type Outcome = { bytes: Uint8Array } | { error: TransportError };


/**
 * Resolves on the socket's 'close' event, when Node has released its handle.
 * Call it as soon as the socket exists: the event fires once, and no flag
 * tells afterwards whether it has (`socket.closed` turns true earlier).
 */
export function whenReleased(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** A connected socket and what must be taken from it early. */
export interface Connected {
  socket: Socket;
  /** Read at once: after a reset Node may no longer know them. */
  local: Endpoint;
  remote: Endpoint;
  /** From `whenReleased`, taken when the socket was created. */
  released: Promise<void>;
}

export class TcpConnection implements Connection {
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly #socket: Socket;
  readonly #released: Promise<void>;
  readonly #limits: TcpLimits;
  readonly #peer: string;
  readonly #received = new ReceiveBuffer();
  /** We stopped reading because the receive buffer passed its high-water mark. */
  #paused = false;
  /** The peer's FIN has arrived. */
  #ended = false;
  /** The connection broke (peer reset): the error still to report, or 'reported'. */
  #broken: TransportError | 'reported' | undefined;
  /** Set by our own close() or reset(); from then on send() and recv() reject ECLOSED. */
  #closing: Promise<void> | undefined;
  #pendingRecv: PendingRecv | undefined;
  #sending = false;
  /** Our shutdown() sent FIN: no more sends, reading goes on. */
  #shutDown: Promise<void> | undefined;

  constructor({ socket, local, remote, released }: Connected, limits: TcpLimits) {
    this.#socket = socket;
    this.#released = released;
    this.local = local;
    this.remote = remote;
    this.#limits = limits;
    this.#peer = hostPort(remote.host, remote.port);
    socket.on('data', (chunk: Buffer) => this.#arrived(chunk));
    socket.on('end', () => {
      this.#ended = true;
      this.#settle();
    });
    socket.on('error', (error) => this.#broke(error));
    socket.on('close', () => this.#settle());
    // Accepted sockets start paused (pauseOnConnect): reading begins here.
    socket.resume();
  }

  /** Bytes received and not yet recv()ed. For tests of the high-water mark. */
  get bufferedBytes(): number {
    return this.#received.size;
  }

  /** True while reading is paused because the receive buffer is full. */
  get readingPaused(): boolean {
    return this.#paused;
  }

  recv(max: number, options: RecvOptions = {}): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      checkRecvMax(max);
      checkTimeout(options.timeoutMs);
      if (this.#closing) throw closedError('recv');
      if (this.#pendingRecv) throw concurrentCall('recv');
      const pending: PendingRecv = { max, resolve, reject };
      this.#pendingRecv = pending;
      const ms = options.timeoutMs;
      if (ms !== undefined) {
        pending.timer = setTimeout(() => {
          if (this.#pendingRecv !== pending) return;
          // Only this call fails; the connection and any bytes still to come are untouched.
          this.#pendingRecv = undefined;
          reject(new TransportError('ETIMEDOUT', `recv(): nothing arrived within ${ms} ms`));
        }, ms);
      }
      this.#settle();
    });
  }

  /**
   * Takes at most `sendChunkBytes` of the offer and resolves with how many
   * it took, once Node has handed them to the kernel. Node's write() would
   * queue any amount in user space, so the kernel's own partial sends cannot
   * be seen from here; the chunk limit stands in for the kernel's send
   * buffer. A peer that stops reading makes send() wait, as it would make a
   * blocking Python send() wait.
   */
  send(bytes: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!(bytes instanceof Uint8Array)) throw new TransportError('EINVAL', 'send() takes a Uint8Array');
      if (this.#closing) throw closedError('send');
      if (this.#broken) throw this.#report('EPIPE');
      if (this.#shutDown) throw new TransportError('EPIPE', 'send() after shutdown(): this end already sent its FIN');
      if (this.#sending) throw concurrentCall('send');
      if (bytes.length === 0) return resolve(0);
      this.#sending = true;
      const part = bytes.subarray(0, this.#limits.sendChunkBytes);
      this.#socket.write(part, (error) => {
        this.#sending = false;
        // Node may complete a write cut short by destroy() without an error, so check the socket too.
        if (!error && !this.#socket.destroyed) return resolve(part.length);
        if (this.#closing) return reject(closedError('send'));
        if (error) this.#broke(error);
        reject(this.#report('EPIPE'));
      });
    });
  }

  /** FIN after the bytes already sent; the socket stays open for reading (allowHalfOpen). Idempotent. */
  shutdown(): Promise<void> {
    if (this.#closing) return Promise.reject(closedError('shutdown'));
    this.#shutDown ??= new Promise((resolve) => this.#socket.end(() => resolve()));
    return this.#shutDown;
  }

  /**
   * FIN after the bytes already sent, then release the socket without
   * waiting for the peer's FIN: Python's close() does not wait for it either
   * (the kernel finishes the exchange). Idempotent: every call gets the same promise.
   */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    // Closing with unread bytes loses them: RFC 2525 (2.17) says to tell the
    // peer with RST rather than a FIN that would pretend all went well.
    if (this.#received.size > 0) return this.reset();
    this.#closing = this.#end();
    this.#abandonRecv();
    return this.#closing;
  }

  /** RST instead of FIN: the peer's next call fails with ECONNRESET. Nothing to do if already closed. */
  reset(): Promise<void> {
    if (this.#closing) return this.#closing;
    const socket = this.#socket;
    this.#closing = this.#released;
    this.#received.clear();
    if (!socket.destroyed) socket.resetAndDestroy();
    this.#abandonRecv();
    return this.#closing;
  }

  #end(): Promise<void> {
    const socket = this.#socket;
    const closed = this.#released;
    if (socket.destroyed) return closed;
    // Bytes still queued in Node must reach the kernel before the FIN can;
    // a peer that stopped reading could keep them there forever.
    const limit = setTimeout(() => {
      if (!socket.destroyed) socket.resetAndDestroy();
    }, this.#limits.closeFlushLimitMs);
    void closed.then(() => clearTimeout(limit));
    // 'finish': the FIN is with the kernel. We allow half-open connections
    // (the peer may still send after our FIN, as in Python), so Node would
    // keep the socket until the peer's FIN; we let go of it here instead.
    if (socket.writableFinished) {
      // shutdown() already sent the FIN.
      socket.destroy();
    } else {
      socket.once('finish', () => socket.destroy());
      socket.end();
    }
    return closed;
  }

  #abandonRecv(): void {
    const pending = this.#pendingRecv;
    if (!pending) return;
    this.#pendingRecv = undefined;
    clearTimeout(pending.timer);
    pending.reject(new TransportError('ECLOSED', 'this end was closed while recv() waited'));
  }

  /** Node reported the connection broken; Node destroys the socket after this. */
  #broke(error: unknown): void {
    if (!this.#closing && this.#broken === undefined) {
      const raised = fromNodeError(error, 'ECONNRESET', `connection with ${this.#peer}`);
      // Linux's rule for a reset after the peer's FIN (CLOSE_WAIT): broken pipe.
      const afterFin = this.#ended && raised.code === 'ECONNRESET';
      this.#broken = afterFin ? new TransportError('EPIPE', raised.message) : raised;
      // A reset discards what was not read yet, as the kernel does.
      this.#received.clear();
    }
    this.#settle();
  }

  /** The error the break left, reported once; `otherwise` once it has been. */
  #report(otherwise: TransportErrorCode): TransportError {
    const error = this.#broken instanceof TransportError ? this.#broken : undefined;
    this.#broken = 'reported';
    return error ?? new TransportError(otherwise, `connection with ${this.#peer} is broken`);
  }

  #arrived(chunk: Buffer): void {
    // A plain Uint8Array view of Node's Buffer, so callers never receive a Buffer.
    this.#received.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#settle();
    if (!this.#paused && this.#received.size > this.#limits.receiveHighWaterMark) {
      this.#paused = true;
      this.#socket.pause();
    }
  }

  /** Answer the waiting recv(), if there is now something to answer it with. */
  #settle(): void {
    const pending = this.#pendingRecv;
    if (!pending) return;
    const outcome = this.#outcome(pending.max);
    if (!outcome) return;
    this.#pendingRecv = undefined;
    clearTimeout(pending.timer);
    if ('bytes' in outcome) pending.resolve(outcome.bytes);
    else pending.reject(outcome.error);
  }

  /** Bytes first, then end of data, then a break (reported once, end of data after that). */
  #outcome(max: number): Outcome | undefined {
    if (this.#received.size > 0) return { bytes: this.#take(max) };
    if (this.#ended || this.#broken === 'reported') return { bytes: new Uint8Array(0) };
    if (this.#broken) return { error: this.#report('ECONNRESET') };
    // Closed without a word from Node (not expected): treat it as a reset.
    if (this.#socket.destroyed) return { error: this.#report('ECONNRESET') };
    return undefined;
  }

  #take(max: number): Uint8Array {
    const bytes = this.#received.take(max);
    if (this.#paused && this.#received.size <= this.#limits.receiveHighWaterMark / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    return bytes;
  }
}
