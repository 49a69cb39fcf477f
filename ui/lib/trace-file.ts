/**
 * Reading a saved trace (`sockstep run ... --trace FILE`) into the page.
 * Reading is runtime/trace/json.ts's: it checks the header (a version-1
 * trace is refused with a sentence saying so), the JSON of every line and
 * the order of records. A file that cannot be shown gets a message saying
 * what is wrong and what to do, never a blank page.
 */
import { parseJsonLines, recordToJson, TraceFileError, TraceLineReader } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

export type TraceRead = { ok: true; records: TraceRecord[] } | { ok: false; message: string };

/** Largest trace file the page reads: beyond this, a browser tab runs out of memory before it is useful. */
export const MAX_TRACE_FILE_BYTES = 256 * 1024 * 1024;

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

/** A trace file the learner picked. */
export async function readTraceFile(file: Blob & { name?: string }): Promise<TraceRead> {
  const name = file.name === undefined || file.name === '' ? 'This file' : `“${file.name}”`;
  if (file.size > MAX_TRACE_FILE_BYTES) {
    return { ok: false, message: `${name} is ${Math.round(file.size / 2 ** 20)} MB; the page reads traces up to ${MAX_TRACE_FILE_BYTES / 2 ** 20} MB. Record a shorter run.` };
  }
  return readTraceText(await file.text(), name);
}
