/**
 * Where a `recv` record's bytes are. Trace v2 stores a byte once: in the
 * `send` record that sent it. A `recv` record says where its bytes start in
 * the incoming stream (`offset`) and how many there are (`size`); the bytes
 * are the peer end's outgoing stream from that offset, held by the peer's
 * `send` records. Only when no traced send holds them (the peer is a
 * program outside the run) does the `recv` record carry `data` itself.
 *
 * The index grows as records arrive: for each (connection, end), its send
 * records in stream order. Reading a recv's first bytes is then a binary
 * search and a copy of at most `max` bytes, whatever the transfer's size.
 */
import type { ConnEnd, RecvRecord, SendRecord, TraceRecord } from '../../runtime/trace/records.ts';

interface Stream {
  /** Where each send's bytes start in the stream, ascending. */
  offsets: number[];
  sends: SendRecord[];
}

export type StreamIndex = Map<string, Stream>;

const key = (conn: string, end: ConnEnd | string) => `${conn}\u0000${end}`;

/** The other end of a connection: the bytes one end receives are the ones the other end sent. */
export function peerEnd(end: ConnEnd): ConnEnd {
  return end === 'connector' ? 'acceptor' : 'connector';
}

export function buildStreams(records: readonly TraceRecord[]): StreamIndex {
  const streams: StreamIndex = new Map();
  for (const r of records) addToStreams(streams, r);
  return streams;
}

/** Index one more record (a no-op unless it is a send with bytes): O(1), so a live run indexes as it goes. */
export function addToStreams(streams: StreamIndex, r: TraceRecord): void {
  if (r.type !== 'send' || !(r.data instanceof Uint8Array) || r.data.length === 0) return;
  const k = key(r.conn, r.end);
  let stream = streams.get(k);
  if (stream === undefined) streams.set(k, (stream = { offsets: [], sends: [] }));
  // Sends arrive in stream order; a trace that says otherwise is read as far as it makes sense.
  const offset = typeof r.offset === 'number' ? r.offset : (stream.offsets.at(-1) ?? 0) + (stream.sends.at(-1)?.data.length ?? 0);
  stream.offsets.push(offset);
  stream.sends.push(r);
}

/**
 * Up to `max` bytes of a conn end's outgoing stream from `offset`, or null
 * when the trace holds none of them. Fewer bytes than asked when the trace
 * holds only part of them.
 */
export function streamBytes(streams: StreamIndex, conn: string, end: ConnEnd, offset: number, max: number): Uint8Array | null {
  const stream = streams.get(key(conn, end));
  if (stream === undefined || max <= 0) return null;
  // The last send starting at or before `offset`.
  let lo = 0;
  let hi = stream.offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stream.offsets[mid]! <= offset) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  if (i < 0) return null;
  const out = new Uint8Array(max);
  let filled = 0;
  let at = offset;
  while (filled < max && i < stream.sends.length) {
    const start = stream.offsets[i]!;
    const data = stream.sends[i]!.data;
    if (at < start || at >= start + data.length) break; // a gap: bytes the trace does not hold
    const piece = data.subarray(at - start, Math.min(data.length, at - start + (max - filled)));
    out.set(piece, filled);
    filled += piece.length;
    at += piece.length;
    i++;
  }
  return filled === 0 ? null : out.subarray(0, filled);
}

/** The bytes a `send` or `recv` record moved, at most `max` of them; null when the trace does not hold them. */
export function recordBytes(streams: StreamIndex, r: SendRecord | RecvRecord, max: number): Uint8Array | null {
  if (r.data instanceof Uint8Array) return r.data.subarray(0, max);
  if (r.type === 'send' || r.size === 0) return r.type === 'send' ? null : new Uint8Array(0);
  return streamBytes(streams, r.conn, peerEnd(r.end), r.offset, Math.min(max, r.size));
}

/** How many bytes a `send` or `recv` record moved. */
export function recordSize(r: SendRecord | RecvRecord): number {
  if (r.type === 'send') return typeof r.accepted === 'number' ? r.accepted : (r.data?.length ?? 0);
  return typeof r.size === 'number' ? r.size : (r.data?.length ?? 0);
}
