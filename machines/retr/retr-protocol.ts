/**
 * Lesson 5's protocol: RETR a file. The client sends one command line; the
 * server answers with a status line, then (on success) the file's bytes:
 *
 *   C: RETR somefile.txt
 *   S: +OK                           (2b: +OK, 2c: +OK 171, the size in bytes)
 *   S: the first line of the file
 *   S: the second line ...
 *
 *   C: RETR nosuchfile.txt
 *   S: -ERR no such file: nosuchfile.txt
 *
 * How the client tells an error from content: the FIRST line is always a
 * status line, "+OK ..." or "-ERR ...", and the file's bytes come only
 * after "+OK". An error line is never content, and a file whose own first
 * line reads "-ERR" is still content: it comes after "+OK". (The course's
 * first version sends the file's lines straight away, and its client saves
 * whatever arrives, an error message included.)
 *
 * Where the file ends, three ways, one per lesson 5 run:
 *   2a  the course's: the server sends the file and waits for the next
 *       command; the client takes 2 seconds without data as the end.
 *       A server that stalls for longer makes a short file look whole.
 *   2b  the server closes the connection after the file: end of data (an
 *       empty recv) is the end of the file. One file per connection.
 *   2c  the status line says the size first ("+OK 171"): the client reads
 *       exactly that many bytes, on a connection that stays open.
 *
 * Pure: no `node:` import, no I/O.
 */
import { MAX_LINE_BYTES } from '../commands/line-buffer.ts';

/** Which end-of-file rule a run uses (see above). */
export type EndOfFile = 'timeout' | 'close' | 'size';

/** The file the course's client asks for, and the name it saves it under. */
export const REMOTE_FILE = 'somefile.txt';
export const LOCAL_FILE = 'afile.txt';

/** 2a's end of file: this long without data (the course's `sock.settimeout(2)`). */
export const QUIET_MS = 2000;

/**
 * Largest read per recv() call of the clients (client2a.py's CHUNK), and
 * per file read of the servers (Python's file object reads ahead the same
 * way). A megabyte: a read costs a machine a few steps however many bytes
 * it brings, so a big file goes in few of them.
 */
export const RECV_MAX = 1024 * 1024;
export const FILE_READ_MAX = 1024 * 1024;
/** A line of the file longer than this goes out in pieces of this size (a file with no newline at all, say). */
export const MAX_SENT_LINE = 1024 * 1024;
/** The longest command or status line, "\n" included. */
export const MAX_COMMAND_LINE = MAX_LINE_BYTES;
/** The largest size a 2c client accepts: a file it would have to hold on disk. */
export const MAX_FILE_SIZE = 2n ** 53n;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const UNKNOWN_COMMAND = '-ERR unknown command: send RETR <name>';
export const NOT_TEXT = '-ERR that line is not UTF-8 text: send RETR <name>';
export const TOO_LONG = `-ERR line longer than ${MAX_COMMAND_LINE} bytes: closing the connection`;

/** One line as sent: with its "\n". */
export function lineBytes(line: string): Uint8Array {
  return encoder.encode(`${line}\n`);
}

/** The command a client sends. */
export function retrCommand(name: string): Uint8Array {
  return lineBytes(`RETR ${name}`);
}

/** A command line, parsed: RETR with its name, or what is wrong with it. */
export type Command = { kind: 'retr'; name: string } | { kind: 'unknown' } | { kind: 'notText' };

/** "RETR somefile.txt" (the verb in any case, one space, the name to the end of the line). */
export function parseCommand(line: Uint8Array): Command {
  let text: string;
  try {
    text = decoder.decode(line);
  } catch {
    return { kind: 'notText' };
  }
  const m = /^retr (.+)$/is.exec(text);
  return m === null ? { kind: 'unknown' } : { kind: 'retr', name: m[1]! };
}

/** The status line before the file: '+OK' (2a, 2b) or '+OK 171' (2c, the size in bytes). */
export function okStatus(endOfFile: EndOfFile, size: bigint): string {
  return endOfFile === 'size' ? `+OK ${size}` : '+OK';
}

/** The status line of a file that cannot be sent, in words a learner can act on. */
export function errorStatus(name: string, code: string): string {
  if (code === 'ENOENT') return `-ERR no such file: ${name}`;
  if (code === 'EISDIR') return `-ERR that is a folder, not a file: ${name}`;
  if (code === 'EOUTSIDE') return `-ERR not in this server's folder: ${name}`;
  if (code === 'EINVAL') return `-ERR that name cannot be a file: ${name}`;
  return `-ERR cannot read ${name} (${code})`;
}

/** A status line, as the client reads it. */
export type Status = { ok: true; size: bigint | null } | { ok: false; message: string } | { ok: null; problem: string };

/** Read a status line: "+OK", "+OK 171", "-ERR ...". `ok: null` when it is neither (not this protocol). */
export function parseStatus(line: Uint8Array, endOfFile: EndOfFile): Status {
  const text = new TextDecoder().decode(line);
  if (text.startsWith('-ERR')) return { ok: false, message: text };
  if (endOfFile !== 'size') return text === '+OK' || text.startsWith('+OK ') ? { ok: true, size: null } : { ok: null, problem: text };
  const m = /^\+OK (\d{1,20})$/.exec(text);
  if (m === null) return { ok: null, problem: text };
  const size = BigInt(m[1]!);
  if (size > MAX_FILE_SIZE) return { ok: null, problem: `a size of ${size} bytes, more than this client takes` };
  return { ok: true, size };
}

/**
 * Cut a file's bytes into the lines the server sends one by one, as
 * Python's `for line in f` does: each line keeps its "\n"; bytes after the
 * last "\n" wait in `rest` for the next read (at the end of the file they
 * are the last line). A line longer than `limit` is cut into pieces of
 * `limit` bytes.
 *
 *   rest ""     chunk "one\ntw"   →  lines ["one\n"]          rest "tw"
 *   rest "tw"   chunk "o\n"       →  lines ["two\n"]          rest ""
 */
export function fileLines(rest: Uint8Array, chunk: Uint8Array, limit = MAX_SENT_LINE): { lines: Uint8Array[]; rest: Uint8Array } {
  const lines: Uint8Array[] = [];
  // Bytes of a line begun in an earlier chunk (always fewer than `limit`). Lines that lie wholly in
  // this chunk are views of it: a file of long lines is not copied once more here.
  let carry = rest;
  let start = 0;
  for (;;) {
    const lf = chunk.indexOf(0x0a, start);
    const end = lf === -1 ? chunk.length : lf + 1;
    if (carry.length + (end - start) > limit) {
      const take = limit - carry.length;
      lines.push(join(carry, chunk.subarray(start, start + take)));
      start += take;
      carry = NO_BYTES;
      continue;
    }
    if (lf === -1) break;
    lines.push(join(carry, chunk.subarray(start, end)));
    carry = NO_BYTES;
    start = end;
  }
  return { lines, rest: join(carry, chunk.subarray(start)) };
}

const NO_BYTES = new Uint8Array(0);

/** `a` then `b`: `b` itself when `a` is empty, else a new array. */
function join(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
