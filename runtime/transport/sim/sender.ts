/**
 * The sending half of a connection end: its send buffer and what the
 * peer's window lets leave it.
 *
 *   accepted by send()                          the peer's window edge
 *   |<--- acked --->|<--- in flight --->|<--- unsent --->|      |
 *                   ^ una               ^ sent                 ^ edge
 *
 * send() copies what fits in the send buffer (bytes in flight count until
 * the peer acknowledges them, as in Linux's sk_wmem_queued) and returns at
 * once; segments leave while the peer's window has room. A FIN asked for
 * by close() or shutdown() leaves after the last accepted byte.
 *
 * Browser-safe: no `node:` import.
 */
import { ByteQueue } from './byte-queue.ts';
import type { SimContext } from './context.ts';
import { MAX_SEGMENTS_IN_FLIGHT } from './limits.ts';
import type { Path } from './path.ts';

export class Sender {
  private readonly unsent = new ByteQueue();
  /** Stream offsets: bytes put on the wire, bytes the peer acknowledged, and the peer's window edge. */
  private sent = 0;
  private acked = 0;
  private edge: number;
  private finPending = false;
  private finSent = false;
  private path!: Path;

  constructor(private readonly ctx: SimContext) {
    // Until the peer says otherwise, its window is a whole receive buffer.
    this.edge = ctx.receiveBufferBytes;
  }

  attach(path: Path): void {
    this.path = path;
  }

  /** Bytes in the send buffer: unsent, and sent but not yet acknowledged. */
  get queued(): number {
    return this.unsent.length + (this.sent - this.acked);
  }

  get room(): number {
    return Math.max(0, this.ctx.sendBufferBytes - this.queued);
  }

  /**
   * Whether a send() waiting for room may wake: Linux wakes a blocked
   * writer only once the free space is at least half of what is queued
   * (sk_stream_write_space, sk_stream_min_wspace), so it is never woken for
   * a few bytes at a time.
   */
  get writable(): boolean {
    const queued = this.queued;
    return this.room > 0 && this.ctx.sendBufferBytes - queued >= queued / 2;
  }

  /** Copy what fits of `bytes` into the send buffer and send what the window allows; returns that copy (null: no room). */
  accept(bytes: Uint8Array): Uint8Array | null {
    const count = Math.min(bytes.length, this.room);
    if (count === 0) return null;
    // A copy, as the kernel copies into its buffer: the caller may reuse
    // `bytes` at once. A plain Uint8Array (bytes.slice() on a Node Buffer
    // would be a view, and even Uint8Array's slice would give a Buffer).
    const copy = new Uint8Array(bytes.subarray(0, count));
    const cut = this.ctx.segmenter.cutPoint(count);
    if (cut === undefined) this.unsent.push(copy);
    else {
      this.unsent.push(copy.subarray(0, cut));
      this.unsent.push(copy.subarray(cut));
    }
    this.pump();
    return copy;
  }

  /** The peer acknowledged `acked` more bytes and opened its window to `edge`. */
  acknowledge(acked: number, edge: number): void {
    this.acked += acked;
    this.edge = Math.max(this.edge, edge);
    this.pump();
  }

  /** FIN after every byte accepted so far. */
  finish(): void {
    this.finPending = true;
    this.pump();
  }

  /** A reset: unsent bytes are dropped (Linux purges the write queue) and no FIN will follow. */
  discard(): void {
    this.unsent.clear();
    this.finPending = false;
  }

  /** Put on the wire what the window and the segment budget allow, then a pending FIN once nothing is left. */
  pump(): void {
    const path = this.path;
    while (this.unsent.length > 0 && this.sent < this.edge && path.segmentsInFlight < MAX_SEGMENTS_IN_FLIGHT) {
      const size = Math.min(this.ctx.segmenter.nextSize(), this.edge - this.sent);
      const segment = this.unsent.takeWithinChunk(size);
      path.send({ kind: 'data', bytes: segment });
      this.sent += segment.length;
    }
    if (this.finPending && !this.finSent && this.unsent.length === 0) {
      this.finSent = true;
      path.send({ kind: 'fin' });
    }
  }
}
