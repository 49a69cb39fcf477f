/**
 * One end of a real TCP connection, behind the `Connection` interface.
 *
 * Node pushes bytes at us as they arrive ('data' events); the lessons pull
 * them with recv(max), as Python does. The receive buffer sits between the
 * two, and a full buffer pauses the socket so that the kernel, not our
 * memory, holds what the program is not reading yet.
 *
 * The rules follow Linux, as the simulated network's do (sim/connection.ts):
 * - send() copies what fits in the send buffer (Node's queue, up to
 *   `sendBufferBytes`, in front of the kernel's) and returns that count at
 *   once; with the buffer full it waits for room.
 * - After the peer's FIN and the last byte, recv() returns an empty array, every time.
 * - close() with unread bytes resets instead of sending FIN (RFC 2525, 2.17).
 * - A reset from the peer keeps the bytes already received: recv() hands
 *   them out first. Then the next call reports the reset once: ECONNRESET,
 *   or EPIPE if the peer's FIN had come first. Afterwards send() fails with
 *   EPIPE and recv() returns end of data.
 * - One recv() and one send() may wait at a time; a second rejects EINVAL.
 * - A call whose signal fires is taken back: it rejects ECANCELED and
 *   neither takes bytes (recv) nor queues any (send).
 */
import type { Socket } from 'node:net';
import { throwIfAborted } from '../cancel.ts';
import {
  checkRecvMax,
  checkTimeout,
  closedError,
  concurrentCall,
  nothingReady,
  TransportError,
  type TransportErrorCode,
} from '../errors.ts';
import type { Connection, Endpoint, RecvOptions, SendOptions } from '../types.ts';
import { hostPort } from './addresses.ts';
import type { TcpLimits } from './limits.ts';
import { fromNodeError } from './node-errors.ts';
import { PendingCall } from './pending-call.ts';
import { ReceiveBuffer } from './receive-buffer.ts';

interface PendingRecv {
  max: number;
  into: Uint8Array | undefined;
  call: PendingCall<Uint8Array>;
}

interface PendingSend {
  bytes: Uint8Array;
  onAccepted: ((copy: Uint8Array) => void) | undefined;
  handOver: boolean;
  call: PendingCall<number>;
}

type Outcome = { bytes: Uint8Array } | { error: TransportError };

