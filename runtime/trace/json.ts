/**
 * The trace as JSON lines: one record per line, bytes as base64 text.
 * Records hold bytes as `Uint8Array` in memory; they are encoded here, when
 * a record is written out, and decoded here when a file is read back.
 *
 *   {"seq":0,"t":0,"type":"run","version":2,"transport":"sim",...}
 *   {"seq":9,"t":1,"type":"send","actor":"server1","conn":"c1",...,"data":"WW91IGFyZSBjb25uZWN0ZWQ="}
 *
 * Reading checks what a learner's file may get wrong and says so in one
 * sentence with the line number: not JSON, not a trace, another version,
 * records out of order. Browser-safe.
 */
import { fromBase64, toBase64 } from './bytes.ts';
import { TRACE_VERSION, type TraceRecord } from './records.ts';

/** A trace file that cannot be read, with the line where reading stopped (from 1). */
export class TraceFileError extends Error {
  override readonly name = 'TraceFileError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** One record as one line of JSON (no newline). */
export function recordToJson(record: TraceRecord): string {
  const { data, ...rest } = record as { data?: unknown };
  if (!(data instanceof Uint8Array)) return JSON.stringify(record);
  // Base64 never needs escaping, so it is appended as it is: JSON.stringify
  // would scan the whole (often large) string for characters to escape.
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)},"data":"${toBase64(data)}"}`;
}

/** Records as JSON lines, each ending in a newline. */
export function toJsonLines(records: readonly TraceRecord[]): string {
  let out = '';
  for (const r of records) out += recordToJson(r) + '\n';
  return out;
}

/**
 * Reads JSON lines one at a time, checking each against the ones before:
 * the first must be a version-2 `run` header, and `seq` must grow. A
 * trace written with a window (`retain`) may skip numbers; it never goes back.
 */
export class TraceLineReader {
  private lineNo = 0;
  private lastSeq = -1;

  /** The record on a line, or null for a blank line. Throws TraceFileError. */
  read(line: string): TraceRecord | null {
    this.lineNo += 1;
    const text = line.trim();
    if (text === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new TraceFileError(
        `line ${this.lineNo} is not JSON: a trace file has one JSON record per line (${preview(text)})`,
        this.lineNo,
      );
    }
    const record = this.check(value);
    const data = (record as { data?: unknown }).data;
    if (typeof data === 'string') {
      try {
        (record as { data?: Uint8Array }).data = fromBase64(data);
      } catch (error) {
        throw new TraceFileError(`line ${this.lineNo}: the bytes are not base64 (${(error as Error).message})`, this.lineNo);
      }
    }
    return record;
  }

  private check(value: unknown): TraceRecord {
    const n = this.lineNo;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TraceFileError(`line ${n} is not a trace record (a JSON object with "seq", "t" and "type")`, n);
    }
    const r = value as { seq?: unknown; t?: unknown; type?: unknown; version?: unknown };
    if (typeof r.type !== 'string' || typeof r.seq !== 'number' || typeof r.t !== 'number') {
      throw new TraceFileError(`line ${n} is not a trace record: it needs "seq", "t" and "type"`, n);
    }
    if (this.lastSeq < 0) {
      if (r.type !== 'run') {
        throw new TraceFileError(`this is not a Sockstep trace: its first record is "${r.type}", not the "run" header`, n);
      }
      if (r.version !== TRACE_VERSION) {
        throw new TraceFileError(
          `this trace is version ${String(r.version)}; this Sockstep reads version ${TRACE_VERSION}. ` +
            'Record the run again with this version (sockstep run ... --trace FILE).',
          n,
        );
      }
    } else if (r.seq <= this.lastSeq) {
      throw new TraceFileError(
        `line ${n}: records are out of order (seq ${r.seq} comes after seq ${this.lastSeq}); was the file edited or two traces joined?`,
        n,
      );
    } else if (r.type === 'run') {
      throw new TraceFileError(`line ${n}: a second "run" header; a file holds one trace`, n);
    }
    this.lastSeq = r.seq;
    return value as TraceRecord;
  }
}

/** Read a whole JSON-lines trace. Throws TraceFileError on the first problem. */
export function parseJsonLines(text: string): TraceRecord[] {
  const reader = new TraceLineReader();
  const records: TraceRecord[] = [];
  for (const line of text.split('\n')) {
    const r = reader.read(line);
    if (r !== null) records.push(r);
  }
  if (records.length === 0) throw new TraceFileError('the file is empty: a trace has at least its "run" header', 1);
  return records;
}

function preview(text: string): string {
  return text.length > 40 ? `starts ${JSON.stringify(text.slice(0, 40))}…` : JSON.stringify(text);
}
