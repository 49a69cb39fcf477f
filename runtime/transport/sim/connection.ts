/**
 * One end of a simulated TCP connection: what a program holds after
 * connect() or accept().
 *
 * The rules it models (README.md compares each with Linux):
 * - send() copies what fits in this end's send buffer and returns that
 *   count at once (sender.ts); bytes leave as the peer's window allows.
 *   With the buffer full it waits until acknowledgements free enough room.
 * - recv() returns what has arrived, up to max: sends may come back joined
 *   or split. A read reopens the window only in steps worth sending for
 *   (receiver.ts). After the peer's FIN and the last byte: an empty array,
 *   every time.
 * - close() sends FIN after everything accepted; with unread bytes still in
 *   the receive buffer it sends RST instead (RFC 2525, section 2.17).
 *   Data reaching an end that was closed is also answered with RST.
 * - An arriving RST keeps the bytes already received: recv() hands them out
 *   first, as Linux does. Then the next call reports the error once:
 *   ECONNRESET, or EPIPE if the peer's FIN had come first (Linux's rule for
 *   a socket in CLOSE_WAIT). Afterwards send() fails with EPIPE and recv()
 *   returns end of data, as Linux does once the error has been reported.
 * - timeoutMs on recv() and send(): ETIMEDOUT after that long, EAGAIN at
 *   once with 0; an aborted signal: ECANCELED. Each fails only that call,
 *   with no effect (no byte taken, none queued).
 *
 * One recv() and one send() may wait at a time per connection, as in a
 * Python script; a second concurrent call rejects EINVAL instead of
 * silently racing the first for the same bytes.
 *
 * Browser-safe: no `node:` import.
 */
import { throwIfAborted } from '../cancel.ts';
import {
  checkRecvMax,
  checkTimeout,
  closedError,
  concurrentCall,
  nothingReady,
  timedOut,
  TransportError,
  type TransportErrorCode,
} from '../errors.ts';
import type { Connection, Endpoint, RecvOptions, SendOptions } from '../types.ts';
import type { SimContext } from './context.ts';
import { Path, type Packet } from './path.ts';
import { Receiver } from './receiver.ts';
import { Sender } from './sender.ts';
import { Waiter } from './waiter.ts';

const END_OF_DATA = (): Uint8Array => new Uint8Array(0);

export class SimConnection implements Connection {
  /** Set once the handshake's ACK reaches this (server) end: hands it to its listener. */
  onHandshakeAck: (() => void) | null = null;
  /** Called once when this program closes or resets its end: frees the local port. */
  onClosed: (() => void) | null = null;

  /** Our wire to the peer. Set by `linkEnds`. */
  private out!: Path;
  private readonly receiver: Receiver;
  private readonly sender: Sender;
  private finReceived = false;
  private resetReceived = false;
  /** The error an arrived RST left, until a call reports it. */
  private errorToReport: TransportErrorCode | null = null;
  /** This program called close() or reset(). */
  private closed = false;
  /** This program called shutdown(): its FIN is on its way, reading goes on. */
  private shutDown = false;
  private resetSent = false;
  /** A reader's wake-up is on the clock (readDelayMs). */
  private wakeUpScheduled = false;
  private waitingRecv: { max: number; waiter: Waiter<Uint8Array> } | null = null;
  private waitingSend: { bytes: Uint8Array; waiter: Waiter<number>; onAccepted: ((copy: Uint8Array) => void) | undefined } | null = null;

  constructor(
    private readonly ctx: SimContext,
    readonly local: Endpoint,
    readonly remote: Endpoint,
  ) {
    this.receiver = new Receiver(ctx);
    this.sender = new Sender(ctx);
  }

