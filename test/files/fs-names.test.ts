// File names as bytes and as text, as Python's os.fsdecode / os.fsencode do it on Linux.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fsDecode, fsEncode } from '../../runtime/files/fs-names.ts';
import { needTool } from '../helpers/require-tool.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

describe('fsDecode', () => {
  it.each([
    ['ASCII', bytes(0x61, 0x62), 'ab'],
    ['valid UTF-8', bytes(0x63, 0x61, 0x66, 0xc3, 0xa9), 'café'],
    ['a lone Latin-1 byte', bytes(0x63, 0x61, 0x66, 0xe9), 'caf\uDCE9'],
    ['a cut-off sequence', bytes(0xe2, 0x82), '\uDCE2\uDC82'],
    ['an overlong encoding', bytes(0xc0, 0xaf), '\uDCC0\uDCAF'],
    ['an encoded surrogate', bytes(0xed, 0xa0, 0x80), '\uDCED\uDCA0\uDC80'],
    ['beyond U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), '\uDCF4\uDC90\uDC80\uDC80'],
    ['a four-byte character', bytes(0xf0, 0x9f, 0x98, 0x80), '\u{1F600}'],
    ['a BOM, kept', bytes(0xef, 0xbb, 0xbf, 0x61), '\uFEFFa'],
  ])('%s', (_what, input, text) => {
    expect(fsDecode(input)).toBe(text);
    expect(fsEncode(text)).toEqual(input);
  });

  it('round-trips any bytes exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        expect(fsEncode(fsDecode(b))).toEqual(b);
      }),
    );
  });

  it('refuses a lone surrogate that stands for no byte', () => {
    expect(() => fsEncode('a\uD800')).toThrow(RangeError);
  });
});

const python = needTool('python3', 'python3');
python.describe('fsDecode against Python', () => {
  it('decodes 200 random names exactly as os.fsdecode does', async () => {
    const samples = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 12 }), { numRuns: 200, seed: 7 });
    const script = 'import os,sys,json\nfor line in sys.stdin: print(json.dumps([ord(c) for c in os.fsdecode(bytes.fromhex(line.strip()))]))';
    const input = samples.map((b) => Buffer.from(b).toString('hex')).join('\n') + '\n';
    const out = execFileSync('python3', ['-c', script], { input, encoding: 'utf8', env: { ...process.env, PYTHONUTF8: '1' } });
    const expected = out.trim().split('\n').map((l) => JSON.parse(l) as number[]);
    samples.forEach((b, i) => expect([...fsDecode(b)].map((c) => c.codePointAt(0)), Buffer.from(b).toString('hex')).toEqual(expected[i]));
  });
});
