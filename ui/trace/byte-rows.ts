/**
 * The byte view's rows: one per send or recv call. A row decodes only the
 * first bytes of its call (a preview), so that drawing a window of rows
 * costs the same for a 17-byte greeting and a 10 MB file transfer.
 */
import { fromBase64 } from '../../runtime/trace/bytes.ts';
import type { Direction, RecvRecord, SendRecord, Side } from '../../runtime/trace/records.ts';
import { previewCut } from './byte-text.ts';
import type { StepModel } from './steps.ts';

/** Bytes shown per row; the rest is counted, not shown. */
export const PREVIEW_BYTES = 48;

export interface ByteRow {
  /** Position among the byte rows, from 0. */
  row: number;
  /** The step of the call. */
  step: number;
  call: 'send' | 'recv';
  actor: string;
  side: Side;
  dir: Direction;
  conn: string;
  /** Bytes the call moved: accepted by send, returned by recv. 0 for recv at end of data. */
  size: number;
  /** send: bytes offered; recv: the most it asked for. */
  asked: number;
  /** The first bytes, cut where no UTF-8 character is split. */
  preview: Uint8Array;
}

/** Bytes in a base64 string, without decoding it. */
export function base64Size(data: string): number {
  let pad = 0;
  if (data.endsWith('==')) pad = 2;
  else if (data.endsWith('=')) pad = 1;
  return Math.floor((data.length * 3) / 4) - pad;
}

/** Decode the first `max` bytes of base64 text (and up to 3 more, so that the cut can avoid splitting a character). */
function decodePrefix(data: string, max: number): Uint8Array {
  const chars = Math.ceil((max + 3) / 3) * 4;
  const bytes = fromBase64(data.length <= chars ? data : data.slice(0, chars));
  return bytes.subarray(0, previewCut(bytes, max));
}

export function byteRow(model: StepModel, row: number): ByteRow {
  const index = model.byteRows[row]!;
  const r = model.records[index] as SendRecord | RecvRecord;
  return {
    row,
    step: model.stepOfRecord[index]!,
    call: r.type,
    actor: r.actor,
    side: r.side,
    dir: r.dir,
    conn: r.conn,
    size: r.type === 'send' ? r.accepted : base64Size(r.data),
    asked: r.type === 'send' ? r.offered : r.max,
    preview: decodePrefix(r.data, PREVIEW_BYTES),
  };
}

/** The rows to draw at a step: the last `size` calls that have happened by then, as the range [first, total). */
export function byteWindow(model: StepModel, step: number, size: number): { first: number; total: number } {
  const total = model.count === 0 ? 0 : model.byteRowsUpTo[step]!;
  return { first: Math.max(0, total - size), total };
}
