/**
 * Cut a byte stream into lines, one chunk at a time.
 *
 * TCP delivers bytes, not commands: one read may hold half a command, or
 * three. The splitter takes the state left by the previous call and the new
 * chunk, and returns the complete lines plus the state to keep:
 *
 *   chunk 1: "USER anon\r\nPAS"   -> lines ["USER anon"], pending "PAS"
 *   chunk 2: "S secret\r\n"       -> lines ["PASS secret"], pending ""
 *
 * A line ends at LF. RFC 959 section 5.3 says CRLF, but most servers also
 * accept a bare LF, so we do too; the CR before the LF is removed. A CR at
 * the end of one chunk whose LF starts the next is handled the same way.
 *
 * A line longer than the limit is reported once, as soon as it is too long
 * (a peer that never sends LF must not make us buffer forever), and its
 * bytes are then dropped up to its LF. The stream stays usable.
 *
 * Two ways out: `splitLines` gives each line as bytes (commands, where
 * Telnet and NUL bytes are checked before decoding); `splitTextLines`
 * decodes all complete lines of a chunk in one call and gives strings
 * (replies, where one decode per chunk instead of per line is the
 * difference between 30 and 200+ MB/s).
 *
 * Browser-safe: no `node:` import.
 */
import { ftpError } from './errors.ts';
import type { FtpProtocolError, Result } from './errors.ts';
import { MAX_COMMAND_LINE_BYTES } from './limits.ts';
import { NO_BYTES, concatBytes } from './text.ts';

const LF = 0x0a;
const CR = 0x0d;

export interface LineSplitterState {
  /** Bytes of a line whose LF has not arrived yet. */
  readonly pending: Uint8Array;
  /** True after an overlong line was reported: drop bytes up to its LF. */
  readonly skipping: boolean;
}

/** The state before the first chunk. */
export const LINE_SPLITTER_START: LineSplitterState = { pending: NO_BYTES, skipping: false };

/** A decoded line and its length in bytes (without CRLF). */
export interface TextLine {
  readonly text: string;
  readonly bytes: number;
}

/** A decoded line, or why there is none; an overlong line still shows its first bytes (`head`). */
export type TextLineResult =
  | { readonly ok: true; readonly value: TextLine }
  | { readonly ok: false; readonly error: FtpProtocolError; readonly head: string };

/** How much of an overlong line `splitTextLines` decodes: enough for "211-". */
const HEAD_BYTES = 4;

function tooLong(length: number, max: number): FtpProtocolError {
  return ftpError(
    'LINE_TOO_LONG',
    `A line reached ${length} bytes; the limit is ${max} bytes, not counting CRLF. ` +
      'Its bytes are dropped up to the next line end and the connection stays open. Send a shorter line (a shorter path).',
  );
}

interface Cut {
  /** Every complete line of this chunk, each with its LF, after any pending bytes. */
  readonly region: Uint8Array;
  /** The region's first line is the end of an overlong line: drop it. */
  readonly skipFirst: boolean;
  readonly rest: LineSplitterState;
  /** The unfinished tail is already too long: the error, and the tail's first bytes. */
  readonly overflow: { readonly error: FtpProtocolError; readonly head: Uint8Array } | null;
}

/** Split a chunk into the region of complete lines and the unfinished tail. */
function cut(state: LineSplitterState, chunk: Uint8Array, max: number): Cut {
  const lastLf = chunk.lastIndexOf(LF);
  let region: Uint8Array = NO_BYTES;
  let pending = state.pending;
  let skipFirst = false;
  let skipping = state.skipping;
  if (lastLf >= 0) {
    const lines = chunk.subarray(0, lastLf + 1);
    region = pending.length > 0 ? concatBytes(pending, lines) : lines;
    skipFirst = skipping;
    pending = NO_BYTES;
    skipping = false;
  }
  if (skipping) return { region, skipFirst, rest: { pending: NO_BYTES, skipping: true }, overflow: null };
  // Copy the tail: the caller may reuse the chunk's buffer for the next read.
  const tail = chunk.subarray(lastLf + 1);
  const rest = pending.length > 0 ? concatBytes(pending, tail) : tail.slice();
  // A line of exactly the limit may wait here with its CR, for its LF.
  const waitingCr = rest.length === max + 1 && rest[max] === CR;
  if (rest.length > max && !waitingCr) {
    const overflow = { error: tooLong(rest.length, max), head: rest.subarray(0, HEAD_BYTES) };
    return { region, skipFirst, rest: { pending: NO_BYTES, skipping: true }, overflow };
  }
  return { region, skipFirst, rest: { pending: rest, skipping: false }, overflow: null };
}

/**
 * Split `chunk` into complete lines (bytes, without CRLF/LF), continuing
 * from `state`. An overlong line becomes a LINE_TOO_LONG error in its place.
 * Lines may be views into `chunk`: decode or copy them before reusing its buffer.
 */
export function splitLines(
  state: LineSplitterState,
  chunk: Uint8Array,
  maxLineBytes: number = MAX_COMMAND_LINE_BYTES,
): { lines: Result<Uint8Array>[]; rest: LineSplitterState } {
  const { region, skipFirst, rest, overflow } = cut(state, chunk, maxLineBytes);
  const lines: Result<Uint8Array>[] = [];
  let start = 0;
  for (let lf = region.indexOf(LF); lf >= 0; lf = region.indexOf(LF, start)) {
    if (!(skipFirst && start === 0)) {
      const end = lf > start && region[lf - 1] === CR ? lf - 1 : lf;
      lines.push(end - start > maxLineBytes ? { ok: false, error: tooLong(end - start, maxLineBytes) } : { ok: true, value: region.subarray(start, end) });
    }
    start = lf + 1;
  }
  if (overflow) lines.push({ ok: false, error: overflow.error });
  return { lines, rest };
}

/**
 * Like `splitLines`, but decodes all complete lines with one call of
 * `decode` and returns strings with their byte lengths. This is sound
 * because LF never occurs inside a UTF-8 sequence, and a decoder that
 * replaces bad bytes never produces '\n' from anything but an LF byte: the
 * n-th '\n' of the text is the n-th LF of the bytes.
 */
export function splitTextLines(
  state: LineSplitterState,
  chunk: Uint8Array,
  maxLineBytes: number,
  decode: (bytes: Uint8Array) => string,
): { lines: TextLineResult[]; rest: LineSplitterState } {
  const { region, skipFirst, rest, overflow } = cut(state, chunk, maxLineBytes);
  const lines: TextLineResult[] = [];
  if (region.length > 0) {
    const text = decode(region);
    let start = 0; // in bytes
    let from = 0; // in text
    for (let lf = region.indexOf(LF); lf >= 0; lf = region.indexOf(LF, start)) {
      const nl = text.indexOf('\n', from);
      if (!(skipFirst && start === 0)) {
        const cr = lf > start && region[lf - 1] === CR;
        const bytes = cr ? lf - 1 - start : lf - start;
        lines.push(
          bytes > maxLineBytes
            ? { ok: false, error: tooLong(bytes, maxLineBytes), head: text.slice(from, from + HEAD_BYTES) }
            : { ok: true, value: { text: text.slice(from, cr ? nl - 1 : nl), bytes } },
        );
      }
      start = lf + 1;
      from = nl + 1;
    }
  }
  if (overflow) lines.push({ ok: false, error: overflow.error, head: decode(overflow.head) });
  return { lines, rest };
}
