// Paths inside a folder: the same rules for the virtual and the real folder.
import { describe, expect, it } from 'vitest';
import { byCodePoint, contentSegments, isTemporaryName, NAME_MAX_BYTES, pathSegments, sortNames, temporaryName } from '../../runtime/files/paths.ts';

describe('pathSegments', () => {
  it.each([
    ['.', []],
    ['', []],
    ['/', []],
    ['docs', ['docs']],
    ['docs/./a.txt', ['docs', 'a.txt']],
    ['docs//a.txt/', ['docs', 'a.txt']],
    ['docs/../a.txt', ['a.txt']],
    ['/docs', ['docs']],
    ['a\\b', ['a\\b']],
    ['café/\uDCE9', ['café', '\uDCE9']],
  ])('%j → %j', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments);
  });

  it.each(['..', '../etc', 'docs/../..', '/..', 'a/../../b'])('refuses %j: it leads above the folder (EOUTSIDE)', (path) => {
    expect(() => pathSegments(path)).toThrow(expect.objectContaining({ code: 'EOUTSIDE' }));
  });

  it.each(['a\0b', 'two\nlines', 'a\rb', 'x\r\nDELE y'])('refuses %j: NUL, CR and LF are in no name a call takes (EINVAL)', (path) => {
    expect(() => pathSegments(path)).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it("a scenario's folder contents may name a file with a newline (lesson 2 shows how to send one)", () => {
    expect(contentSegments('two\nlines.txt')).toEqual(['two\nlines.txt']);
    expect(() => contentSegments('a\0b')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });
});

describe('temporary names', () => {
  it('are hidden (a leading dot) and marked, beside the name', () => {
    const name = temporaryName('afile.txt', '0000002a');
    expect(name).toBe('.afile.txt.sockstep-part-0000002a');
    expect(isTemporaryName(name)).toBe(true);
    expect(isTemporaryName('afile.txt')).toBe(false);
    expect(isTemporaryName('.afile.txt.sockstep-part-zz')).toBe(false);
  });

  it('cut the name, never the mark, to stay within NAME_MAX bytes', () => {
    const long = 'é'.repeat(200);
    const name = temporaryName(long, 'abcdef01');
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(NAME_MAX_BYTES);
    expect(name.endsWith('.sockstep-part-abcdef01')).toBe(true);
    expect(isTemporaryName(name)).toBe(true);
  });
});

describe('sorting names by code point, as Python sorted() does', () => {
  it('puts U+FF5E before U+1F600 (UTF-16 order would not)', () => {
    const a = '\uFF5E';
    const b = '\u{1F600}';
    expect([b, a].sort()).toEqual([b, a]); // JavaScript's default: code units
    expect(sortNames([b, a])).toEqual([a, b]);
  });

  it('orders by code point, then by length', () => {
    expect(sortNames(['b', 'a', 'ab', 'B', 'caf\uDCE9', 'café'])).toEqual(['B', 'a', 'ab', 'b', 'café', 'caf\uDCE9']);
    expect(byCodePoint('a', 'a')).toBe(0);
  });
});
