/**
 * A trace file read as a stream of bytes (a picked file's `File.stream()`,
 * or the body of the app's answer for `sockstep view`), never read whole:
 * bytes become text (UTF-8, a character split between two chunks kept
 * whole), text becomes lines, and each line goes through the trace's own
 * reader (runtime/trace/json.ts `TraceLineReader`: the header first,
 * version 2, JSON on every line, seq only growing).
 *
 * Reading is pulled: `next(n)` reads until it has `n` records (and hands
 * out no more), so a page can stop once it holds what it shows and read on
 * later. A 1 GB file
 * shows its first step after its first chunk.
 *
 * What can go wrong is data (`problem`), with what was read before it:
 *   - `bad`: a line that is not JSON, not a record, another version, out of order;
 *   - `cut`: the last line stops part-way (the program writing it was stopped);
 *   - `long`: a line longer than MAX_LINE_CHARS (not a trace, or not one a page can hold);
 *   - `empty`: no record at all.
 */
import { TraceFileError, TraceLineReader } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

/** Longest line read: a record of a 48 MB send in base64. Beyond it the file is refused, not held in memory. */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export type StreamProblemKind = 'bad' | 'cut' | 'long' | 'empty';

export interface StreamProblem {
  kind: StreamProblemKind;
  /** The line it is about, from 1. */
  line: number;
  /** What is wrong, as the trace reader words it (no name, no full stop): "line 3 is not JSON: …". */
  message: string;
}

export class TraceStreamReader {
  /** Bytes read from the source so far. */
  bytes = 0;
  /** Lines read so far. */
  lines = 0;
  /** Records read so far. */
  records = 0;
  problem: StreamProblem | null = null;
  /** Records read but not yet handed out: a chunk holds many lines, `next(n)` hands out at most n. */
  private ready: TraceRecord[] = [];
  private readyHead = 0;
  private readonly reader = new TraceLineReader();
  private readonly decoder = new TextDecoder();
  private rest = '';
  private ended = false;

  constructor(
    private readonly source: ReadableStreamDefaultReader<Uint8Array>,
    private readonly maxLine = MAX_LINE_CHARS,
  ) {}

  /** Whether reading is over (the end of the file, or a problem) and every record read has been handed out. */
  get finished(): boolean {
    return this.stopped && this.readyHead >= this.ready.length;
  }

  /** No more will be read from the source. */
  private get stopped(): boolean {
    return this.ended || this.problem !== null;
  }

  /** The next records, at most `max` (fewer at the end or at a problem), reading only as far as they need. */
  async next(max: number): Promise<TraceRecord[]> {
    while (this.ready.length - this.readyHead < max && !this.stopped) {
      const { done, value } = await this.source.read();
      if (done) {
        this.finish(this.decoder.decode(), this.ready);
        break;
      }
      this.bytes += value.byteLength;
      this.take(this.decoder.decode(value, { stream: true }), this.ready);
    }
    if (this.stopped) void this.source.cancel().catch(() => undefined);
    const out = this.ready.slice(this.readyHead, this.readyHead + Math.max(0, max));
    this.readyHead += out.length;
    if (this.readyHead >= this.ready.length) {
      this.ready = [];
      this.readyHead = 0;
    }
    return out;
  }

  /** Stop reading (the page moved on to another file). */
  cancel(): void {
    this.ended = true;
    void this.source.cancel().catch(() => undefined);
  }

  /**
   * The whole lines that `chunk` completes, read; what follows its last
   * newline is kept for the next chunk. Only the new chunk is searched, so
   * a long line costs its length once, not once per chunk.
   */
  private take(chunk: string, out: TraceRecord[]): void {
    let nl = chunk.indexOf('\n');
    if (nl < 0) {
      this.rest += chunk;
    } else {
      if (!this.line(this.rest + chunk.slice(0, nl), out)) return;
      let from = nl + 1;
      for (nl = chunk.indexOf('\n', from); nl >= 0; nl = chunk.indexOf('\n', from)) {
        if (!this.line(chunk.slice(from, nl), out)) return;
        from = nl + 1;
      }
      this.rest = chunk.slice(from);
    }
    if (this.rest.length > this.maxLine) {
      this.problem = {
        kind: 'long',
        line: this.lines + 1,
        message: `line ${this.lines + 1} is longer than ${Math.round(this.maxLine / 2 ** 20)} MB without ending: this is not a trace file the page can read`,
      };
    }
  }

  /** The last line: a file may end without a newline; a line that stops part-way was cut. */
  private finish(tail: string, out: TraceRecord[]): void {
    this.take(tail, out);
    if (this.problem !== null) return;
    const last = this.rest;
    this.rest = '';
    this.ended = true;
    if (last.trim() !== '') {
      let complete = true;
      try {
        JSON.parse(last);
      } catch {
        complete = false;
      }
      if (!complete && this.records > 0) {
        this.lines += 1;
        this.problem = {
          kind: 'cut',
          line: this.lines,
          message: `the file ends part-way through line ${this.lines} (${last.length.toLocaleString('en-US')} characters of a record): the run was cut short while its trace was being written, and the rest was never written`,
        };
        return;
      }
      if (!this.line(last, out)) return;
    }
    if (this.records === 0 && this.problem === null) {
      this.problem = { kind: 'empty', line: Math.max(1, this.lines), message: 'the file is empty: a trace has at least its "run" header' };
    }
  }

  /** One line through the trace reader; false once a problem stops reading. */
  private line(text: string, out: TraceRecord[]): boolean {
    this.lines += 1;
    try {
      const record = this.reader.read(text);
      if (record !== null) {
        out.push(record);
        this.records += 1;
      }
      return true;
    } catch (error) {
      const message = error instanceof TraceFileError ? error.message : error instanceof Error ? error.message : String(error);
      this.problem = { kind: 'bad', line: this.lines, message };
      return false;
    }
  }
}

/** A stream's reader, for a picked file or a response body. */
export function streamReader(stream: ReadableStream<Uint8Array>): TraceStreamReader {
  return new TraceStreamReader(stream.getReader());
}

/** The sentence a page shows for a problem, given what was read before it. */
export function problemText(name: string, problem: StreamProblem, stepsShown: number): string {
  // One full stop at the end of what went wrong, none after a question mark.
  const what = problem.message.replace(/\.$/, '') + (/[?!]$/.test(problem.message) ? '' : '.');
  if (stepsShown === 0 && problem.kind !== 'cut') return `${name} cannot be shown: ${what}`;
  const shown = `${stepsShown.toLocaleString('en-US')} step${stepsShown === 1 ? '' : 's'}`;
  if (problem.kind === 'cut') return `${name} was cut short: ${what} The ${shown} before it are shown.`;
  return `Reading ${name} stopped at line ${problem.line.toLocaleString('en-US')}: ${what} The ${shown} before it are shown.`;
}
