/**
 * What `sockstep view` says about a trace file before it opens the page:
 * the same checks the page makes (runtime/trace/json.ts `TraceLineReader`:
 * the header first, version 2, JSON on every line, seq only growing, and a
 * last line that is whole), read line by line, never the whole file in
 * memory. A file up to WHOLE_CHECK_BYTES is read to its end; a larger one
 * (a 1 GB trace) is checked at its start and its end only, so that the
 * page opens at once: the page reads the rest as the learner goes, and
 * says so if it finds a problem further in.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { TraceFileError, TraceLineReader } from '../trace/json.ts';

/** Files up to this size are checked whole before the page opens. */
export const WHOLE_CHECK_BYTES = 64 * 1024 * 1024;
/** How much of a larger file's start is checked. */
export const HEAD_CHECK_BYTES = 1024 * 1024;
/** How much of a larger file's end is read to find its last line. */
export const TAIL_CHECK_BYTES = 64 * 1024;

export interface TraceCheck {
  size: number;
  /** Records read (of the part checked). */
  records: number;
  /** The whole file was checked, or only its start and end. */
  whole: boolean;
  /** A problem that leaves nothing to show (a bad header, not JSON on line 1): the page is not opened. */
  fatal: string | null;
  /** Problems after which the page still shows what comes before. */
  warnings: string[];
}

/** Lines of a file's first `limit` bytes (all of it for Infinity), cut at LF bytes, the last partial line apart. */
async function* linesOf(path: string, limit: number): AsyncGenerator<{ line: string; complete: boolean }> {
  const decoder = new TextDecoder();
  let partial: Buffer[] = [];
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024, ...(limit === Infinity ? {} : { end: limit - 1 }) });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let lf = chunk.indexOf(0x0a); lf >= 0; lf = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, lf);
      yield { line: decoder.decode(partial.length === 0 ? piece : Buffer.concat([...partial, piece])), complete: true };
      partial = [];
      start = lf + 1;
    }
    if (start < chunk.length) partial.push(chunk.subarray(start));
  }
  if (partial.length > 0) yield { line: decoder.decode(Buffer.concat(partial)), complete: false };
}

/** The text after the last LF of a file's last bytes: its last line, or '' when the file ends in a newline. */
function lastLine(path: string, size: number): string {
  const length = Math.min(size, TAIL_CHECK_BYTES);
  const buffer = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lf = buffer.lastIndexOf(0x0a);
  return buffer.subarray(lf + 1).toString('utf8');
}

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Check a trace file; throws only for a file that cannot be read at all (its errno error). */
export async function checkTrace(path: string): Promise<TraceCheck> {
  const size = statSync(path).size;
  const whole = size <= WHOLE_CHECK_BYTES;
  const out: TraceCheck = { size, records: 0, whole, fatal: null, warnings: [] };
  if (size === 0) {
    out.fatal = 'the file is empty: a trace has at least its "run" header';
    return out;
  }
  const reader = new TraceLineReader();
  let lineNo = 0;
  for await (const { line, complete } of linesOf(path, whole ? Infinity : HEAD_CHECK_BYTES)) {
    lineNo += 1;
    // A large file's check stops mid-line at HEAD_CHECK_BYTES: that line is not the file's last.
    if (!complete && !whole) break;
    if (!complete && !isJson(line) && out.records > 0) {
      out.warnings.push(`the file ends part-way through line ${lineNo}: the run was cut short while its trace was being written; the page shows the ${out.records.toLocaleString('en-US')} records before it`);
      break;
    }
    try {
      if (reader.read(line) !== null) out.records += 1;
    } catch (error) {
      const message = error instanceof TraceFileError ? error.message : String(error);
      if (out.records === 0) out.fatal = message;
      else out.warnings.push(`reading stops at line ${lineNo}: ${message}; the page shows the ${out.records.toLocaleString('en-US')} records before it`);
      return out;
    }
  }
  if (out.records === 0 && out.fatal === null) out.fatal = 'the file holds no record: a trace has at least its "run" header';
  if (!whole && out.fatal === null) {
    const last = lastLine(path, size);
    if (last.trim() !== '' && !isJson(last)) out.warnings.push('the file ends part-way through its last line: the run was cut short while its trace was being written; the page shows the records before it');
  }
  return out;
}
