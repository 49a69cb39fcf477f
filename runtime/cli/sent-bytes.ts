/**
 * The bytes of recv records that do not carry their own. When both ends of
 * a connection are in the run, a byte is stored once, in the sender's
 * `send` record; the recv record says only where its bytes start (`offset`)
 * and how many (`size`). To show them, keep the send records' bytes until
 * the other end has read them, a bounded amount: a sender whose reader is
 * outside the run never has them read.
 */
import type { CloseRecord, ConnEnd, RecvRecord, ResetRecord, SendRecord } from '../trace/records.ts';

/** Most bytes kept for showing; beyond it the oldest go (the trace file still has them). */
export const MAX_KEPT_BYTES = 1024 * 1024;

const OTHER_END: Record<ConnEnd, ConnEnd> = { connector: 'acceptor', acceptor: 'connector' };

interface Chunk {
  offset: number;
  data: Uint8Array;
}

export class SentBytes {
  /** Chunks by stream (`conn end`, the sending end), in stream order. */
  private readonly streams = new Map<string, Chunk[]>();
  private kept = 0;

  /**
   * @param want how many bytes of a recv are asked for (the most shown)
   * @param maxKept the bound on bytes kept
   */
  constructor(
    private readonly want: number,
    private readonly maxKept = MAX_KEPT_BYTES,
  ) {}

  /** Bytes kept now: for tests of the bound. */
  get keptBytes(): number {
    return this.kept;
  }

  add(r: SendRecord): void {
    if (r.data.length === 0) return;
    const key = streamKey(r.conn, r.end);
    let chunks = this.streams.get(key);
    if (chunks === undefined) this.streams.set(key, (chunks = []));
    chunks.push({ offset: r.offset, data: r.data });
    this.kept += r.data.length;
    this.trim();
  }

  /**
   * The first bytes (up to `want`) of a recv that has no `data`, or null when
   * they are no longer kept. Bytes before the end of this recv are dropped:
   * the stream is read in order.
   */
  read(r: RecvRecord): Uint8Array | null {
    const key = streamKey(r.conn, OTHER_END[r.end]);
    const chunks = this.streams.get(key) ?? [];
    const start = r.offset;
    const end = r.offset + Math.min(r.size, this.want);
    const out = new Uint8Array(end - start);
    let filled = 0;
    for (const c of chunks) {
      const from = Math.max(start, c.offset);
      const to = Math.min(end, c.offset + c.data.length);
      if (from >= to) continue;
      out.set(c.data.subarray(from - c.offset, to - c.offset), from - start);
      filled += to - from;
    }
    // Everything up to the end of this recv has been read: let it go.
    const readTo = r.offset + r.size;
    while (chunks.length > 0 && chunks[0]!.offset + chunks[0]!.data.length <= readTo) {
      this.kept -= chunks.shift()!.data.length;
    }
    if (chunks.length === 0) this.streams.delete(key);
    return filled === out.length ? out : null;
  }

  /** An end closed or was reset: it reads no more, so what was sent to it can go. */
  forget(r: CloseRecord | ResetRecord): void {
    const key = streamKey(r.conn, OTHER_END[r.end]);
    for (const c of this.streams.get(key) ?? []) this.kept -= c.data.length;
    this.streams.delete(key);
  }

  /** Drop the oldest chunks (first streams first) until within the bound. */
  private trim(): void {
    for (const [key, chunks] of this.streams) {
      while (this.kept > this.maxKept && chunks.length > 0) this.kept -= chunks.shift()!.data.length;
      if (chunks.length === 0) this.streams.delete(key);
      if (this.kept <= this.maxKept) return;
    }
  }
}

function streamKey(conn: string, end: ConnEnd): string {
  return `${conn} ${end}`;
}
