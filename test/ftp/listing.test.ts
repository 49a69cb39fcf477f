import { describe, expect, it } from 'vitest';
import { parseListLine, parseListing } from '../../machines/ftp/protocol/index.ts';

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
    expect(parseListing(text).entries.map((e) => [e.name, e.type, e.size])).toEqual([['myDir', 'dir', null], ['a.txt', 'file', 42]]);
  });

  it('picks the format line by line', () => {
    expect(parseListLine('12-05-96  05:03PM  <DIR>  d').ok).toBe(true);
    expect(parseListLine('-rw-r--r-- 1 a b 1 Jan 1 2020 f').ok).toBe(true);
    expect(parseListLine('???').ok).toBe(false);
  });
});
