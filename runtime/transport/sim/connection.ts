/**
 * One end of a simulated TCP connection: what a program holds after
 * connect() or accept().
 *
 * The rules it models (README.md says where they differ from Linux):
 * - send() accepts no more than the peer's receive window has room for,
 *   counting bytes in flight and bytes the peer has not read yet. With no
 *   room it waits until a window update brings some, then accepts what fits.
 * - recv() returns what has arrived, up to max: sends may come back joined
 *   or split. After the peer's FIN and the last byte: an empty array, every
 *   time.
 * - close() sends FIN after everything accepted; with unread bytes still in
 *   the receive buffer it sends RST instead (RFC 2525, section 2.17).
 *   Data reaching an end that was closed is also answered with RST.
 * - After an RST arrives the unread bytes are discarded. The next call
 *   reports the error once: ECONNRESET, or EPIPE if the peer's FIN had come
 *   first (Linux's rule for a socket in CLOSE_WAIT). Afterwards send()
 *   fails with EPIPE and recv() returns end of data, as Linux does once the
 *   error has been reported.
 *
 * One recv() and one send() may wait at a time per connection, as in a
 * Python script; a second concurrent call rejects EINVAL instead of
 * silently racing the first for the same bytes.
 *
 * Browser-safe: no `node:` import.
 */
import { checkRecvMax, checkTimeout, closedError, concurrentCall, TransportError, type TransportErrorCode } from '../errors.ts';
import type { Connection, Endpoint, RecvOptions } from '../types.ts';
import { ByteQueue } from './byte-queue.ts';
import type { SimContext } from './context.ts';
import { MAX_SEGMENTS_IN_FLIGHT } from './limits.ts';
import { Path, type Packet } from './path.ts';
import { Waiter } from './waiter.ts';

const END_OF_DATA = (): Uint8Array => new Uint8Array(0);

export class SimConnection implements Connection {
  /** Set once the handshake's ACK reaches this (server) end: hands it to its listener. */
  onHandshakeAck: (() => void) | null = null;
  /** Called once when this program closes or resets its end: frees the local port. */
  onClosed: (() => void) | null = null;

  /** Our wire to the peer. Set by `linkEnds`. */
  private out!: Path;
  /** Bytes that arrived and wait for recv(). */
  private readonly received = new ByteQueue();
  /** How many more bytes the peer's receive window takes, as far as this end has heard. */
  private credit: number;
  private finReceived = false;
  private resetReceived = false;
  /** The error an arrived RST left, until a call reports it. */
  private errorToReport: TransportErrorCode | null = null;
  /** This program called close() or reset(). */
  private closed = false;
  /** This program called shutdown(): its FIN is sent, reading goes on. */
  private shutDown = false;
  private resetSent = false;
  private waitingRecv: { max: number; waiter: Waiter<Uint8Array> } | null = null;
  private waitingSend: { bytes: Uint8Array; waiter: Waiter<number> } | null = null;

  constructor(
    private readonly ctx: SimContext,
    readonly local: Endpoint,
    readonly remote: Endpoint,
  ) {
    this.credit = ctx.receiveBufferBytes;
  }

  /** Join two new ends with a wire each way. */
  static linkEnds(a: SimConnection, b: SimConnection): void {
    a.out = new Path(a.ctx, (packet) => b.arrive(packet), () => a.flushWaitingSend());
    b.out = new Path(b.ctx, (packet) => a.arrive(packet), () => b.flushWaitingSend());
  }

  async send(bytes: Uint8Array): Promise<number> {
    if (!(bytes instanceof Uint8Array)) throw new TransportError('EINVAL', 'send() takes a Uint8Array');
    this.checkOpen('send');
    if (this.resetReceived) throw this.reportError('EPIPE');
    if (this.shutDown) throw new TransportError('EPIPE', 'send() after shutdown(): this end already sent its FIN');
    if (this.waitingSend) throw concurrentCall('send');
    if (bytes.length === 0) return 0;
    const accepted = this.transmit(bytes);
    if (accepted > 0) return accepted;
    const waiter = new Waiter<number>(this.ctx.scheduler);
    this.waitingSend = { bytes, waiter };
    return waiter.promise;
  }

