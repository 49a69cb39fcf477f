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
 * One exception, for commands only: "ABOR" CR is a whole line (see
 * `abortEnd` below), because one common client never sends the LF.
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
import { appendBytes } from './append-bytes.ts';
import { stripTelnet } from './telnet.ts';
import { concatBytes } from '../../bytes.ts';
import { CR, LF, NO_BYTES } from './text.ts';

export interface LineSplitterState {
  /** Bytes of a line whose LF has not arrived yet. */
  readonly pending: Uint8Array;
  /** True after an overlong line was reported: drop bytes up to its LF. */
  readonly skipping: boolean;
  /** The last chunk ended in "ABOR" CR, already given as a line: an LF next is its line end, not an empty line. */
  readonly abortCr: boolean;
}

/** The state before the first chunk. */
export const LINE_SPLITTER_START: LineSplitterState = { pending: NO_BYTES, skipping: false, abortCr: false };

/** How many bytes of Telnet signals may precede an "ABOR" CR (IAC IP IAC DM is 4). */
const ABORT_TELNET_BYTES = 16;
const ABOR = [0x41, 0x42, 0x4f, 0x52];

/**
 * Where an "ABOR" CR that starts `bytes[from..to)` ends (just past the CR),
 * or -1. Telnet bytes may come first; case does not matter.
 *
 * Python's ftplib aborts a transfer like this (ftplib.FTP.abort): "This
 * does not follow the procedure from the RFC to send Telnet IP and Synch
 * [...]. Instead, just send the ABOR command as OOB data."
 * `sock.sendall(b'ABOR\r\n', MSG_OOB)` makes the LF the urgent byte, and a
 * server that does not read urgent data inline (Linux by default; Node
 * cannot set SO_OOBINLINE) never gets it. Waiting for that LF would hang
 * the client, which waits for our reply to ABOR; and its next command would
 * join the ABOR line ("ABOR\rQUIT"). So this CR ends the line, whatever
 * follows it. Nothing is lost: a CR can never be part of a command (RFC
 * 959 section 5.3.2, "<char> ::= any of the 128 ASCII characters except
 * <CR> and <LF>").
 */
function abortEnd(bytes: Uint8Array, from: number, to: number): number {
  const limit = Math.min(to, from + ABORT_TELNET_BYTES + ABOR.length + 1);
  for (let i = from + ABOR.length; i < limit; i++) {
    if (bytes[i] !== CR) continue;
    const word = stripTelnet(bytes.subarray(from, i)).bytes;
    // `| 0x20` folds ASCII letters to lower case.
    return word.length === ABOR.length && ABOR.every((b, k) => (word[k]! | 0x20) === (b | 0x20)) ? i + 1 : -1;
  }
  return -1;
}

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
  /** "ABOR" CR lines cut from the unfinished tail (commands only), without their CR. */
  readonly aborts: readonly Uint8Array[];
  readonly rest: LineSplitterState;
  /** The unfinished tail is already too long: the error, and the tail's first bytes. */
  readonly overflow: { readonly error: FtpProtocolError; readonly head: Uint8Array } | null;
}

/**
 * Split a chunk into the region of complete lines and the unfinished tail.
 * With `aborts`, "ABOR" CR lines are cut from the start of the tail first,
 * so they count neither as pending bytes nor towards the limit.
 */
function cut(state: LineSplitterState, chunk: Uint8Array, max: number, aborts = false): Cut {
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
  if (skipping) return { region, skipFirst, aborts: [], rest: { pending: NO_BYTES, skipping: true, abortCr: false }, overflow: null };
  // appendBytes copies the tail (the caller may reuse the chunk's buffer for
  // the next read), in amortised O(1) per byte however the line is cut.
  let rest = appendBytes(pending, chunk.subarray(lastLf + 1));
  const cutAborts: Uint8Array[] = [];
  for (let end = aborts ? abortEnd(rest, 0, rest.length) : -1; end > 0; end = abortEnd(rest, 0, rest.length)) {
    cutAborts.push(rest.subarray(0, end - 1));
    rest = rest.subarray(end);
  }
  const abortCr = cutAborts.length > 0 && rest.length === 0;
  // A line of exactly the limit may wait here with its CR, for its LF.
  const waitingCr = rest.length === max + 1 && rest[max] === CR;
  if (rest.length > max && !waitingCr) {
    const overflow = { error: tooLong(rest.length, max), head: rest.subarray(0, HEAD_BYTES) };
    return { region, skipFirst, aborts: cutAborts, rest: { pending: NO_BYTES, skipping: true, abortCr: false }, overflow };
  }
  return { region, skipFirst, aborts: cutAborts, rest: { pending: rest, skipping: false, abortCr }, overflow: null };
}

/**
 * Split `chunk` into command lines (bytes, without CRLF/LF), continuing
 * from `state`. An overlong line becomes a LINE_TOO_LONG error in its place.
 * "ABOR" CR (after any Telnet bytes) is a line of its own, LF or not (see
 * `abortEnd`); the lines are the same however the stream is cut.
 * Lines may be views into `chunk`: decode or copy them before reusing its buffer.
 */
export function splitLines(
  state: LineSplitterState,
  chunk: Uint8Array,
  maxLineBytes: number = MAX_COMMAND_LINE_BYTES,
): { lines: Result<Uint8Array>[]; rest: LineSplitterState } {
  if (state.abortCr) {
    if (chunk.length === 0) return { lines: [], rest: state };
    if (chunk[0] === LF) chunk = chunk.subarray(1); // the LF of an "ABOR" CR already given
    state = { ...state, abortCr: false };
  }
  const { region, skipFirst, aborts, rest, overflow } = cut(state, chunk, maxLineBytes, true);
  const lines: Result<Uint8Array>[] = [];
  let start = 0;
  for (let lf = region.indexOf(LF); lf >= 0; lf = region.indexOf(LF, start)) {
    if (!(skipFirst && start === 0)) {
      // "ABOR" CR before the line's own CR LF ends a line ("ABOR\rQUIT\r\n" is two).
      for (let end = abortEnd(region, start, lf - 1); end > 0; end = abortEnd(region, start, lf - 1)) {
        lines.push({ ok: true, value: region.subarray(start, end - 1) });
        start = end;
      }
      const end = lf > start && region[lf - 1] === CR ? lf - 1 : lf;
      lines.push(end - start > maxLineBytes ? { ok: false, error: tooLong(end - start, maxLineBytes) } : { ok: true, value: region.subarray(start, end) });
    }
    start = lf + 1;
  }
  for (const line of aborts) lines.push({ ok: true, value: line });
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
