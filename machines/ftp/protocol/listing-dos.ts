/**
 * MS-DOS style LIST lines, sent by IIS and other Windows servers.
 *
 *   12-05-96  05:03PM       <DIR>          myDir
 *   01-15-2024  11:47AM              1234567 report 2024.txt
 *   └─ date ─┘  └ time ┘  <DIR> or a size  └ name (may hold spaces)
 *
 * Browser-safe: no `node:` import.
 */
import { fail } from './errors.ts';
import type { Result } from './errors.ts';
import { isValidListingDate } from './file-info.ts';
import type { ListEntry, ListingDate } from './file-info.ts';

// No two runs of the same characters may touch, or a long run splits between
// them in quadratically many ways: "\s*([AaPp][Mm])?\s+" took 3.5 s on 60,000
// spaces. So at most one space before AM/PM (" ?"), then a single run.
const DOS_LINE = /^(\d{2})-(\d{2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2}) ?([AaPp][Mm])?\s+(<DIR>|\d+)\s+(\S.*)$/;

/**
 * Two-digit years as POSIX strptime reads them: 69..99 are 1969..1999,
 * 00..68 are 2000..2068.
 */
export function fullYear(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n >= 69 ? 1900 + n : 2000 + n;
}

/** Parse one MS-DOS style line; LIST_UNRECOGNISED (reply null) for anything else. */
export function parseDosListLine(line: string): Result<ListEntry> {
  const m = DOS_LINE.exec(line);
  if (!m) {
    return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} is not an MS-DOS listing line like "12-05-96  05:03PM  <DIR>  name".`, null);
  }
  const [, mm, dd, yy, hh, min, ampm, sizeOrDir, name] = m as unknown as [string, string, string, string, string, string, string | undefined, string, string];
  let hour = Number(hh);
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} has hour ${hh} with ${ampm}; 12-hour times run 1 to 12.`, null);
    // 12AM is midnight, 12PM is noon.
    hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  const date: ListingDate = { year: fullYear(yy), month: Number(mm), day: Number(dd), hour, minute: Number(min) };
  if (!isValidListingDate(date)) {
    return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} has an impossible date or time.`, null);
  }
  const dir = sizeOrDir === '<DIR>';
  return { ok: true, value: { name, type: dir ? 'dir' : 'file', size: dir ? null : Number(sizeOrDir), date } };
}
