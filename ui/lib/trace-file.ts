/**
 * A trace handed to the lesson page whole (the test hooks' `loadTrace`:
 * JSON-lines text or records). Reading is runtime/trace/json.ts's: it
 * checks the header (a version-1 trace is refused with a sentence saying
 * so), the JSON of every line and the order of records. Files the learner
 * picks are streamed by the trace page instead (trace-stream.ts), never
 * read whole.
 */
import { parseJsonLines, recordToJson, TraceFileError, TraceLineReader } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

export type TraceRead = { ok: true; records: TraceRecord[] } | { ok: false; message: string };

function failure(error: unknown, name: string): TraceRead {
  const what = error instanceof TraceFileError ? error.message : error instanceof Error ? error.message : String(error);
  return { ok: false, message: `${name} cannot be shown: ${what}.`.replace(/\.\.$/, '.') };
}

/** A trace from JSON-lines text. */
export function readTraceText(text: string, name = 'This trace'): TraceRead {
  try {
    return { ok: true, records: parseJsonLines(text) };
  } catch (error) {
    return failure(error, name);
  }
}

/**
 * A trace from records already parsed (the test hooks' `loadTrace`): each
 * goes through the same checks as a line of a file, bytes as base64 text
 * or as `Uint8Array`.
 */
export function readTraceRecords(records: unknown, name = 'This trace'): TraceRead {
  if (!Array.isArray(records) || records.length === 0) return { ok: false, message: `${name} cannot be shown: it holds no records.` };
  try {
    const reader = new TraceLineReader();
    const out: TraceRecord[] = [];
    for (const r of records) {
      const line = recordToJson(r as TraceRecord);
      const record = reader.read(line);
      if (record !== null) out.push(record);
    }
    return { ok: true, records: out };
  } catch (error) {
    return failure(error, name);
  }
}