  /** Join two new ends with a wire each way. */
  static linkEnds(a: SimConnection, b: SimConnection): void {
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      from.out = new Path(from.ctx, (packet) => to.arrive(packet), () => from.segmentLanded());
      from.sender.attach(from.out);
    }
  }

  async send(bytes: Uint8Array, options: SendOptions = {}): Promise<number> {
    if (!(bytes instanceof Uint8Array)) throw new TransportError('EINVAL', 'send() takes a Uint8Array');
    const { timeoutMs, signal } = options;
    checkTimeout(timeoutMs);
    throwIfAborted(signal, 'send');
    this.checkOpen('send');
    if (this.resetReceived) throw this.reportError('EPIPE');
    if (this.shutDown) throw new TransportError('EPIPE', 'send() after shutdown(): this end already sent its FIN');
    if (this.waitingSend) throw concurrentCall('send');
    if (bytes.length === 0) return 0;
    const accepted = this.sender.accept(bytes);
    if (accepted !== null) {
      options.onAccepted?.(accepted);
      return accepted.length;
    }
    if (timeoutMs === 0) throw nothingReady('send');
    const waiter = new Waiter<number>(this.ctx.scheduler);
    const waiting = { bytes, waiter, onAccepted: options.onAccepted };
    const forget = () => {
      if (this.waitingSend === waiting) this.waitingSend = null;
    };
    this.waitingSend = waiting;
    if (timeoutMs !== undefined) {
      waiter.expireAfter(timeoutMs, () => (forget(), timedOut('send', timeoutMs, 'the send buffer had no room')));
    }
    waiter.cancelOn(signal, 'send', forget);
    return waiter.promise;
  }

  async recv(max: number, options: RecvOptions = {}): Promise<Uint8Array> {
    checkRecvMax(max);
    const { timeoutMs, signal } = options;
    checkTimeout(timeoutMs);
    throwIfAborted(signal, 'recv');
    this.checkOpen('recv');
    if (this.waitingRecv) throw concurrentCall('recv');
    const ready = this.readNow(max);
    if (ready) return ready;
    if (timeoutMs === 0) throw nothingReady('recv');
    const waiter = new Waiter<Uint8Array>(this.ctx.scheduler);
    const waiting = { max, waiter };
    const forget = () => {
      if (this.waitingRecv === waiting) this.waitingRecv = null;
    };
    this.waitingRecv = waiting;
    if (timeoutMs !== undefined) {
      waiter.expireAfter(timeoutMs, () => (forget(), timedOut('recv', timeoutMs, 'nothing arrived')));
    }
    // Nothing was taken while it waited: the bytes stay for the next recv().
    waiter.cancelOn(signal, 'recv', forget);
    return waiter.promise;
  }

  async shutdown(): Promise<void> {
    this.checkOpen('shutdown');
    if (this.shutDown) return;
    this.shutDown = true;
    if (!this.resetReceived) this.sender.finish();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.receiver.buffer.length > 0) {
      // Closing with unread data loses it: RFC 2525 (2.17) says to tell the
      // peer with RST rather than a FIN that would pretend all went well.
      this.abort('close() was called');
      return;
    }
    this.markClosed('close() was called');
    if (!this.resetReceived && !this.shutDown) this.sender.finish();
  }

  async reset(): Promise<void> {
    if (!this.closed) this.abort('reset() was called');
  }

  /** The handshake's last step; the first packet on the client's wire, so no data can overtake it. */
  sendHandshakeAck(): void {
    this.out.send({ kind: 'ack' });
  }

  /** Close with RST: used by reset(), close() with unread data, and a closing listener's backlog. */
  abort(reason: string): void {
    this.receiver.buffer.clear();
    this.sender.discard();
    this.markClosed(reason);
    this.sendReset();
  }

  /** A packet from the peer reached this end. */
  private arrive(packet: Packet): void {
    switch (packet.kind) {
      case 'ack':
        this.onHandshakeAck?.();
        this.onHandshakeAck = null;
        return;
      case 'window':
        this.sender.acknowledge(packet.acked, packet.edge);
        this.flushWaitingSend();
        return;
      case 'data':
        // Nobody will ever read these bytes: say so with RST (Linux does the same).
        if (this.closed) {
          this.sender.discard();
          this.sendReset();
        } else if (!this.resetReceived) {
          const ack = this.receiver.land(packet.bytes);
          this.out.send({ kind: 'window', ...ack });
          this.wakeReader();
        }
        return;
      case 'fin':
        if (this.closed) return;
        this.finReceived = true;
        this.wakeReader();
        return;
      case 'rst':
        if (this.closed) return;
        this.resetReceived = true;
        this.errorToReport = this.finReceived ? 'EPIPE' : 'ECONNRESET';
        // What we had not sent yet will never go; what arrived stays readable.
        this.sender.discard();
        this.wakeReader();
        if (this.waitingSend) {
          const { waiter } = this.waitingSend;
          this.waitingSend = null;
          waiter.reject(this.reportError('EPIPE'));
        }
        return;
    }
  }

  /** Bytes for a recv() now, end of data, an error to throw, or null: wait. */
  private readNow(max: number): Uint8Array | null {
    if (this.receiver.buffer.length > 0) {
      const bytes = this.receiver.take(max);
      const edge = this.resetReceived ? undefined : this.receiver.windowUpdate();
      // The reopened window reaches the sender one trip later.
      if (edge !== undefined) this.out.send({ kind: 'window', acked: 0, edge });
      return bytes;
    }
    if (this.finReceived) return END_OF_DATA();
    if (this.errorToReport) throw this.reportError('ECONNRESET');
    if (this.resetReceived) return END_OF_DATA();
    return null;
  }

  /** Something arrived for a waiting reader: answer it now, or after the read delay (readDelayMs). */
  private wakeReader(): void {
    if (!this.waitingRecv || this.wakeUpScheduled) return;
    const delay = this.ctx.readDelay();
    if (delay === 0) return this.answerReader();
    this.wakeUpScheduled = true;
    this.ctx.scheduler.at(this.ctx.scheduler.now() + delay, () => {
      this.wakeUpScheduled = false;
      this.answerReader();
    });
  }

  private answerReader(): void {
    const waiting = this.waitingRecv;
    if (!waiting) return;
    let bytes: Uint8Array | null;
    try {
      bytes = this.readNow(waiting.max);
    } catch (error) {
      this.waitingRecv = null;
      waiting.waiter.reject(error as TransportError);
      return;
    }
    if (bytes === null) return;
    this.waitingRecv = null;
    waiting.waiter.resolve(bytes);
  }

  /** A data segment of ours landed: one more may go (MAX_SEGMENTS_IN_FLIGHT), and a waiting send() may fit. */
  private segmentLanded(): void {
    this.sender.pump();
    this.flushWaitingSend();
  }

  private flushWaitingSend(): void {
    const waiting = this.waitingSend;
    if (!waiting || !this.sender.writable) return;
    const accepted = this.sender.accept(waiting.bytes);
    if (accepted === null) return;
    this.waitingSend = null;
    waiting.onAccepted?.(accepted);
    waiting.waiter.resolve(accepted.length);
  }

  /** The error an RST left, reported once; `otherwise` once it has been. */
  private reportError(otherwise: TransportErrorCode): TransportError {
    const code = this.errorToReport ?? otherwise;
    this.errorToReport = null;
    return new TransportError(code, code === 'ECONNRESET' ? 'connection reset by peer' : 'broken pipe: the peer has gone');
  }

  private sendReset(): void {
    if (this.resetSent || this.resetReceived) return;
    this.resetSent = true;
    this.out.send({ kind: 'rst' });
  }

  private markClosed(reason: string): void {
    this.closed = true;
    const closedError = (): TransportError =>
      new TransportError('ECLOSED', `this end was closed while the call waited (${reason})`);
    this.waitingRecv?.waiter.reject(closedError());
    this.waitingSend?.waiter.reject(closedError());
    this.waitingRecv = null;
    this.waitingSend = null;
    this.onClosed?.();
    this.onClosed = null;
  }

  private checkOpen(call: string): void {
    if (this.closed) throw closedError(call);
  }
}
