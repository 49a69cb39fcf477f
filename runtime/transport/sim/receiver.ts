/**
 * The receiving half of a connection end: its receive buffer and the window
 * it advertises.
 *
 * A read frees buffer space, but the window is not reopened for every few
 * bytes: that is the receiver's side of silly window syndrome avoidance.
 * RFC 1122, section 4.2.3.3: "A TCP MUST include a SWS avoidance algorithm
 * in the receiver." ... "The suggested SWS avoidance algorithm for the
 * receiver is to keep RCV.NXT+RCV.WND fixed until the reduction satisfies:
 *     RCV.BUFF - RCV.USER - RCV.WND  >=  min( Fr * RCV.BUFF, Eff.snd.MSS )
 * where Fr is a fraction whose recommended value is 1/2, and Eff.snd.MSS is
 * the effective send MSS for the connection. When the inequality is
 * satisfied, RCV.WND is set to RCV.BUFF-RCV.USER." RFC 9293 (section
 * 3.8.6.2.2) keeps it: "A TCP implementation MUST include a SWS avoidance
 * algorithm in the receiver (MUST-39)", with the same inequality. So a
 * reader doing recv(100) reopens the window, and wakes a blocked sender,
 * once per half buffer (or per MSS), not once per read.
 *
 * Browser-safe: no `node:` import.
 */
import { ByteQueue } from './byte-queue.ts';
import type { SimContext } from './context.ts';

export class Receiver {
  /** Bytes that arrived and wait for recv(). */
  readonly buffer = new ByteQueue();
  /** Stream offset of the next byte to arrive (RCV.NXT). */
  private arrived = 0;
  /** The right window edge last advertised (RCV.NXT + RCV.WND). */
  private edge: number;

  constructor(private readonly ctx: SimContext) {
    this.edge = ctx.receiveBufferBytes;
  }

  /** A segment arrived: keep it, and return the acknowledgement to send back. */
  land(bytes: Uint8Array): { acked: number; edge: number } {
    this.buffer.push(bytes);
    this.arrived += bytes.length;
    return { acked: bytes.length, edge: this.edge };
  }

  /** Take up to `max` bytes for a recv(). */
  take(max: number): Uint8Array {
    return this.buffer.take(max);
  }

  /** The new window edge to advertise after a read, or undefined while the gain is too small to be worth it. */
  windowUpdate(): number | undefined {
    const size = this.ctx.receiveBufferBytes;
    const open = this.arrived + (size - this.buffer.length);
    if (open - this.edge < Math.min(size / 2, this.ctx.segmenter.largest)) return undefined;
    this.edge = open;
    return open;
  }
}
