import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDosListLine } from '../../machines/ftp/protocol/index.ts';
import { fullYear } from '../../machines/ftp/protocol/listing-dos.ts';
import { nastyText } from './chunks.ts';

// RFC 959 §4.1.3 LIST leaves the format to the server; IIS and other Windows servers send MS-DOS style lines.
describe('parseDosListLine', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style directory', line: '12-05-96  05:03PM       <DIR>          myDir', entry: { name: 'myDir', type: 'dir', size: null, date: { year: 1996, month: 12, day: 5, hour: 17, minute: 3 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style file with a four-digit year and spaces in the name', line: '01-15-2024  11:47AM              1234567 report 2024.txt', entry: { name: 'report 2024.txt', type: 'file', size: 1234567n, date: { year: 2024, month: 1, day: 15, hour: 11, minute: 47 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style, 12AM is midnight', line: '03-01-24  12:00AM                    0 empty', entry: { name: 'empty', type: 'file', size: 0n, date: { year: 2024, month: 3, day: 1, hour: 0, minute: 0 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style, 12PM is noon', line: '03-01-24  12:30PM                    9 lunch', entry: { name: 'lunch', type: 'file', size: 9n, date: { year: 2024, month: 3, day: 1, hour: 12, minute: 30 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style with a 24-hour clock (IIS option)', line: '03-01-2024  17:05       <DIR>          evening', entry: { name: 'evening', type: 'dir', size: null, date: { year: 2024, month: 3, day: 1, hour: 17, minute: 5 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style with a space before PM', line: '03-01-24  05:03 PM    <DIR>  spaced', entry: { name: 'spaced', type: 'dir', size: null, date: { year: 2024, month: 3, day: 1, hour: 17, minute: 3 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style, one space between the fields', line: '03-01-24 05:03am 7 tight', entry: { name: 'tight', type: 'file', size: 7n, date: { year: 2024, month: 3, day: 1, hour: 5, minute: 3 } } },
  ])('$rfc', ({ line, entry }) => {
    expect(parseDosListLine(line)).toEqual({ ok: true, value: entry });
  });

  it.each([
    { rfc: 'RFC 959 §4.1.3 LIST, a Unix line is not MS-DOS', line: '-rw-r--r-- 1 ftp ftp 5 Jan 1 2020 x' },
    { rfc: 'RFC 959 §4.1.3 LIST, 13PM does not exist', line: '03-01-24  13:00PM   1 x' },
    { rfc: 'RFC 959 §4.1.3 LIST, month 13 does not exist', line: '13-01-24  10:00AM   1 x' },
    { rfc: 'RFC 959 §4.1.3 LIST, no name', line: '03-01-24  10:00AM   1' },
    { rfc: 'RFC 959 §4.1.3 LIST, February 30 does not exist', line: '02-30-24  10:00AM   1 x' },
    { rfc: 'RFC 959 §4.1.3 LIST, February 29 2023 does not exist (not a leap year)', line: '02-29-2023  10:00AM   1 x' },
  ])('$rfc', ({ line }) => {
    const parsed = parseDosListLine(line);
    expect(!parsed.ok && parsed.error).toMatchObject({ code: 'LIST_UNRECOGNISED', reply: null });
  });

  it('reads two-digit years as POSIX strptime does (69..99 -> 19xx)', () => {
    expect(['68', '69', '99', '00', '2024'].map(fullYear)).toEqual([2068, 1969, 1999, 2000, 2024]);
  });

  it.each([
    { shape: 'spaces after the time', line: `01-01-24 10:00${' '.repeat(60_000)}` },
    { shape: 'spaces after the time, then a letter', line: `01-01-24 10:00${' '.repeat(60_000)}x` },
    { shape: 'spaces around AM', line: `01-01-24 10:00${' '.repeat(30_000)}AM${' '.repeat(30_000)}` },
  ])('stays fast on a long hostile line: $shape (no backtracking blow-up)', ({ line }) => {
    parseDosListLine(line); // warm up the regex engine
    const started = performance.now();
    expect(parseDosListLine(line).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(fc.property(nastyText, (line) => void parseDosListLine(line)), { numRuns: 1000 });
  });
});

// IIS ("MS-DOS" directory listing style) writes every field at a fixed column: the size is
// right-aligned to end at column 37 and the name starts at column 39 (41 with four-digit years):
//
//             1         2         3         4
//   0123456789012345678901234567890123456789012345
//   12-05-96  05:03PM       <DIR>          myDir
//   04-14-00  03:47PM                  589 readme.htm
//
// So a name's leading spaces are the spaces after column 38, not part of the gap.
describe('parseDosListLine: IIS columns keep the leading spaces of a name', () => {
  const at = (hour: number, minute: number) => ({ hour, minute });
  it.each([
    {
      rfc: 'RFC 959 §4.1.3 LIST, IIS: a file named "  spaced.txt" (name at column 39)',
      line: '04-14-00  03:47PM                  589   spaced.txt',
      entry: { name: '  spaced.txt', type: 'file', size: 589n, date: { year: 2000, month: 4, day: 14, ...at(15, 47) } },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, IIS: a directory named " lead dir" (name at column 39)',
      line: '12-05-96  05:03PM       <DIR>           lead dir',
      entry: { name: ' lead dir', type: 'dir', size: null, date: { year: 1996, month: 12, day: 5, ...at(17, 3) } },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, IIS with four-digit years: a file named " report.txt" (name at column 41)',
      line: '01-15-2024  11:47AM              1234567  report.txt',
      entry: { name: ' report.txt', type: 'file', size: 1234567n, date: { year: 2024, month: 1, day: 15, ...at(11, 47) } },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, IIS with a 24-hour clock: the same layout after a 5-character time (name at column 37)',
      line: '05-27-11  09:31                   42   x',
      entry: { name: '  x', type: 'file', size: 42n, date: { year: 2011, month: 5, day: 27, ...at(9, 31) } },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, IIS: a size above 2^53 is exact',
      line: '11-29-26  12:44PM     9007199254740993 huge.bin',
      entry: { name: 'huge.bin', type: 'file', size: 9007199254740993n, date: { year: 2026, month: 11, day: 29, ...at(12, 44) } },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, not the IIS layout (one space between fields): names start after the gap, as before',
      line: '03-01-24 05:03am 7   tight',
      entry: { name: 'tight', type: 'file', size: 7n, date: { year: 2024, month: 3, day: 1, ...at(5, 3) } },
    },
  ])('$rfc', ({ line, entry }) => {
    expect(parseDosListLine(line)).toEqual({ ok: true, value: entry });
  });

  it('RFC 2640 §2.2 UTF-8 names: a name holding U+2028 (a line terminator to a JavaScript ".") is kept whole', () => {
    const parsed = parseDosListLine('01-01-24 10:00AM 1 a\u2028b');
    expect(parsed.ok && parsed.value.name).toBe('a\u2028b');
  });

  it('RFC 959 §4.1.3 LIST: a size past INT64_MAX is refused, not rounded', () => {
    const parsed = parseDosListLine('01-01-24  10:00AM  9223372036854775808 x');
    expect(!parsed.ok && parsed.error).toMatchObject({ code: 'BYTE_COUNT_TOO_LARGE', reply: null });
  });
});

describe('parseDosListLine: the order of day and month', () => {
  it('DD-MM reads 25-12-23 as 25 December 2023, and 05-02-24 as 5 February 2024', () => {
    expect(parseDosListLine('25-12-23  10:00AM                    1 a', 'DD-MM')).toMatchObject({ ok: true, value: { date: { year: 2023, month: 12, day: 25 } } });
    expect(parseDosListLine('05-02-24  10:00AM                    1 b', 'DD-MM')).toMatchObject({ ok: true, value: { date: { year: 2024, month: 2, day: 5 } } });
  });

  it('MM-DD, the default (IIS writes MM-DD-YY), refuses 25-12-23 and says how to read a DD-MM-YY listing', () => {
    const parsed = parseDosListLine('25-12-23  10:00AM                    1 a');
    expect(!parsed.ok && parsed.error).toMatchObject({ code: 'LIST_UNRECOGNISED', reply: null });
    expect(!parsed.ok && parsed.error.message).toMatch(/DD-MM.*parseListing/);
  });

  it('DD-MM refuses 12-25-23 (no month 25)', () => {
    expect(parseDosListLine('12-25-23  10:00AM                    1 a', 'DD-MM').ok).toBe(false);
  });
});
