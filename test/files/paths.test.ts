// Paths inside a folder: the same rules for the virtual and the real folder.
import { describe, expect, it } from 'vitest';
import { byCodePoint, pathSegments, sortNames } from '../../runtime/files/paths.ts';

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
    ['two\nlines', ['two\nlines']],
  ])('%j → %j', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments);
  });

  it.each(['..', '../etc', 'docs/../..', '/..', 'a/../../b'])('refuses %j: it leads above the folder (EOUTSIDE)', (path) => {
    expect(() => pathSegments(path)).toThrow(expect.objectContaining({ code: 'EOUTSIDE' }));
  });

  it('refuses a NUL byte (EINVAL)', () => {
    expect(() => pathSegments('a\0b')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
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
