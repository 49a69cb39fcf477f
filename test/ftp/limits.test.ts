/**
 * The named limits, each tested at the limit and one byte past it.
 */
import { describe, expect, it } from 'vitest';
import {
  LINE_SPLITTER_START,
  MAX_COMMAND_LINE_BYTES,
  MAX_REPLY_BYTES,
  REPLY_PARSER_START,
  parseCommandLine,
  parseReplies,
  splitLines,
} from '../../machines/ftp/protocol/index.ts';
import { dec, enc } from './chunks.ts';

/** A RETR line of exactly `bytes` bytes, CRLF not counted. */
const retrOf = (bytes: number) => `RETR ${'a'.repeat(bytes - 5)}`;

describe('MAX_COMMAND_LINE_BYTES (RFC 959 §4.2.1: "500 Syntax error, command unrecognized. This may include errors such as command line too long.")', () => {
  it('is 4096', () => {
    expect(MAX_COMMAND_LINE_BYTES).toBe(4096);
  });

  it('accepts a line of exactly the limit', () => {
    const { lines } = splitLines(LINE_SPLITTER_START, enc(`${retrOf(MAX_COMMAND_LINE_BYTES)}\r\n`));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.ok).toBe(true);
    const parsed = parseCommandLine(enc(retrOf(MAX_COMMAND_LINE_BYTES)));
    expect(parsed.ok && parsed.value.argument.length).toBe(MAX_COMMAND_LINE_BYTES - 5);
  });

  it('answers 500 to one byte more, and the next command on the connection still parses', () => {
    const { lines, rest } = splitLines(LINE_SPLITTER_START, enc(`${retrOf(MAX_COMMAND_LINE_BYTES + 1)}\r\nNOOP\r\n`));
    expect(lines.map((l) => (l.ok ? dec(l.value) : `${l.error.code} ${l.error.reply}`))).toEqual(['LINE_TOO_LONG 500', 'NOOP']);
    expect(rest.skipping).toBe(false);
    const direct = parseCommandLine(enc(retrOf(MAX_COMMAND_LINE_BYTES + 1)));
    expect(!direct.ok && direct.error).toMatchObject({ code: 'LINE_TOO_LONG', reply: 500 });
  });

  it('reports a line that never ends once, as soon as it passes the limit, and drops it up to its LF', () => {
    let state = LINE_SPLITTER_START;
    const errors: string[] = [];
    for (let i = 0; i < 10; i++) {
      const step = splitLines(state, enc('x'.repeat(1000)));
      errors.push(...step.lines.map((l) => (l.ok ? 'line' : l.error.code)));
      state = step.rest;
      // Never buffers more than the limit, however long the line gets.
      expect(state.pending.length).toBeLessThanOrEqual(MAX_COMMAND_LINE_BYTES + 1);
    }
    expect(errors).toEqual(['LINE_TOO_LONG']);
    const after = splitLines(state, enc('tail of the long line\r\nNOOP\r\n'));
    expect(after.lines.map((l) => l.ok && dec(l.value))).toEqual(['NOOP']);
  });

  it('accepts a line of exactly the limit whose CR and LF arrive in separate chunks', () => {
    const first = splitLines(LINE_SPLITTER_START, enc(`${retrOf(MAX_COMMAND_LINE_BYTES)}\r`));
    expect(first.lines).toEqual([]);
    const second = splitLines(first.rest, enc('\n'));
    expect(second.lines.map((l) => l.ok && l.value.length)).toEqual([MAX_COMMAND_LINE_BYTES]);
  });
});

describe('MAX_REPLY_BYTES (a client buffers at most 64 KiB for one reply)', () => {
  const codes = (chunk: Uint8Array) => parseReplies(REPLY_PARSER_START, chunk).replies.map((r) => (r.ok ? r.value.code : r.error.code));

  it('is 64 KiB', () => {
    expect(MAX_REPLY_BYTES).toBe(65536);
  });

  it('accepts a single-line reply of exactly the limit, CRLF included, and refuses one byte more', () => {
    const exact = `200 ${'x'.repeat(MAX_REPLY_BYTES - 6)}\r\n`;
    expect(enc(exact).length).toBe(MAX_REPLY_BYTES);
    expect(codes(enc(`${exact}226 Done\r\n`))).toEqual([200, 226]);
    const over = `200 ${'x'.repeat(MAX_REPLY_BYTES - 5)}\r\n`;
    expect(codes(enc(`${over}226 Done\r\n`))).toEqual(['REPLY_TOO_LONG', 226]);
  });

  /** A 211 multi-line reply of exactly `total` bytes. */
  function multiLine(total: number): string {
    const head = '211-Features:\r\n';
    const tail = '211 End\r\n';
    let body = '';
    while (head.length + body.length + tail.length + 102 <= total) body += ` ${'F'.repeat(99)}\r\n`;
    const filler = total - head.length - body.length - tail.length - 2;
    return `${head}${body} ${'G'.repeat(filler - 1)}\r\n${tail}`;
  }

  it('accepts a multi-line reply of exactly the limit, and refuses one byte more, resuming at its last line', () => {
    expect(enc(multiLine(MAX_REPLY_BYTES)).length).toBe(MAX_REPLY_BYTES);
    expect(codes(enc(`${multiLine(MAX_REPLY_BYTES)}226 Done\r\n`))).toEqual([211, 226]);
    expect(codes(enc(`${multiLine(MAX_REPLY_BYTES + 1)}226 Done\r\n`))).toEqual(['REPLY_TOO_LONG', 226]);
  });

  it('refuses a reply line that never ends once it passes the limit, without buffering it all', () => {
    let state = REPLY_PARSER_START;
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const step = parseReplies(state, enc(i === 0 ? '150-' : 'y'.repeat(8192)));
      seen.push(...step.replies.map((r) => (r.ok ? String(r.value.code) : r.error.code)));
      state = step.rest;
      expect(state.splitter.pending.length).toBeLessThanOrEqual(MAX_REPLY_BYTES + 1);
    }
    expect(seen).toEqual(['REPLY_TOO_LONG']);
    const after = parseReplies(state, enc('\r\n150 End\r\n226 Done\r\n'));
    expect(after.replies.map((r) => (r.ok ? r.value.code : r.error.code))).toEqual([226]);
  });
});
