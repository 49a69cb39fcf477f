/**
 * The byte view's rows: one per send or recv call. A row reads only the
 * first bytes of its call (a preview), so that drawing a window of rows
 * costs the same for a 17-byte greeting and a 10 MB file transfer. A recv's
 * bytes come from the peer's send records (see streams.ts).
 */
import type { ConnEnd, RecvRecord, SendRecord } from '../../runtime/trace/records.ts';
import { previewCut } from './byte-text.ts';
import type { StepModel } from './steps.ts';
import { recordBytes, recordSize, type StreamIndex } from './streams.ts';

/** Bytes shown per row (three dump lines); the rest is counted, not shown. */
export const PREVIEW_BYTES = 48;

export interface ByteRow {
  /** Position among the byte rows, from 0. */
  row: number;
  /** The step of the call. */
  step: number;
  call: 'send' | 'recv';
  actor: string;
  /** Which TCP end made the call: which way the bytes went. Colour follows the actor's role, not this. */
  end: ConnEnd;
  conn: string;
  /** Bytes the call moved: accepted by send, returned by recv. 0 for recv at end of data. */
  size: number;
  /** send: bytes offered; recv: the most it asked for. */
  asked: number;
  /** The first bytes, cut where no UTF-8 character is split; null when the trace does not hold them. */
  preview: Uint8Array | null;
}

export function byteRow(model: StepModel, streams: StreamIndex, row: number): ByteRow {
  const index = model.byteRows[row]!;
  const r = model.records[index] as SendRecord | RecvRecord;
  const size = recordSize(r);
  // Three more bytes than shown, so that the cut can end on a whole character.
  const bytes = recordBytes(streams, r, PREVIEW_BYTES + 3);
  return {
    row,
    step: model.stepOfRecord[index]!,
    call: r.type,
    actor: r.actor,
    end: r.end,
    conn: r.conn,
    size,
    asked: r.type === 'send' ? r.offered : r.max,
    preview: bytes === null ? null : bytes.subarray(0, previewCut(bytes, Math.min(PREVIEW_BYTES, size))),
  };
}

/** The rows to draw at a step: the last `size` calls that have happened by then, as the range [first, total). */
export function byteWindow(model: StepModel, step: number, size: number): { first: number; total: number } {
  const total = model.count === 0 ? 0 : model.byteRowsUpTo[step]!;
  return { first: Math.max(0, total - size), total };
}
