/**
 * Cut a byte stream into lines. TCP delivers bytes, not commands: one
 * recv() may return half a command, or two:
 *
 *   rest ""      chunk "LI"                →  lines []                 rest "LI"
 *   rest "LI"    chunk "ST\nQUIT\r\nLI"    →  lines ["LIST", "QUIT"]   rest "LI"
 *
 * A line ends at LF ("\n"); a CR just before it is dropped, so "\r\n"
 * works too. Bytes in, lines and the rest out: the caller keeps the rest
 * for the next chunk. Lines stay bytes; decoding them is the caller's
 * choice (a line that is not UTF-8 is an error, not a crash).
 *
 * The limit: a line, its line end included, is at most `limit` bytes
 * (MAX_LINE_BYTES, 4 KiB). A peer that never sends a newline must not make
 * us buffer forever, so as soon as the rest reaches the limit without one,
 * or a complete line is longer, the result says `tooLong`: the lines
 * before it are given, nothing after it.
 *
 * Pure: no `node:` import, no Buffer.
 */
import { concatBytes } from '../bytes.ts';

/** The longest line, "\n" included, in bytes. */
export const MAX_LINE_BYTES = 4096;

const LF = 0x0a;
const CR = 0x0d;

export interface LineBufferResult {
  /** Complete lines, without their line ends, in order. */
  lines: Uint8Array[];
  /** Bytes of a line whose end has not arrived yet: pass them in with the next chunk. */
  rest: Uint8Array;
  /** A line over the limit came after `lines`: stop reading this stream (rest is then empty). */
  tooLong: boolean;
}

const NO_BYTES = new Uint8Array(0);

/** The complete lines in `rest` followed by `chunk`, and what is left. */
export function takeLines(rest: Uint8Array, chunk: Uint8Array, limit = MAX_LINE_BYTES): LineBufferResult {
  const bytes = rest.length === 0 ? chunk : concatBytes(rest, chunk);
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let lf = bytes.indexOf(LF); lf !== -1; lf = bytes.indexOf(LF, start)) {
    if (lf + 1 - start > limit) return { lines, rest: NO_BYTES, tooLong: true };
    const end = lf > start && bytes[lf - 1] === CR ? lf - 1 : lf;
    lines.push(bytes.slice(start, end));
    start = lf + 1;
  }
  // With `limit` bytes and no LF yet, the line can only end up longer than the limit.
  if (bytes.length - start >= limit) return { lines, rest: NO_BYTES, tooLong: true };
  return { lines, rest: bytes.slice(start), tooLong: false };
}
