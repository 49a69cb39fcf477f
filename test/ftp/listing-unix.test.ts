import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnixListLine, parseUnixListLine, permissionText } from '../../machines/ftp/protocol/index.ts';
import type { FileInfo } from '../../machines/ftp/protocol/index.ts';
import { nastyText } from './chunks.ts';

// RFC 959 §4.1.3 LIST: "the server should transfer a list of files"; the format is the server's. These are `ls -l` lines.
describe('parseUnixListLine', () => {
  it.each([
    {
      rfc: 'RFC 959 §4.1.3 LIST, a directory with a time (recent)',
      line: 'drwxr-xr-x   2 ftp      ftp          4096 Mar  1 14:35 incoming',
      entry: { name: 'incoming', type: 'dir', size: 4096n, date: { year: null, month: 3, day: 1, hour: 14, minute: 35 }, permissions: 'rwxr-xr-x', links: 2, owner: 'ftp', group: 'ftp' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a file with a year (older than six months)',
      line: '-rw-r--r--   1 ftp      ftp       1048576 Dec 11  2023 big.iso',
      entry: { name: 'big.iso', type: 'file', size: 1048576n, date: { year: 2023, month: 12, day: 11, hour: null, minute: null }, permissions: 'rw-r--r--', links: 1, owner: 'ftp', group: 'ftp' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a symlink "name -> target"',
      line: 'lrwxrwxrwx   1 ftp      ftp            11 Jan  5 09:00 latest -> big.iso',
      entry: { name: 'latest', type: 'symlink', size: 11n, date: { year: null, month: 1, day: 5, hour: 9, minute: 0 }, permissions: 'rwxrwxrwx', links: 1, owner: 'ftp', group: 'ftp', target: 'big.iso' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a name with spaces, leading ones included',
      line: '-rw-r--r-- 1 ann staff 12 Feb 29 2024  two  spaces ',
      entry: { name: ' two  spaces ', type: 'file', size: 12n, date: { year: 2024, month: 2, day: 29, hour: null, minute: null }, permissions: 'rw-r--r--', links: 1, owner: 'ann', group: 'staff' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, no group column (some embedded servers)',
      line: '-rw-r--r-- 1 owner 1234 Jan 1 2020 file',
      entry: { name: 'file', type: 'file', size: 1234n, date: { year: 2020, month: 1, day: 1, hour: null, minute: null }, permissions: 'rw-r--r--', links: 1, owner: 'owner' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, numeric owner and group',
      line: 'drwxrwsr-x+  3 1000 1000 4096 Aug 31 23:59 shared',
      entry: { name: 'shared', type: 'dir', size: 4096n, date: { year: null, month: 8, day: 31, hour: 23, minute: 59 }, permissions: 'rwxrwsr-x', links: 3, owner: '1000', group: '1000' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a character device ("major, minor" instead of a size)',
      line: 'crw-rw----   1 root     tty        4,  64 Jan  5 09:00 tty0',
      entry: { name: 'tty0', type: 'other', size: null, date: { year: null, month: 1, day: 5, hour: 9, minute: 0 }, permissions: 'rw-rw----', links: 1, owner: 'root', group: 'tty' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, ls --time-style=long-iso',
      line: '-rw-r--r-- 1 ftp ftp 5 2024-03-01 14:35 notes.txt',
      entry: { name: 'notes.txt', type: 'file', size: 5n, date: { year: 2024, month: 3, day: 1, hour: 14, minute: 35 }, permissions: 'rw-r--r--', links: 1, owner: 'ftp', group: 'ftp' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a name that looks like a date',
      line: '-rw-r--r-- 1 ftp ftp 5 Jan  1  2020 Feb 2 2021',
      entry: { name: 'Feb 2 2021', type: 'file', size: 5n, date: { year: 2020, month: 1, day: 1, hour: null, minute: null }, permissions: 'rw-r--r--', links: 1, owner: 'ftp', group: 'ftp' },
    },
    // Real output: vsftpd 3.0.3 and pyftpdlib 1.5.7 serving sparse files made with
    // `truncate -s 9007199254740993 huge.bin` and `truncate -s 9223372036854775807 max.bin`.
    {
      rfc: 'RFC 959 §4.1.3 LIST, vsftpd 3.0.3: a size above 2^53 is exact (not ...992)',
      line: '-rw-r--r--    1 0        0        9007199254740993 Nov 29 12:44 huge.bin',
      entry: { name: 'huge.bin', type: 'file', size: 9007199254740993n, date: { year: null, month: 11, day: 29, hour: 12, minute: 44 }, permissions: 'rw-r--r--', links: 1, owner: '0', group: '0' },
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, pyftpdlib 1.5.7: INT64_MAX, the largest size a file can have, is exact',
      line: '-rw-r--r--   1 root     root     9223372036854775807 Nov 29 12:43 max.bin',
      entry: { name: 'max.bin', type: 'file', size: 9223372036854775807n, date: { year: null, month: 11, day: 29, hour: 12, minute: 43 }, permissions: 'rw-r--r--', links: 1, owner: 'root', group: 'root' },
    },
    {
      rfc: 'RFC 3659 §2.2, vsftpd 3.0.3 after "STOR   leading spaces.txt": the name keeps its two leading spaces',
      line: '-rw-r--r--    1 0        0               1 Nov 29 12:44   leading spaces.txt',
      entry: { name: '  leading spaces.txt', type: 'file', size: 1n, date: { year: null, month: 11, day: 29, hour: 12, minute: 44 }, permissions: 'rw-r--r--', links: 1, owner: '0', group: '0' },
    },
    {
      rfc: 'RFC 3659 §2.2, pyftpdlib 1.5.7 after "STOR trailing.txt  ": the name keeps its trailing spaces',
      line: '-rw-r--r--   1 root     root            1 Nov 29 12:44 trailing.txt  ',
      entry: { name: 'trailing.txt  ', type: 'file', size: 1n, date: { year: null, month: 11, day: 29, hour: 12, minute: 44 }, permissions: 'rw-r--r--', links: 1, owner: 'root', group: 'root' },
    },
  ])('$rfc', ({ line, entry }) => {
    expect(parseUnixListLine(line)).toEqual({ ok: true, value: entry });
  });

  it.each([
    { rfc: 'RFC 959 §4.1.3 LIST, a size past INT64_MAX: no file system has such a file', line: '-rw-r--r-- 1 ftp ftp 9223372036854775808 Jan 1 2020 x', code: 'BYTE_COUNT_TOO_LARGE', says: '9223372036854775807' },
    { rfc: 'RFC 959 §4.1.3 LIST, a link count past 2^53 - 1 cannot be held exactly', line: '-rw-r--r-- 9007199254740993 ftp ftp 1 Jan 1 2020 x', code: 'LIST_UNRECOGNISED', says: 'link count' },
  ])('$rfc: refused, not rounded', ({ line, code, says }) => {
    const parsed = parseUnixListLine(line);
    expect(!parsed.ok && parsed.error).toMatchObject({ code, reply: null });
    expect(!parsed.ok && parsed.error.message).toContain(says);
  });

  it.each([
    { rfc: 'RFC 959 §4.1.3 LIST, the "total" line ls prints first', line: 'total 24', says: 'block count' },
    { rfc: 'RFC 959 §4.1.3 LIST, an MS-DOS line is not Unix', line: '12-05-96  05:03PM       <DIR>          myDir', says: 'permissions' },
    { rfc: 'RFC 959 §4.1.3 LIST, no link count', line: '-rw-r--r-- ftp ftp 5 Jan 1 2020 x', says: 'link count' },
    { rfc: 'RFC 959 §4.1.3 LIST, no name after the date', line: '-rw-r--r-- 1 ftp ftp 5 Jan 1 2020', says: 'no "size month day time name"' },
    { rfc: 'RFC 959 §4.1.3 LIST, an impossible month', line: '-rw-r--r-- 1 ftp ftp 5 Foo 1 2020 x', says: 'no "size month day time name"' },
    { rfc: 'RFC 959 §4.1.3 LIST, February 30 does not exist', line: '-rw-r--r-- 1 ftp ftp 5 Feb 30 2024 x', says: 'no "size month day time name"' },
    { rfc: 'RFC 959 §4.1.3 LIST, February 29 of a common year does not exist', line: '-rw-r--r-- 1 ftp ftp 5 Feb 29 2023 x', says: 'no "size month day time name"' },
    { rfc: 'RFC 959 §4.1.3 LIST, April 31 does not exist', line: '-rw-r--r-- 1 ftp ftp 5 Apr 31 12:00 x', says: 'no "size month day time name"' },
    { rfc: 'RFC 959 §4.1.3 LIST, long-iso February 30 does not exist', line: '-rw-r--r-- 1 ftp ftp 5 2024-02-30 14:35 x', says: 'no "size month day time name"' },
  ])('$rfc', ({ line, says }) => {
    // (February 29 with a time and no year stays valid: the year may be a leap year.)
    const parsed = parseUnixListLine(line);
    expect(!parsed.ok && parsed.error).toMatchObject({ code: 'LIST_UNRECOGNISED', reply: null });
    expect(!parsed.ok && parsed.error.message).toContain(says);
  });

  it('stays fast on a long hostile line (no backtracking blow-up)', () => {
    const line = `-rw-r--r-- 1 ${'a '.repeat(20000)}x`;
    const started = performance.now();
    expect(parseUnixListLine(line).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(fc.property(nastyText, (line) => void parseUnixListLine(line)), { numRuns: 1000 });
  });
});

describe('formatUnixListLine', () => {
  const now = new Date(Date.UTC(2024, 5, 15, 12, 0));

  it.each([
    {
      rfc: 'RFC 959 §4.1.3 LIST, a recent file shows its time (UTC)',
      info: { name: 'a.txt', type: 'file', size: 12n, modified: new Date(Date.UTC(2024, 5, 1, 9, 5)) },
      line: '-rw-r--r--   1 ftp      ftp                12 Jun  1 09:05 a.txt',
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a file older than six months shows its year',
      info: { name: 'old', type: 'file', size: 0n, modified: new Date(Date.UTC(2023, 10, 30)) },
      line: '-rw-r--r--   1 ftp      ftp                 0 Nov 30  2023 old',
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a file dated in the future shows its year',
      info: { name: 'soon', type: 'file', size: 1n, modified: new Date(Date.UTC(2024, 5, 16)) },
      line: '-rw-r--r--   1 ftp      ftp                 1 Jun 16  2024 soon',
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a directory with its mode, owner and links',
      info: { name: 'pub', type: 'dir', size: 4096n, modified: new Date(Date.UTC(2023, 11, 1)), mode: 0o750, owner: 'ann', group: 'staff', links: 3 },
      line: 'drwxr-x---   3 ann      staff            4096 Dec  1  2023 pub',
    },
    {
      rfc: 'RFC 959 §4.1.3 LIST, a symlink and its target',
      info: { name: 'latest', type: 'symlink', size: 7n, modified: new Date(Date.UTC(2024, 5, 1)), target: 'big.iso' },
      line: 'lrwxrwxrwx   1 ftp      ftp                 7 Jun  1 00:00 latest -> big.iso',
    },
    {
      rfc: 'RFC 3659 §2.2, CR and LF cannot be in a listing line: they become "?"',
      info: { name: 'a\r\nb', type: 'file', size: 1n, modified: new Date(Date.UTC(2024, 5, 1)) },
      line: '-rw-r--r--   1 ftp      ftp                 1 Jun  1 00:00 a??b',
    },
  ] as { rfc: string; info: FileInfo; line: string }[])('$rfc', ({ info, line }) => {
    expect(formatUnixListLine(info, now)).toBe(line);
  });

  it('RFC 959 §4.1.3 LIST, February 29 with a time (year unknown) may be a leap day', () => {
    const parsed = parseUnixListLine('-rw-r--r-- 1 ftp ftp 5 Feb 29 12:00 leap');
    expect(parsed.ok && parsed.value.date).toEqual({ year: null, month: 2, day: 29, hour: 12, minute: 0 });
  });

  it.each([
    { rfc: 'RFC 959 §4.1.3 LIST, an invalid Date from the file system', modified: new Date(Number.NaN) },
    { rfc: 'RFC 959 §4.1.3 LIST, a year with five digits from the file system', modified: new Date(Date.UTC(10000, 0, 1)) },
    { rfc: 'RFC 959 §4.1.3 LIST, a year before 1000 from the file system', modified: new Date(Date.UTC(999, 0, 1)) },
  ])('$rfc: shows the placeholder date Jan 1 1970, and the line still parses', ({ modified }) => {
    const line = formatUnixListLine({ name: 'odd', type: 'file', size: 1n, modified }, now);
    expect(line).toBe('-rw-r--r--   1 ftp      ftp                 1 Jan  1  1970 odd');
    expect(parseUnixListLine(line).ok).toBe(true);
  });

  it('RFC 959 §4.1.3 LIST: a size above 2^53 is printed exactly, and one past INT64_MAX is refused', () => {
    const modified = new Date(Date.UTC(2024, 5, 1));
    expect(formatUnixListLine({ name: 'huge.bin', type: 'file', size: 9007199254740993n, modified }, now)).toBe(
      '-rw-r--r--   1 ftp      ftp      9007199254740993 Jun  1 00:00 huge.bin',
    );
    expect(formatUnixListLine({ name: 'max.bin', type: 'file', size: 9223372036854775807n, modified }, now)).toBe(
      '-rw-r--r--   1 ftp      ftp      9223372036854775807 Jun  1 00:00 max.bin',
    );
    expect(() => formatUnixListLine({ name: 'x', type: 'file', size: 9223372036854775808n, modified }, now)).toThrow(/9223372036854775807/);
    expect(() => formatUnixListLine({ name: 'x', type: 'file', size: -1n, modified }, now)).toThrow(RangeError);
  });

  it('permissionText spells the mode bits', () => {
    expect(permissionText(0o754)).toBe('rwxr-xr--');
    expect(permissionText(0)).toBe('---------');
  });

  it('format then parse gives back name, type, size, permissions and date (property)', () => {
    const info = fc.record({
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((n) => !/[\r\n]/.test(n) && !n.includes(' -> ')),
      type: fc.constantFrom('file' as const, 'dir' as const),
      size: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
      modified: fc.date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2030, 0, 1)), noInvalidDate: true }),
      mode: fc.integer({ min: 0, max: 0o777 }),
    });
    fc.assert(
      fc.property(info, (i) => {
        const parsed = parseUnixListLine(formatUnixListLine(i, now));
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const m = i.modified;
        const recent = parsed.value.date.year === null;
        expect(parsed.value).toMatchObject({ name: i.name, type: i.type, size: i.size, permissions: permissionText(i.mode) });
        expect(parsed.value.date).toEqual({
          year: recent ? null : m.getUTCFullYear(),
          month: m.getUTCMonth() + 1,
          day: m.getUTCDate(),
          hour: recent ? m.getUTCHours() : null,
          minute: recent ? m.getUTCMinutes() : null,
        });
      }),
      { numRuns: 500 },
    );
  });
});
