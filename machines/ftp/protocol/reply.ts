/**
 * Server replies: parse them from a byte stream (client side), one chunk at
 * a time, and format them (server side).
 *
 * RFC 959 section 4.2: "A reply is defined to contain the 3-digit code,
 * followed by Space <SP>, followed by one line of text [...]". A longer text
 * is bracketed: "the first line will begin with the exact required reply
 * code, followed immediately by a Hyphen [...]. The last line will begin
 * with the same code, followed immediately by Space <SP>, optionally some
 * text, and the Telnet end-of-line code."
 *
 *   2 1 1 - F e a t u r e s : CR LF     first line:  code, '-', text
 *   ␠ M D T M CR LF                     middle lines: anything
 *   ␠ S I Z E CR LF
 *   2 1 1 ␠ E n d CR LF                 last line:   same code, ' ', text
 *
 * Browser-safe: no `node:` import.
 */
import { fail, ftpError } from './errors.ts';
import type { Result } from './errors.ts';
import { MAX_REPLY_BYTES } from './limits.ts';
import { LINE_SPLITTER_START, splitTextLines } from './line-splitter.ts';
import type { LineSplitterState } from './line-splitter.ts';
import { isReplyCode } from './reply-codes.ts';
import { decodeUtf8Lenient, encodeUtf8 } from './text.ts';

export interface FtpReply {
  /** The 3-digit reply code. */
  readonly code: number;
  /**
   * The text, one entry per line. A single-line reply has one entry (the
   * text after "code "). A multi-line reply has the text after "code-", then
   * the middle lines exactly as sent, then the text after the final "code ".
   */
  readonly lines: readonly string[];
}

/**
 * The lines of an open reply, newest first. A list is never changed once
 * made: a later chunk puts new nodes in front of it. So every state a caller
 * holds keeps meaning what it meant, and a chunk costs only its own lines.
 * (Copying an array of all lines so far on every chunk made a long reply
 * fed line by line quadratic: 32,000 one-line chunks took 7.4 s.)
 */
interface LineList {
  readonly line: string;
  readonly before: LineList | null;
}

interface OpenReply {
  readonly code: number;
  /** Lines received so far, newest first; null once the reply overflowed. */
  readonly lines: LineList | null;
  /** Bytes of the reply so far, line ends counted as CRLF. */
  readonly bytes: number;
  /** The reply outgrew MAX_REPLY_BYTES: drop lines up to its last one. */
  readonly overflow: boolean;
}

export interface ReplyParserState {
  readonly splitter: LineSplitterState;
  /** A multi-line reply whose last line has not arrived yet. */
  readonly open: OpenReply | null;
}

/** The state before the first chunk. */
export const REPLY_PARSER_START: ReplyParserState = { splitter: LINE_SPLITTER_START, open: null };

/** The lines of `earlier` in arrival order, then those of `added`. */
function linesOf(earlier: LineList | null, added: readonly string[]): string[] {
  let count = 0;
  for (let node = earlier; node; node = node.before) count++;
  const out = new Array<string>(count + added.length);
  let at = count;
  for (let node = earlier; node; node = node.before) out[--at] = node.line;
  for (let i = 0; i < added.length; i++) out[count + i] = added[i]!;
  return out;
}

/**
 * The lines of the multi-line reply still open in `state`, in arrival order
 * ([] if none is open, or it overflowed). A client shell may show them while
 * it waits for the last line.
 */
export function openReplyLines(state: ReplyParserState): string[] {
  return state.open ? linesOf(state.open.lines, []) : [];
}

