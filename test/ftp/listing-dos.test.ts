import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDosListLine } from '../../machines/ftp/protocol/index.ts';
import { fullYear } from '../../machines/ftp/protocol/listing-dos.ts';
import { nastyText } from './chunks.ts';

// RFC 959 §4.1.3 LIST leaves the format to the server; IIS and other Windows servers send MS-DOS style lines.
describe('parseDosListLine', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style directory', line: '12-05-96  05:03PM       <DIR>          myDir', entry: { name: 'myDir', type: 'dir', size: null, date: { year: 1996, month: 12, day: 5, hour: 17, minute: 3 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style file with a four-digit year and spaces in the name', line: '01-15-2024  11:47AM              1234567 report 2024.txt', entry: { name: 'report 2024.txt', type: 'file', size: 1234567, date: { year: 2024, month: 1, day: 15, hour: 11, minute: 47 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style, 12AM is midnight', line: '03-01-24  12:00AM                    0 empty', entry: { name: 'empty', type: 'file', size: 0, date: { year: 2024, month: 3, day: 1, hour: 0, minute: 0 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style, 12PM is noon', line: '03-01-24  12:30PM                    9 lunch', entry: { name: 'lunch', type: 'file', size: 9, date: { year: 2024, month: 3, day: 1, hour: 12, minute: 30 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style with a 24-hour clock (IIS option)', line: '03-01-2024  17:05       <DIR>          evening', entry: { name: 'evening', type: 'dir', size: null, date: { year: 2024, month: 3, day: 1, hour: 17, minute: 5 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style with a space before PM', line: '03-01-24  05:03 PM    <DIR>  spaced', entry: { name: 'spaced', type: 'dir', size: null, date: { year: 2024, month: 3, day: 1, hour: 17, minute: 3 } } },
    { rfc: 'RFC 959 §4.1.3 LIST, MS-DOS style, one space between the fields', line: '03-01-24 05:03am 7 tight', entry: { name: 'tight', type: 'file', size: 7, date: { year: 2024, month: 3, day: 1, hour: 5, minute: 3 } } },
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