const NO_BYTES = new Uint8Array(0);
/** #write's answer when the kernel refused the bytes at once. */
const WRITE_FAILED = -1;

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
  /** The peer's FIN has arrived (and was checked not to be a reset in disguise). */
  #ended = false;
  /** Node said 'end' and we are asking the kernel whether it was really a FIN. */
  #checkingEnd = false;
  /** The connection broke (peer reset): the error still to report, or 'reported'. */
  #broken: TransportError | 'reported' | undefined;
  /** Set by our own close() or reset(); from then on send() and recv() reject ECLOSED. */
  #closing: Promise<void> | undefined;
  #pendingRecv: PendingRecv | undefined;
  #pendingSend: PendingSend | undefined;
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
    socket.on('end', () => this.#peerEnded());
    socket.on('error', (error) => this.#broke(error));
    socket.on('drain', () => this.#flushSend());
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
      throwIfAborted(options.signal, 'recv');
      if (this.#closing) throw closedError('recv');
      if (this.#pendingRecv) throw concurrentCall('recv');
      const ready = this.#outcome(max, options.into);
      if (ready) return 'bytes' in ready ? resolve(ready.bytes) : reject(ready.error);
      const ms = options.timeoutMs;
      if (ms === 0) throw nothingReady('recv');
      const pending: PendingRecv = {
        max,
        into: options.into,
        call: new PendingCall({ resolve, reject }, { call: 'recv', waitedFor: 'nothing arrived', timeoutMs: ms, signal: options.signal }, () => {
          if (this.#pendingRecv === pending) this.#pendingRecv = undefined;
        }),
      };
      this.#pendingRecv = pending;
    });
  }

  /**
   * Copies as much of the offer as the send buffer has room for and resolves
   * with that count at once, as Linux's send() returns once the bytes are in
   * the kernel's buffer. The send buffer is Node's write queue, capped at
   * `sendBufferBytes` (the kernel's own buffer lies beyond it, out of sight).
   * With no room, it waits for Node to drain its queue; a peer that stops
   * reading makes send() wait, as it would make a blocking Python send() wait.
   */
  send(bytes: Uint8Array, options: SendOptions = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      if (!(bytes instanceof Uint8Array)) throw new TransportError('EINVAL', 'send() takes a Uint8Array');
      checkTimeout(options.timeoutMs);
      throwIfAborted(options.signal, 'send');
      if (this.#closing) throw closedError('send');
      if (this.#broken) throw this.#report('EPIPE');
      if (this.#shutDown) throw new TransportError('EPIPE', 'send() after shutdown(): this end already sent its FIN');
      if (this.#pendingSend) throw concurrentCall('send');
      if (bytes.length === 0) return resolve(0);
      const taken = this.#write(bytes, options.onAccepted, options.handOver === true);
      if (taken === WRITE_FAILED) throw this.#report('EPIPE');
      if (taken > 0) return resolve(taken);
      const ms = options.timeoutMs;
      if (ms === 0) throw nothingReady('send');
      const waitedFor = 'the send buffer had no room';
      const pending: PendingSend = {
        bytes,
        onAccepted: options.onAccepted,
        handOver: options.handOver === true,
        call: new PendingCall({ resolve, reject }, { call: 'send', waitedFor, timeoutMs: ms, signal: options.signal }, () => {
          if (this.#pendingSend === pending) this.#pendingSend = undefined;
        }),
      };
      this.#pendingSend = pending;
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
    this.#abandonCalls();
    return this.#closing;
  }

  /** RST instead of FIN: the peer's next call fails with ECONNRESET. Nothing to do if already closed. */
  reset(): Promise<void> {
    if (this.#closing) return this.#closing;
    const socket = this.#socket;
    this.#closing = this.#released;
    this.#received.clear();
    if (!socket.destroyed) socket.resetAndDestroy();
    this.#abandonCalls();
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

  /** Reject the calls still waiting: this end was closed. */
  #abandonCalls(): void {
    const recv = this.#pendingRecv;
    const send = this.#pendingSend;
    this.#pendingRecv = undefined;
    this.#pendingSend = undefined;
    for (const pending of [recv, send]) pending?.call.reject(new TransportError('ECLOSED', 'this end was closed while the call waited'));
  }

  /**
   * Queue a copy of what fits in the send buffer; returns how many bytes
   * that was (0: no room), or WRITE_FAILED when the kernel refused them.
   */
  #write(bytes: Uint8Array, onAccepted?: (copy: Uint8Array) => void, handOver = false): number {
    const socket = this.#socket;
    const room = this.#limits.sendBufferBytes - socket.writableLength;
    if (room <= 0) return 0;
    // A copy, and a plain Uint8Array: Node would queue a view of the
    // caller's bytes, and the caller may refill its buffer as soon as send()
    // returns (Python's would).
    // (A caller that hands its bytes over, a file transfer, is never going to touch them again: no copy.)
    const view = bytes.subarray(0, Math.min(room, bytes.length));
    const part = handOver ? view : new Uint8Array(view);
    socket.write(part);
    // Node tries the kernel at once: an error it meets there (EPIPE after
    // the peer's reset) marks the socket before write() returns, and that
    // send() fails as Linux's would. A later failure comes as an 'error'
    // event (#broke) and is reported by the next call.
    if (socket.errored) {
      this.#broke(socket.errored);
      return WRITE_FAILED;
    }
    onAccepted?.(part);
    return part.length;
  }

  /** Node drained its queue: a waiting send() gets its room. */
  #flushSend(): void {
    const pending = this.#pendingSend;
    if (!pending) return;
    this.#pendingSend = undefined;
    const taken = this.#write(pending.bytes, pending.onAccepted, pending.handOver);
    if (taken === 0) {
      this.#pendingSend = pending;
      return;
    }
    if (taken === WRITE_FAILED) pending.call.reject(this.#report('EPIPE'));
    else pending.call.resolve(taken);
  }

  /**
   * Node says end of data. libuv may say so without a last read: when the
   * kernel reports the peer hung up (POLLHUP) after a short read, it assumes
   * a FIN. A reset that arrived behind unread data gives the same signs, so
   * Node emits 'end' and no 'error', and a cut-off transfer would look
   * complete. The kernel still holds the reset as the socket's pending error
   * (SO_ERROR); Node cannot read that option, but a zero-length write
   * collects it: it fails ECONNRESET after a reset and does nothing (sends
   * nothing) after a FIN. When this end can no longer write (it shut down or
   * is still flushing a send), the two cannot be told apart: see
   * ARCHITECTURE.md, "What real TCP can tell apart".
   */
  #peerEnded(): void {
    const socket = this.#socket;
    if (this.#closing || socket.destroyed || socket.writableEnded || socket.writableLength > 0) {
      this.#ended = true;
      this.#settle();
      return;
    }
    this.#checkingEnd = true;
    socket.write(NO_BYTES, (error) => {
      this.#checkingEnd = false;
      if (error) this.#broke(error);
      else this.#ended = true;
      this.#settle();
    });
  }

  /** Node reported the connection broken; Node destroys the socket after this. */
  #broke(error: unknown): void {
    if (!this.#closing && this.#broken === undefined) {
      const raised = fromNodeError(error, 'ECONNRESET', `connection with ${this.#peer}`);
      // Linux's rule for a reset after the peer's FIN (CLOSE_WAIT): broken pipe.
      const afterFin = this.#ended && raised.code === 'ECONNRESET';
      this.#broken = afterFin ? new TransportError('EPIPE', raised.message) : raised;
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

  /** Answer the waiting calls, if there is now something to answer them with. */
  #settle(): void {
    const pending = this.#pendingRecv;
    const outcome = pending && this.#outcome(pending.max, pending.into);
    if (pending && outcome) {
      this.#pendingRecv = undefined;
      if ('bytes' in outcome) pending.call.resolve(outcome.bytes);
      else pending.call.reject(outcome.error);
    }
    const sending = this.#pendingSend;
    if (sending && (this.#broken || this.#socket.destroyed)) {
      this.#pendingSend = undefined;
      sending.call.reject(this.#report('EPIPE'));
    }
  }

  /**
   * Bytes first (a reset keeps what was received, as Linux does), then end
   * of data, then a break (reported once, end of data after that).
   */
  #outcome(max: number, into?: Uint8Array): Outcome | undefined {
    if (this.#received.size > 0) return { bytes: this.#take(max, into) };
    if (this.#checkingEnd) return undefined;
    if (this.#ended || this.#broken === 'reported') return { bytes: new Uint8Array(0) };
    if (this.#broken) return { error: this.#report('ECONNRESET') };
    // Closed without a word from Node (not expected): treat it as a reset.
    if (this.#socket.destroyed) return { error: this.#report('ECONNRESET') };
    return undefined;
  }

  #take(max: number, into?: Uint8Array): Uint8Array {
    const bytes = this.#received.take(max, into);
    if (this.#paused && this.#received.size <= this.#limits.receiveHighWaterMark / 2) {
      this.#paused = false;
      this.#socket.resume();
    }
    return bytes;
  }
}
