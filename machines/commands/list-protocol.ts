/**
 * Lesson 2's protocol, LIST and QUIT, as text on a TCP connection. Lines
 * end with "\n" (the server also takes "\r\n"); commands are
 * case-insensitive. Every reply starts with a status line, "+OK ..." or
 * "-ERR ...":
 *
 *   S: +OK ready: send LIST or QUIT
 *   C: LIST
 *   S: +OK 3 names                      ← how many lines follow
 *   S: hello.txt
 *   S: notes.md
 *   S: photos
 *   C: help
 *   S: -ERR unknown command: send LIST or QUIT
 *   C: quit
 *   S: +OK bye                          (and the server closes)
 *
 * Why the count: TCP carries bytes, not messages. The connection stays open
 * after a listing, so the client cannot wait for end of data, and one
 * recv() may hold half a listing or a listing and the next reply. Only the
 * reply itself can say where it ends; this one says it up front, as a
 * number of lines. That works because a name never holds a newline once
 * escaped (escapeName), so one name is one line.
 *
 * Pure: no `node:` import, no I/O.
 */
import { MAX_LINE_BYTES } from './line-buffer.ts';

/** The course's port. */
export const PORT = 12345;
/** Largest read per recv call, as in Python's `conn.recv(1024)`. */
export const RECV_MAX = 1024;
/** A listing names at most this many entries (the first ones, sorted); a client refuses to expect more. */
export const MAX_LISTED_NAMES = 1000;

export const GREETING = '+OK ready: send LIST or QUIT';
export const GOODBYE = '+OK bye';
export const UNKNOWN_COMMAND = '-ERR unknown command: send LIST or QUIT';
export const NOT_TEXT = '-ERR that line is not UTF-8 text: send LIST or QUIT';
export const TOO_LONG = `-ERR line longer than ${MAX_LINE_BYTES} bytes: closing the connection`;

const encoder = new TextEncoder();

/** A reply's lines as the bytes sent: each line ends with "\n". */
export function replyBytes(lines: readonly string[]): Uint8Array {
  return encoder.encode(lines.map((l) => `${l}\n`).join(''));
}

/** '+OK 3 names', '+OK 1 name', and past the limit '+OK 1000 names (the first 1000 of 1234)'. */
export function listingStatus(shown: number, total: number): string {
  const count = `+OK ${shown} ${shown === 1 ? 'name' : 'names'}`;
  return total > shown ? `${count} (the first ${shown} of ${total})` : count;
}

/** The whole reply to LIST: the status line, then one escaped name per line. */
export function listingReply(names: readonly string[]): string[] {
  const shown = names.slice(0, MAX_LISTED_NAMES);
  return [listingStatus(shown.length, names.length), ...shown.map(escapeName)];
}

/** The reply to LIST when the folder cannot be read. */
export function listErrorReply(code: string): string[] {
  return [`-ERR cannot list the folder (${code})`];
}

/**
 * A name as one line of text, never raw:
 *
 *   "\"  → "\\"      newline → "\n"     carriage return → "\r"    tab → "\t"
 *   a byte that is not UTF-8 (U+DC80..U+DCFF, see file-calls.ts) → "\xE9"
 *   any other control character or lone surrogate → "\u0085"
 *
 * Every other character is sent as it is, in UTF-8. The backslash is
 * escaped too, so the escaping can be undone.
 */
export function escapeName(name: string): string {
  let out = '';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0xdc80 && c <= 0xdcff) out += `\\x${hex(c - 0xdc00, 2)}`;
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff)) out += `\\u${hex(c, 4)}`;
    else out += ch;
  }
  return out;
}

function hex(n: number, digits: number): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}

// ---- Commands, as the server reads them ------------------------------------

export type Command = 'list' | 'quit' | 'unknown' | 'notText';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What a line asks for. A line that is not UTF-8 is `notText`; case does not matter. */
export function parseCommand(line: Uint8Array): Command {
  let text: string;
  try {
    text = strict.decode(line);
  } catch {
    return 'notText';
  }
  const verb = text.toUpperCase();
  if (verb === 'LIST') return 'list';
  if (verb === 'QUIT') return 'quit';
  return 'unknown';
}

// ---- Replies, as the client reads them -------------------------------------

const LISTING = /^\+OK ([0-9]+)(?: |$)/;

/** How many names an "+OK" to LIST announces (its first word after +OK), or null for any other line. */
export function announcedNames(status: string): number | null {
  const m = LISTING.exec(status);
  return m === null ? null : Number(m[1]);
}

/**
 * How many of `lines` the next reply takes, or null if it has not all
 * arrived. `command` is what the reply answers (null: the greeting): only
 * an "+OK" to LIST has lines after its status line.
 */
export function replyLength(lines: readonly string[], command: string | null): number | null {
  const status = lines[0];
  if (status === undefined) return null;
  const names = command?.toUpperCase() === 'LIST' ? announcedNames(status) : null;
  const length = 1 + (names ?? 0);
  return lines.length >= length ? length : null;
}
