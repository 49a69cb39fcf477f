// Lesson 5's protocol, table-driven: the command, the status lines, and a file cut into the lines
// the server sends one by one (with its limit on a line).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorStatus, fileLines, lineBytes, MAX_FILE_SIZE, okStatus, parseCommand, parseStatus, retrCommand } from '../../machines/retr/retr-protocol.ts';

const b = (s: string) => new TextEncoder().encode(s);
const t = (u: Uint8Array) => new TextDecoder().decode(u);

describe('commands', () => {
  it.each([
    ['RETR somefile.txt', { kind: 'retr', name: 'somefile.txt' }],
    ['retr a b.txt', { kind: 'retr', name: 'a b.txt' }],
    ['RETR  two spaces', { kind: 'retr', name: ' two spaces' }],
    ['RETR', { kind: 'unknown' }],
    ['RETR ', { kind: 'unknown' }],
    ['LIST', { kind: 'unknown' }],
  ])('%j → %j', (line, command) => {
    expect(parseCommand(b(line))).toEqual(command);
  });

  it('a line that is not UTF-8 is not text', () => {
    expect(parseCommand(Uint8Array.of(0x52, 0xff))).toEqual({ kind: 'notText' });
  });

  it('the client sends one line', () => {
    expect(t(retrCommand('somefile.txt'))).toBe('RETR somefile.txt\n');
    expect(t(lineBytes('+OK'))).toBe('+OK\n');
  });
});

describe('status lines', () => {
  it.each([
    ['+OK', 'timeout', { ok: true, size: null }],
    ['+OK sending it', 'close', { ok: true, size: null }],
    ['+OK 521', 'size', { ok: true, size: 521n }],
    ['+OK', 'size', { ok: null, problem: '+OK' }],
    ['+OK 12x', 'size', { ok: null, problem: '+OK 12x' }],
    ['-ERR no such file: a.txt', 'size', { ok: false, message: '-ERR no such file: a.txt' }],
    ['-ERR no such file: a.txt', 'timeout', { ok: false, message: '-ERR no such file: a.txt' }],
    ['HTTP/1.1 200 OK', 'timeout', { ok: null, problem: 'HTTP/1.1 200 OK' }],
    ['+OKAY', 'close', { ok: null, problem: '+OKAY' }],
  ] as const)('%s (%s)', (line, end, status) => {
    expect(parseStatus(b(line), end)).toEqual(status);
  });

  it('refuses a size past what it could hold', () => {
    expect(parseStatus(b(`+OK ${MAX_FILE_SIZE + 1n}`), 'size')).toMatchObject({ ok: null });
    expect(parseStatus(b(`+OK ${MAX_FILE_SIZE}`), 'size')).toEqual({ ok: true, size: MAX_FILE_SIZE });
  });

  it('says the size only where the size is the end', () => {
    expect(okStatus('size', 521n)).toBe('+OK 521');
    expect(okStatus('timeout', 521n)).toBe('+OK');
    expect(okStatus('close', 521n)).toBe('+OK');
  });

  it.each([
    ['ENOENT', '-ERR no such file: a.txt'],
    ['EISDIR', '-ERR that is a folder, not a file: a.txt'],
    ['EOUTSIDE', "-ERR not in this server's folder: a.txt"],
    ['EINVAL', '-ERR that name cannot be a file: a.txt'],
    ['EACCES', '-ERR cannot read a.txt (EACCES)'],
  ])('a file that cannot be sent (%s): %j', (code, line) => {
    expect(errorStatus('a.txt', code)).toBe(line);
  });
});

describe('a file, line by line', () => {
  it.each([
    ['', 'one\ntw', ['one\n'], 'tw'],
    ['tw', 'o\n', ['two\n'], ''],
    ['', 'a\nb\nc\n', ['a\n', 'b\n', 'c\n'], ''],
    ['', 'no newline', [], 'no newline'],
    ['ab', '', [], 'ab'],
    ['', '\n\n', ['\n', '\n'], ''],
  ])('rest %j, chunk %j → %j, rest %j', (rest, chunk, lines, after) => {
    const cut = fileLines(b(rest), b(chunk));
    expect(cut.lines.map(t)).toEqual(lines);
    expect(t(cut.rest)).toBe(after);
  });

  it('cuts a line longer than the limit into pieces of the limit, across chunks too', () => {
    expect(fileLines(b(''), b('abcdefgh\nij'), 3).lines.map(t)).toEqual(['abc', 'def', 'gh\n']);
    const first = fileLines(b(''), b('abcd'), 3);
    expect(first.lines.map(t)).toEqual(['abc']);
    expect(t(first.rest)).toBe('d');
    const second = fileLines(first.rest, b('efg\n'), 3);
    expect(second.lines.map(t)).toEqual(['def', 'g\n']);
    // A rest exactly at the limit goes out as a piece before the next bytes.
    expect(fileLines(b('abc'), b('d\n'), 3).lines.map(t)).toEqual(['abc', 'd\n']);
  });

  it('whatever the cuts, the lines and the rest put together are the file, and no line is over the limit', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n'), maxLength: 200 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 20 }), fc.integer({ min: 1, max: 16 }), (text, cuts, limit) => {
        const bytes = b(text);
        let rest: Uint8Array = new Uint8Array(0);
        const out: string[] = [];
        let at = 0;
        for (const n of [...cuts, bytes.length]) {
          const cut = fileLines(rest, bytes.subarray(at, Math.min(bytes.length, at + n)), limit);
          out.push(...cut.lines.map(t));
          for (const line of cut.lines) expect(line.length).toBeLessThanOrEqual(limit);
          rest = cut.rest;
          at = Math.min(bytes.length, at + n);
          if (at >= bytes.length) break;
        }
        expect(out.join('') + t(rest)).toBe(text);
        expect(rest.length).toBeLessThanOrEqual(limit);
      }),
    );
  });
});