  async recv(max: number, options: RecvOptions = {}): Promise<Uint8Array> {
    checkRecvMax(max);
    const { timeoutMs } = options;
    checkTimeout(timeoutMs);
    this.checkOpen('recv');
    if (this.waitingRecv) throw concurrentCall('recv');
    const ready = this.readNow(max);
    if (ready) return ready;
    const waiter = new Waiter<Uint8Array>(this.ctx.scheduler);
    this.waitingRecv = { max, waiter };
    if (timeoutMs !== undefined) {
      waiter.expireAfter(timeoutMs, () => {
        this.waitingRecv = null;
        return new TransportError('ETIMEDOUT', `nothing arrived within ${timeoutMs} ms`);
      });
    }
    return waiter.promise;
  }

  async shutdown(): Promise<void> {
    this.checkOpen('shutdown');
    if (this.shutDown) return;
    this.shutDown = true;
    if (!this.resetReceived) this.out.send({ kind: 'fin' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.received.length > 0) {
      // Closing with unread data loses it: RFC 2525 (2.17) says to tell the
      // peer with RST rather than a FIN that would pretend all went well.
      this.abort('close() was called');
      return;
    }
    this.markClosed('close() was called');
    if (!this.resetReceived && !this.shutDown) this.out.send({ kind: 'fin' });
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
    this.received.clear();
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
        this.credit += packet.bytes;
        this.flushWaitingSend();
        return;
      case 'data':
        // Nobody will ever read these bytes: say so with RST (Linux does the same).
        if (this.closed) this.sendReset();
        else if (!this.resetReceived) {
          this.received.push(packet.bytes);
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
        this.received.clear();
        this.wakeReader();
        if (this.waitingSend) {
          const { waiter } = this.waitingSend;
          this.waitingSend = null;
          waiter.reject(this.reportError('EPIPE'));
        }
        return;
    }
  }

  /**
   * Accept what the window and the segment budget allow, cut it into
   * segments and put them on the wire. Returns the bytes accepted (0: none fit).
   */
  private transmit(bytes: Uint8Array): number {
    const room = Math.min(bytes.length, this.credit);
    if (room === 0 || this.out.segmentsInFlight >= MAX_SEGMENTS_IN_FLIGHT) return 0;
    // Copy, as the kernel copies into its buffers: the caller may reuse `bytes` at once.
    const copy = bytes.slice(0, room);
    let accepted = 0;
    while (accepted < room && this.out.segmentsInFlight < MAX_SEGMENTS_IN_FLIGHT) {
      const size = Math.min(this.ctx.nextSegmentSize(), room - accepted);
      this.out.send({ kind: 'data', bytes: copy.subarray(accepted, accepted + size) });
      accepted += size;
    }
    this.credit -= accepted;
    return accepted;
  }

  /** Bytes for a recv() now, end of data, an error to throw, or null: wait. */
  private readNow(max: number): Uint8Array | null {
    if (this.received.length > 0) {
      const bytes = this.received.take(max);
      // The freed buffer space reaches the sender one trip later, as a window update.
      this.out.send({ kind: 'window', bytes: bytes.length });
      return bytes;
    }
    if (this.finReceived) return END_OF_DATA();
    if (this.errorToReport) throw this.reportError('ECONNRESET');
    if (this.resetReceived) return END_OF_DATA();
    return null;
  }

  private wakeReader(): void {
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

  private flushWaitingSend(): void {
    const waiting = this.waitingSend;
    if (!waiting) return;
    const accepted = this.transmit(waiting.bytes);
    if (accepted === 0) return;
    this.waitingSend = null;
    waiting.waiter.resolve(accepted);
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
