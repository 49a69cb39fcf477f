/**
 * What lesson 4's server sends: four messages, each with send() calls of
 * its own, chosen so that the stream shows what it does to messages.
 *
 *   "Hello, "            two short sends one after the other: a reader may
 *   "world!\n"           get them in one recv() (two sends read as one)
 *   "0123456789" * 300 + "\n"   3,001 bytes, more than one recv(1024) can
 *                        return: one send read in pieces
 *   "bye\n"              then the server closes: an empty read, end of data
 *
 * The reader cannot tell where one send ended and the next began: TCP
 * carries bytes, not messages. It reads until end of data and joins the
 * pieces (client4); reading once (client4once) gets whatever had arrived.
 *
 * Pure: no `node:` import.
 */

const encoder = new TextEncoder();

export const LONG_LINE = `${'0123456789'.repeat(300)}\n`;

/** The messages, in the order server4 sends them (server4.py's MESSAGES). */
export const MESSAGES: readonly string[] = ['Hello, ', 'world!\n', LONG_LINE, 'bye\n'];

export function messageBytes(messages: readonly string[]): Uint8Array[] {
  return messages.map((m) => encoder.encode(m));
}

/** Largest read per recv() call, as in client4.py's `sock.recv(1024)`. */
export const RECV_MAX = 1024;

/** The most a reader keeps before it stops reading: a far larger stream is not lesson 4's server. */
export const MAX_STREAM_BYTES = 1024 * 1024;

/** Longest part of a line shown in what client4 prints. */
export const SHOWN_CHARS = 40;

/**
 * What client4.py prints for each line of what it received:
 *   line 1: 'Hello, world!' (13 bytes)
 *   line 2: '0123456789012345678901234567890123456789…' (3,000 bytes)
 */
export function lineReport(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, i) => {
    const bytes = encoder.encode(line).length;
    const shown = [...line].length > SHOWN_CHARS ? `${[...line].slice(0, SHOWN_CHARS).join('')}…` : line;
    return `line ${i + 1}: ${pythonRepr(shown)} (${bytes.toLocaleString('en-US')} bytes)`;
  });
}

/** A string as Python's repr() writes it, for the plain text this lesson sends: in single quotes, a quote or backslash escaped. */
export function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}
