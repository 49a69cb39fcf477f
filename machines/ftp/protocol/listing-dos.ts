/**
 * MS-DOS style LIST lines, sent by IIS and other Windows servers.
 *
 *              1         2         3         4
 *    0123456789012345678901234567890123456789012345
 *    12-05-96  05:03PM       <DIR>          myDir
 *    04-14-00  03:47PM                  589 readme.htm
 *    01-15-2024  11:47AM              1234567 report 2024.txt
 *    └─ date ──┘ └ time ┘ └ <DIR> or size ┘ └ name
 *
 * Names. IIS writes every field at a fixed column: after the time comes a
 * field 21 characters wide ("<DIR>" at its 8th character, or the size
 * right-aligned), one space, and the name: column 39 with two-digit years,
 * 41 with four, 37 with a 24-hour clock. Where a line has exactly that
 * layout, the name is everything from that column, so "  spaced.txt" keeps
 * its two leading spaces. Other servers separate the fields by runs of
 * spaces of any length; there a name's leading spaces cannot be told from
 * the gap before it, and are lost.
 *
 * Dates. IIS writes MM-DD-YY; some servers write DD-MM-YY, and 05-02-24
 * reads either way. One line cannot tell which; the whole listing can (see
 * dos-date-order.ts, used by parseListing). This parser takes the order as
 * an argument, MM-DD (IIS's) by default.
 *
 * Browser-safe: no `node:` import.
 */
import { parseByteCount } from './byte-count.ts';
import type { DosDateOrder } from './dos-date-order.ts';
import { asClientError, fail } from './errors.ts';
import type { Result } from './errors.ts';
import { isValidListingDate } from './file-info.ts';
import type { ListEntry, ListingDate } from './file-info.ts';

/**
 * IIS's fixed layout, up to the space before the name: two spaces after
 * the date, a two-digit hour, AM/PM attached (or a 24-hour time), then the
 * 21-character field (its width is checked after the match). Every
 * repetition is bounded, so the match costs the same on any line.
 */
const IIS_HEAD = /^(\d{2})-(\d{2})-(\d{2}|\d{4})  (\d{2}):(\d{2})([AP]M)?( {7}<DIR> {9}| {0,20}\d{1,21}) /;
/** Width of IIS's <DIR>-or-size field. */
const IIS_FIELD = 21;

// Any other spacing, up to the name. No two runs of the same characters may
// touch, or a long run splits between them in quadratically many ways:
// "\s*([AaPp][Mm])?\s+" took 3.5 s on 60,000 spaces. So at most one space
// before AM/PM (" ?"), then a single run.
const LOOSE_HEAD = /^(\d{2})-(\d{2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2}) ?([AaPp][Mm])?\s+(<DIR>|\d+)\s+/;

/**
 * Two-digit years as POSIX strptime reads them: 69..99 are 1969..1999,
 * 00..68 are 2000..2068.
 */
export function fullYear(text: string): number {
  const n = Number(text);
  if (text.length === 4) return n;
  return n >= 69 ? 1900 + n : 2000 + n;
}

/** The date of an MS-DOS line as written ("25-12-23") and its first two numbers; null for other lines. */
export function dosDateFields(line: string): { readonly text: string; readonly first: number; readonly second: number } | null {
  const m = /^(\d{2})-(\d{2})-(?:\d{2}|\d{4})(?=\s)/.exec(line);
  return m ? { text: m[0], first: Number(m[1]), second: Number(m[2]) } : null;
}

function unrecognised(line: string, why: string): Result<never> {
  return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} ${why}`, null);
}

/**
 * Parse one MS-DOS style line, reading its date in `order`.
 * LIST_UNRECOGNISED (reply null) for anything else, BYTE_COUNT_TOO_LARGE for
 * a size past 2^63 - 1. Sizes are exact bigints.
 */
export function parseDosListLine(line: string, order: DosDateOrder = 'MM-DD'): Result<ListEntry> {
  const iis = IIS_HEAD.exec(line);
  const m = iis && iis[7]!.length === IIS_FIELD ? iis : LOOSE_HEAD.exec(line);
  if (!m) return unrecognised(line, 'is not an MS-DOS listing line like "12-05-96  05:03PM  <DIR>  name".');
  const name = line.slice(m[0].length);
  if (name === '') return unrecognised(line, 'has no name after its size.');
  const [, first, second, yy, hh, min, ampm] = m as unknown as [string, string, string, string, string, string, string | undefined];
  let hour = Number(hh);
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return unrecognised(line, `has hour ${hh} with ${ampm}; 12-hour times run 1 to 12.`);
    // 12AM is midnight, 12PM is noon.
    hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  const [month, day] = order === 'MM-DD' ? [Number(first), Number(second)] : [Number(second), Number(first)];
  const date: ListingDate = { year: fullYear(yy), month, day, hour, minute: Number(min) };
  if (!isValidListingDate(date)) {
    const other = order === 'MM-DD' ? 'DD-MM' : 'MM-DD';
    const hint =
      month > 12 && day <= 12
        ? ` Read as ${order}-YY it has month ${month}. If this server writes ${other}-YY, parse the whole listing with parseListing, which decides the order from every date, or pass '${other}'.`
        : '';
    return unrecognised(line, `has an impossible date or time.${hint}`);
  }
  const sizeOrDir = m[7]!.trim(); // IIS pads its field with spaces
  if (sizeOrDir === '<DIR>') return { ok: true, value: { name, type: 'dir', size: null, date } };
  // Exact: a size past 2^53 read through Number() loses its last digits.
  const size = parseByteCount(sizeOrDir, `The size in ${JSON.stringify(line.slice(0, 60))}`);
  if (!size.ok) return asClientError(size);
  return { ok: true, value: { name, type: 'file', size: size.value, date } };
}
