// The line buffer: bytes in, whole lines and the rest out, with a 4 KiB limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, takeLines } from '../../machines/commands/line-buffer.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const take = (rest: string, chunk: string, limit?: number) => {
  const r = takeLines(enc(rest), enc(chunk), limit);
  return { lines: r.lines.map(dec), rest: dec(r.rest), tooLong: r.tooLong };
};

describe('takeLines', () => {
  it.each([
    ['', 'LIST\n', ['LIST'], ''],
    ['', 'LIST\r\n', ['LIST'], ''],
    ['', 'LI', [], 'LI'],
    ['LI', 'ST\n', ['LIST'], ''],
    ['', 'LIST\nQUIT\n', ['LIST', 'QUIT'], ''],
    ['', 'LIST\r\nQUIT\r\nLI', ['LIST', 'QUIT'], 'LI'],
    ['QUIT\r', '\n', ['QUIT'], ''],
    ['', '\n\r\n', ['', ''], ''],
    ['', 'a\rb\n', ['a\rb'], ''],
    ['', 'a\r\r\n', ['a\r'], ''],
  ])('rest %j + chunk %j → lines %j, rest %j', (rest, chunk, lines, left) => {
    expect(take(rest, chunk)).toEqual({ lines, rest: left, tooLong: false });
  });

  it('keeps lines as bytes: a line that is not UTF-8 comes out unchanged', () => {
    const r = takeLines(new Uint8Array(0), Uint8Array.of(0xff, 0xfe, 0x0a));
    expect(r.lines).toEqual([Uint8Array.of(0xff, 0xfe)]);
  });

  it(`allows a line of exactly MAX_LINE_BYTES (${MAX_LINE_BYTES}), its "\\n" included`, () => {
    const line = 'x'.repeat(MAX_LINE_BYTES - 1);
    expect(take('', `${line}\n`)).toEqual({ lines: [line], rest: '', tooLong: false });
    expect(take('', line)).toEqual({ lines: [], rest: line, tooLong: false });
  });

  it('says tooLong as soon as MAX_LINE_BYTES are waiting with no "\\n"', () => {
    expect(take('', 'x'.repeat(MAX_LINE_BYTES))).toEqual({ lines: [], rest: '', tooLong: true });
    expect(take('x'.repeat(MAX_LINE_BYTES - 1), 'y')).toEqual({ lines: [], rest: '', tooLong: true });
  });

  it('says tooLong for a whole line over the limit, after the lines before it, and drops what follows', () => {
    expect(take('', `LIST\n${'x'.repeat(MAX_LINE_BYTES)}\nQUIT\n`)).toEqual({ lines: ['LIST'], rest: '', tooLong: true });
  });

  it('takes another limit', () => {
    expect(take('', 'abc\nabcd\n', 4)).toEqual({ lines: ['abc'], rest: '', tooLong: true });
  });

  it('gives the same lines however the stream is cut', () => {
    const stream = 'LIST\r\nquit\nHELP\n\nx y z\r\n';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), stream.length];
        let rest: Uint8Array = new Uint8Array(0);
        const lines: string[] = [];
        for (let i = 1; i < points.length; i++) {
          const r = takeLines(rest, enc(stream.slice(points[i - 1], points[i])));
          lines.push(...r.lines.map(dec));
          rest = r.rest;
        }
        expect(lines).toEqual(['LIST', 'quit', 'HELP', '', 'x y z']);
        expect(rest.length).toBe(0);
      }),
    );
  });
});
