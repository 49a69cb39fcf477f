// Lesson 2's protocol: names escaped onto one line, commands parsed, replies framed.
import { describe, expect, it } from 'vitest';
import {
  announcedNames,
  escapeName,
  listingReply,
  MAX_LISTED_NAMES,
  parseCommand,
  replyBytes,
  replyLength,
} from '../../machines/commands/list-protocol.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('escapeName', () => {
  it.each([
    ['hello.txt', 'hello.txt'],
    ['two\nlines', 'two\\nlines'],
    ['cr\rtab\t', 'cr\\rtab\\t'],
    ['back\\slash', 'back\\\\slash'],
    ['caf\uDCE9', 'caf\\xE9'],
    ['café', 'café'],
    ['bell\u0007', 'bell\\u0007'],
    ['del\u007F', 'del\\u007F'],
    ['next line\u0085', 'next line\\u0085'],
    ['lone \uD800', 'lone \\uD800'],
    ['emoji \u{1F600}', 'emoji \u{1F600}'],
  ])('%j → %j', (name, escaped) => {
    expect(escapeName(name)).toBe(escaped);
  });

  it('never leaves a newline, a carriage return or a lone surrogate in the line', () => {
    // Spaces between, so that no two surrogates make a pair.
    const all = Array.from({ length: 0xe000 }, (_, c) => String.fromCharCode(c)).join(' ');
    const out = escapeName(all);
    expect(out).not.toMatch(/[\n\r]/);
    expect(out).not.toMatch(/[\uD800-\uDFFF]/);
  });
});

describe('parseCommand', () => {
  it.each([
    ['LIST', 'list'],
    ['list', 'list'],
    ['LiSt', 'list'],
    ['QUIT', 'quit'],
    ['quit', 'quit'],
    ['LIST foo', 'unknown'],
    [' LIST', 'unknown'],
    ['HELP', 'unknown'],
    ['', 'unknown'],
    ['\uFEFFLIST', 'unknown'],
  ])('%j → %s', (line, command) => {
    expect(parseCommand(enc(line))).toBe(command);
  });

  it.each([
    ['a lone byte FF', [0xff]],
    ['a cut-off sequence', [0x4c, 0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
  ])('a line that is not UTF-8 (%s) is notText', (_what, bytes) => {
    expect(parseCommand(Uint8Array.from(bytes))).toBe('notText');
  });
});

describe('listing replies', () => {
  it('say how many names follow, one escaped name per line', () => {
    expect(listingReply(['a', 'two\nlines'])).toEqual(['+OK 2 names', 'a', 'two\\nlines']);
    expect(listingReply(['a'])).toEqual(['+OK 1 name', 'a']);
    expect(listingReply([])).toEqual(['+OK 0 names']);
    expect(new TextDecoder().decode(replyBytes(listingReply(['a'])))).toBe('+OK 1 name\na\n');
  });

  it(`name at most MAX_LISTED_NAMES (${MAX_LISTED_NAMES}), and say so`, () => {
    const names = Array.from({ length: MAX_LISTED_NAMES + 5 }, (_, i) => `f${i}`);
    const reply = listingReply(names);
    expect(reply).toHaveLength(MAX_LISTED_NAMES + 1);
    expect(reply[0]).toBe(`+OK ${MAX_LISTED_NAMES} names (the first ${MAX_LISTED_NAMES} of ${MAX_LISTED_NAMES + 5})`);
    expect(announcedNames(reply[0]!)).toBe(MAX_LISTED_NAMES);
  });
});

describe('replyLength: where a reply ends', () => {
  it.each([
    [[], null, null],
    [['+OK ready: send LIST or QUIT'], null, 1],
    [['+OK 2 names', 'a'], 'LIST', null],
    [['+OK 2 names', 'a', 'b'], 'list', 3],
    [['+OK 2 names', 'a', 'b', '+OK bye'], 'LIST', 3],
    [['+OK 0 names'], 'LIST', 1],
    [['-ERR cannot list the folder (ENOENT)'], 'LIST', 1],
    [['+OK bye'], 'QUIT', 1],
    [['-ERR unknown command: send LIST or QUIT'], 'HELP', 1],
    // A status line that looks like a count, answering another command, has no lines after it.
    [['+OK 2 names'], 'QUIT', 1],
  ])('lines %j answering %j → %j', (lines, command, length) => {
    expect(replyLength(lines as string[], command as string | null)).toBe(length);
  });
});
