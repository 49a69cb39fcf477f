/**
 * Which sends a recv's bytes came from. A `recv` record says where its
 * bytes start in the incoming stream (`offset`) and how many there are
 * (`size`); the other end's `send` records say where theirs start
 * (`offset`) and how many were taken (`accepted`), on the same connection.
 * The sends whose bytes overlap the recv's are its sources:
 *
 *   sends   [0 "Hello, " 7)[7 "world!\n" 14)[14 ......... 3015)
 *   recvs   [0 ........................ 1024)[1024 ...
 *           one recv, three sources: two sends read as one, and the start of a third
 *
 * Found with the page's stream index (streams.ts) by binary search, so
 * asking costs O(log sends + sources), whatever the run's size. Pure.
 */
import type { RecvRecord, SendRecord, TraceRecord } from '../../runtime/trace/records.ts';
import type { StepModel } from './steps.ts';
import { peerEnd, type StreamIndex } from './streams.ts';

export interface RecvSource {
  /** The send's step in the model, or -1 when the model no longer holds it (a live run's window). */
  step: number;
  /** The send's position among the byte rows, or -1. */
  row: number;
  /** Who sent it. */
  actor: string;
  /** Which of the recv's bytes it supplied: [from, to), counted from the recv's first byte. */
  from: number;
  to: number;
  /** The send's own size, and where in it these bytes start. */
  sendSize: number;
  sendFrom: number;
}

/** The index of the record with this `seq` among `records` (ascending by seq), or -1. */
function indexOfSeq(records: readonly TraceRecord[], seq: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo < records.length && records[lo]!.seq === seq ? lo : -1;
}

/** The position of a record index among the byte rows (ascending), or -1. */
function rowOf(model: StepModel, recordIndex: number): number {
  const rows = model.byteRows;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]! < recordIndex) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo] === recordIndex ? lo : -1;
}

/** The sends a recv's bytes came from, in stream order; empty for end of data or a peer outside the trace. */
export function recvSources(model: StepModel, streams: StreamIndex, r: RecvRecord): RecvSource[] {
  if (typeof r.size !== 'number' || r.size <= 0 || typeof r.offset !== 'number') return [];
  const stream = streams.get(`${r.conn}\u0000${peerEnd(r.end)}`);
  if (stream === undefined) return [];
  const start = r.offset;
  const end = r.offset + r.size;
  // The last send starting at or before the recv's first byte.
  let lo = 0;
  let hi = stream.offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (stream.offsets[mid]! <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: RecvSource[] = [];
  for (let i = Math.max(0, lo - 1); i < stream.sends.length && stream.offsets[i]! < end; i++) {
    const send = stream.sends[i]! as SendRecord & { seq: number };
    const sendStart = stream.offsets[i]!;
    const sendEnd = sendStart + send.data.length;
    if (sendEnd <= start) continue;
    const index = indexOfSeq(model.records, send.seq);
    out.push({
      step: index < 0 ? -1 : model.stepOfRecord[index]!,
      row: index < 0 ? -1 : rowOf(model, index),
      actor: send.actor,
      from: Math.max(sendStart, start) - start,
      to: Math.min(sendEnd, end) - start,
      sendSize: send.data.length,
      sendFrom: Math.max(sendStart, start) - sendStart,
    });
  }
  return out;
}

/** "bytes 0–6", "byte 3", counted from 0. */
export function byteRange(from: number, to: number): string {
  return to - from === 1 ? `byte ${from}` : `bytes ${from}–${to - 1}`;
}