/** "123" followed by ' ' or '-' or the line's end; returns the code or -1. */
function codeOf(line: string): number {
  if (line.length < 3 || (line.length > 3 && line[3] !== ' ' && line[3] !== '-')) return -1;
  const a = line.charCodeAt(0) - 48;
  const b = line.charCodeAt(1) - 48;
  const c = line.charCodeAt(2) - 48;
  if (a < 1 || a > 5 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

function tooLong(bytes: number | null) {
  return ftpError(
    'REPLY_TOO_LONG',
    `A reply grew ${bytes === null ? 'past' : `to ${bytes} bytes, past`} the limit of ${MAX_REPLY_BYTES} bytes. Its lines are dropped up to its last line. ` +
      'The server is broken or hostile; consider closing the connection.',
  );
}

/**
 * Parse the replies completed by `chunk`, continuing from `state`.
 * Returns complete replies (and error values for malformed or overlong
 * ones) in arrival order, and the state to pass with the next chunk.
 * `state` is never changed, so it may be kept or passed again.
 * Lines may end in CRLF or a bare LF. Blank lines between replies are skipped.
 */
export function parseReplies(state: ReplyParserState, chunk: Uint8Array): { replies: Result<FtpReply>[]; rest: ReplyParserState } {
  const split = splitTextLines(state.splitter, chunk, MAX_REPLY_BYTES, decodeUtf8Lenient);
  const replies: Result<FtpReply>[] = [];
  // The open multi-line reply, in locals while this chunk is parsed: lines
  // of earlier chunks stay in their list, this chunk's go to `added`.
  let code = state.open?.code ?? -1;
  let earlier = state.open?.lines ?? null;
  let added: string[] = [];
  let bytes = state.open?.bytes ?? 0;
  let overflow = state.open?.overflow ?? false;
  for (const item of split.lines) {
    if (!item.ok) {
      // One line alone is past the cap, so the reply it belongs to is too.
      if (!overflow) replies.push({ ok: false, error: tooLong(null) });
      const found = codeOf(item.head);
      if (code >= 0 && found === code && item.head[3] !== '-') {
        // It is the open reply's last line ("the same code, followed
        // immediately by Space"), however long: the reply ends here, and
        // the next line is the next reply (a 226 the client waits for).
        code = -1;
        earlier = null;
        added = [];
        bytes = 0;
        overflow = false;
      } else if (code >= 0 || (found >= 0 && item.head[3] === '-')) {
        // Inside a reply, or it opens one: skip to that reply's last line.
        if (code < 0) code = found;
        overflow = true;
        earlier = null;
        added = [];
      }
      continue;
    }
    const line = item.value.text;
    const size = item.value.bytes + 2; // counted with CRLF
    if (code >= 0) {
      const closing = codeOf(line) === code && line[3] !== '-';
      if (!overflow && bytes + size > MAX_REPLY_BYTES) {
        replies.push({ ok: false, error: tooLong(bytes + size) });
        overflow = true;
        earlier = null;
        added = [];
      }
      if (closing) {
        if (!overflow) {
          added.push(line.slice(4));
          replies.push({ ok: true, value: { code, lines: linesOf(earlier, added) } });
        }
        code = -1;
        earlier = null;
        added = [];
        bytes = 0;
        overflow = false;
      } else if (!overflow) {
        added.push(line);
        bytes += size;
      }
      continue;
    }
    if (line === '') continue; // a stray CRLF between replies
    const found = codeOf(line);
    if (found < 0) {
      replies.push(fail('MALFORMED_REPLY', `The server sent ${JSON.stringify(line.slice(0, 60))}, which does not start with a 3-digit reply code (100 to 599) followed by a space or '-'.`));
    } else if (size > MAX_REPLY_BYTES) {
      replies.push({ ok: false, error: tooLong(size) });
    } else if (line[3] === '-') {
      code = found;
      earlier = null;
      added = [line.slice(4)];
      bytes = size;
    } else {
      replies.push({ ok: true, value: { code: found, lines: [line.slice(4)] } });
    }
  }
  if (code < 0) return { replies, rest: { splitter: split.rest, open: null } };
  // Still open: this chunk's lines go in front of the earlier ones.
  for (const line of added) earlier = { line, before: earlier };
  return { replies, rest: { splitter: split.rest, open: { code, lines: earlier, bytes, overflow } } };
}

/** Parse replies from text (tests, the client shell): `parseReplies` on its UTF-8 bytes. */
export function parseReplyText(text: string, state: ReplyParserState = REPLY_PARSER_START): { replies: Result<FtpReply>[]; rest: ReplyParserState } {
  return parseReplies(state, encodeUtf8(text));
}

/**
 * Format a reply with CRLF line ends. `text` is one line, or several (an
 * array, or a string with line breaks), which make a multi-line reply.
 * A middle line that starts with three digits gets a leading space: RFC 959
 * section 4.2, "If an intermediary line begins with a 3-digit number, the
 * Server must pad the front to avoid confusion."
 * Line breaks inside a line split it, so no text can end the reply early.
 * @throws RangeError if `code` is not 100..599 (a bug in the caller).
 */
export function formatReply(code: number, text: string | readonly string[] = ''): string {
  if (!isReplyCode(code)) throw new RangeError(`reply code ${code} is not 100..599`);
  const lines = (typeof text === 'string' ? [text] : text).flatMap((t) => t.split(/\r\n|\r|\n/));
  if (lines.length <= 1) return `${code} ${lines[0] ?? ''}\r\n`;
  const last = lines.length - 1;
  let out = `${code}-${lines[0]!}\r\n`;
  for (let i = 1; i < last; i++) {
    const line = lines[i]!;
    out += /^\d{3}/.test(line) ? ` ${line}\r\n` : `${line}\r\n`;
  }
  return `${out}${code} ${lines[last]!}\r\n`;
}

/** The text of a reply as one string, lines joined with '\n'. */
export function replyText(reply: FtpReply): string {
  return reply.lines.join('\n');
}
