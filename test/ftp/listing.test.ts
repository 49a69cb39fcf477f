import { describe, expect, it } from 'vitest';
import { parseListLine, parseListing } from '../../machines/ftp/protocol/index.ts';

const dos = (date: string, name: string) => `${date}  10:00AM                    1 ${name}`;

describe('parseListing (RFC 959 §4.1.3 LIST, either format)', () => {
  it('RFC 959 §4.1.3: parses a Unix listing and reports the "total" line as skipped, with its reason', () => {
    const text = 'total 8\r\ndrwxr-xr-x 2 ftp ftp 4096 Mar  1 14:35 pub\r\n-rw-r--r-- 1 ftp ftp 12 Mar  1 14:35 a.txt\r\n';
    const { entries, skipped } = parseListing(text);
    expect(entries.map((e) => [e.name, e.type])).toEqual([['pub', 'dir'], ['a.txt', 'file']]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.line).toBe('total 8');
    expect(skipped[0]!.error.message).toContain('block count');
  });

  it('RFC 959 §4.1.3: parses an MS-DOS listing with LF line ends', () => {
    const text = '12-05-96  05:03PM       <DIR>          myDir\n01-15-24  11:47AM                 42 a.txt\n';
    expect(parseListing(text).entries.map((e) => [e.name, e.type, e.size])).toEqual([['myDir', 'dir', null], ['a.txt', 'file', 42n]]);
  });

  it('picks the format line by line', () => {
    expect(parseListLine('12-05-96  05:03PM  <DIR>  d').ok).toBe(true);
    expect(parseListLine('-rw-r--r-- 1 a b 1 Jan 1 2020 f').ok).toBe(true);
    expect(parseListLine('???').ok).toBe(false);
  });
});

describe('parseListing: the order of MS-DOS dates is decided from the whole listing, before any line is read', () => {
  it.each([
    {
      case: 'a first field above 12 (25-12-23) can only be a day: every line is DD-MM, so 05-02-24 is 5 February',
      lines: [dos('25-12-23', 'a'), dos('05-02-24', 'b')],
      order: 'DD-MM',
      basis: 'evidence',
      says: '25-12-23',
      dates: [[2023, 12, 25], [2024, 2, 5]],
    },
    {
      case: 'the deciding line may come last: 05-02-24 is still 5 February',
      lines: [dos('05-02-24', 'b'), dos('01-03-24', 'c'), dos('31-01-24', 'd')],
      order: 'DD-MM',
      basis: 'evidence',
      says: '31-01-24',
      dates: [[2024, 2, 5], [2024, 3, 1], [2024, 1, 31]],
    },
    {
      case: 'a second field above 12 (12-25-23) can only be a day: every line is MM-DD, so 05-02-24 is 2 May',
      lines: [dos('05-02-24', 'b'), dos('12-25-23', 'a')],
      order: 'MM-DD',
      basis: 'evidence',
      says: '12-25-23',
      dates: [[2024, 5, 2], [2023, 12, 25]],
    },
    {
      case: 'no field above 12: ambiguous; read as MM-DD, as IIS writes, and said so',
      lines: [dos('05-02-24', 'b'), dos('01-03-24', 'c')],
      order: 'MM-DD',
      basis: 'ambiguous',
      says: 'MM-DD',
      dates: [[2024, 5, 2], [2024, 1, 3]],
    },
  ])('$case', ({ lines, order, basis, says, dates }) => {
    const { entries, skipped, dosDateOrder } = parseListing(lines.join('\r\n'));
    expect(skipped).toEqual([]);
    expect(dosDateOrder).toMatchObject({ order, basis });
    expect(dosDateOrder?.reason).toContain(says);
    expect(entries.map((e) => [e.date.year, e.date.month, e.date.day])).toEqual(dates);
  });

  it('both orders seen (25-12-23 and 12-25-23): a conflict, read as MM-DD, and the line that does not fit is skipped with the reason', () => {
    const { entries, skipped, dosDateOrder } = parseListing([dos('25-12-23', 'a'), dos('12-25-23', 'b')].join('\n'));
    expect(dosDateOrder).toMatchObject({ order: 'MM-DD', basis: 'conflict' });
    expect(dosDateOrder?.reason).toMatch(/25-12-23.*12-25-23|12-25-23.*25-12-23/);
    expect(entries.map((e) => e.name)).toEqual(['b']);
    expect(skipped.map((s) => s.error.code)).toEqual(['LIST_UNRECOGNISED']);
  });

  it('a listing without MS-DOS lines has no date order to decide', () => {
    expect(parseListing('-rw-r--r-- 1 a b 1 Jan 1 2020 f\n').dosDateOrder).toBeNull();
  });

  it('parseListLine takes the order too', () => {
    expect(parseListLine(dos('25-12-23', 'a'), 'DD-MM')).toMatchObject({ ok: true, value: { date: { month: 12, day: 25 } } });
  });
});
