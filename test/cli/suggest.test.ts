// "did you mean --port?"
import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../runtime/cli/suggest.ts';

describe('editDistance', () => {
  it.each([
    ['port', 'port', 0],
    ['prot', 'port', 1],
    ['prt', 'port', 1],
    ['ports', 'port', 1],
    ['host', 'port', 2],
    ['', 'abc', 3],
  ])('%s → %s is %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));
});

describe('closest', () => {
  const known = ['host', 'port', 'trace', 'help'];
  it.each([
    ['prot', 'port'],
    ['Port', 'port'],
    ['trce', 'trace'],
    ['hots', 'host'],
    ['x', undefined],
    ['colour', undefined],
    ['hp', undefined],
  ])('%s suggests %s', (typed, expected) => expect(closest(typed, known)).toBe(expected));
});
