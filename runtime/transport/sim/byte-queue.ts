/**
 * A queue of bytes in chunks: a connection's receive buffer (segments that
 * have arrived and wait for recv()) and its send buffer (writes accepted and
 * not sent yet). A read takes bytes from the front regardless of where one
 * segment ended and the next began; that is why a TCP reader sees sends
 * joined or split.
 *
 * Browser-safe: no `node:` import, no Buffer.
 */
import { Fifo } from './fifo.ts';

export class ByteQueue {
  private readonly chunks = new Fifo<Uint8Array>();
  /** How much of the front chunk earlier reads already took. */
  private offset = 0;
  private total = 0;

  /** Bytes waiting to be read. */
  get length(): number {
    return this.total;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
  }

  /**
   * Remove up to `max` bytes from the front.
   *
   * A read within one segment returns a view of it without copying (the
   * common case, and the hot path of a bulk transfer). Segments are the
   * sender's bytes copied when send() accepted them, so a view is never
   * touched again by anyone; like a Node Buffer from a socket, it may share
   * its ArrayBuffer with neighbouring bytes of the same send, so use the view,
   * not `.buffer`. A read across segments joins them into a new array.
   */
  take(max: number): Uint8Array {
    const count = Math.min(max, this.total);
    const front = this.chunks.peek();
    if (front && front.length - this.offset >= count) return this.takeFrom(front, count);
    const joined = new Uint8Array(count);
    for (let filled = 0; filled < count; ) {
      const chunk = this.chunks.peek()!;
      const part = this.takeFrom(chunk, Math.min(chunk.length - this.offset, count - filled));
      joined.set(part, filled);
      filled += part.length;
    }
    return joined;
  }

  /**
   * Up to `max` bytes from the front chunk alone: a segment never spans two
   * writes. A view, never a copy.
   */
  takeWithinChunk(max: number): Uint8Array {
    const front = this.chunks.peek();
    if (!front) return new Uint8Array(0);
    return this.takeFrom(front, Math.min(max, front.length - this.offset));
  }

  /** Throw away everything unread (what a reset does to a receive buffer). */
  clear(): void {
    this.chunks.clear();
    this.offset = 0;
    this.total = 0;
  }

  /** `count` bytes from the front chunk, which holds at least that many. */
  private takeFrom(chunk: Uint8Array, count: number): Uint8Array {
    const view = chunk.subarray(this.offset, this.offset + count);
    this.offset += count;
    this.total -= count;
    if (this.offset === chunk.length) {
      this.chunks.shift();
      this.offset = 0;
    }
    return view;
  }
}
