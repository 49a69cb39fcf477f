/**
 * Unix `ls -l` lines, the LIST output of most servers: parse and format.
 *
 *   drwxr-xr-x   2 ftp      ftp          4096 Mar  1 14:35 incoming
 *   -rw-r--r--   1 ftp      ftp       1048576 Dec 11  2023 big.iso
 *   lrwxrwxrwx   1 ftp      ftp            11 Jan  5 09:00 latest -> big.iso
 *   │└ perms ─┘ links owner  group       size └─ date ──┘ name
 *   └ type: - file, d directory, l symlink, others (c, b, p, s) 'other'
 *
 * RFC 959 leaves the LIST format to the server ("this information may be
 * hard to use automatically in a program", section 4.1.3); this is the
 * de facto format. The parser works on tokens, not one big regular
 * expression: owner and group may be missing, and a regex with nested
 * repetition can take quadratic time on a hostile line.
 *
 * Browser-safe: no `node:` import.
 */
import { assertByteCount, isDigits, parseByteCount } from './byte-count.ts';
import { asClientError, fail } from './errors.ts';
import type { Result } from './errors.ts';
import { defaultMode, fourDigitUtcYear, isValidListingDate, listableName, twoDigits } from './file-info.ts';
import type { EntryType, FileInfo, ListEntry, ListingDate } from './file-info.ts';

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The same in lower case, to look up a month name in any case. */
const MONTHS = MONTH_NAMES.map((name) => name.toLowerCase());
/** Type letter, nine permission letters, an optional ACL/xattr mark. */
const PERMISSIONS = /^([-dlbcpsDw])([-r][-w][-xsStTlL][-r][-w][-xsStTlL][-r][-w][-xsStTlL])[+@.]?$/;
/** GNU ls: a date more than six months (half of 365.2425 days) old is shown with its year. */
export const SIX_MONTHS_MS = (365.2425 / 2) * 24 * 3600 * 1000;

interface Token {
  readonly text: string;
  readonly end: number;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], end: m.index + m[0].length });
  return out;
}

function typeOf(letter: string): EntryType {
  if (letter === '-') return 'file';
  if (letter === 'd') return 'dir';
  if (letter === 'l') return 'symlink';
  return 'other';
}

/** Read "Mar 1 14:35" / "Dec 11 2023" / "2023-12-11 14:35" at token i: the date and the token after it, or null. */
function readDate(t: readonly Token[], i: number): { date: ListingDate; next: number } | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t[i]?.text ?? '');
  const isoTime = /^(\d{2}):(\d{2})$/.exec(t[i + 1]?.text ?? '');
  if (iso && isoTime) {
    const date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]), hour: Number(isoTime[1]), minute: Number(isoTime[2]) };
    return isValidListingDate(date) ? { date, next: i + 2 } : null;
  }
  const month = MONTHS.indexOf((t[i]?.text ?? '').toLowerCase()) + 1;
  const day = /^\d{1,2}$/.test(t[i + 1]?.text ?? '') ? Number(t[i + 1]!.text) : 0;
  const when = /^(?:(\d{1,2}):(\d{2})|(\d{4}))$/.exec(t[i + 2]?.text ?? '');
  if (month === 0 || day === 0 || !when) return null;
  const date: ListingDate = when[3] !== undefined
    ? { year: Number(when[3]), month, day, hour: null, minute: null }
    : { year: null, month, day, hour: Number(when[1]), minute: Number(when[2]) };
  return isValidListingDate(date) ? { date, next: i + 3 } : null;
}

/**
 * Parse one `ls -l` line. Errors (LIST_UNRECOGNISED, reply null) for lines in
 * another format, and for the "total 24" line that `ls` prints first.
 */
export function parseUnixListLine(line: string): Result<ListEntry> {
  const t = tokens(line);
  const perms = PERMISSIONS.exec(t[0]?.text ?? '');
  if (!perms) {
    const why = /^total\s+\d+/i.test(line.trim()) ? 'it is the block count that ls prints before the entries' : 'it does not start with permissions like -rw-r--r--';
    return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} is not a Unix listing entry: ${why}.`, null);
  }
  const links = isDigits(t[1]?.text ?? '') ? Number(t[1]!.text) : Number.NaN;
  if (!Number.isSafeInteger(links)) {
    // A count past 2^53 - 1 would be rounded: refuse it, as no file system has one.
    return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} has no link count (a whole number up to ${Number.MAX_SAFE_INTEGER}) after the permissions.`, null);
  }
  // Find the first "size month day time" after the links: owner and group sit in between.
  for (let i = 3; i < t.length; i++) {
    const found = readDate(t, i);
    if (!found) continue;
    const sizeToken = t[i - 1]!.text;
    // Devices show "major, minor" where files show a size: "4, 64" or "4,64".
    const splitDevice = isDigits(sizeToken) && /^\d+,$/.test(t[i - 2]?.text ?? '') && i - 2 >= 2;
    const device = splitDevice || /^\d+,\d+$/.test(sizeToken);
    if (!isDigits(sizeToken) && !device) continue;
    const sizeIndex = splitDevice ? i - 2 : i - 1;
    const dateEnd = t[found.next - 1]!.end;
    // Exactly one space separates the date from the name; more spaces belong to the name.
    let name = line.slice(dateEnd + 1);
    if (name === '') continue;
    const type = typeOf(perms[1]!);
    let target: string | undefined;
    const arrow = name.indexOf(' -> ');
    if (type === 'symlink' && arrow >= 0) {
      target = name.slice(arrow + 4);
      name = name.slice(0, arrow);
    }
    // Exact: a size past 2^53 read through Number() loses its last digits.
    const size = device ? null : parseByteCount(sizeToken, `The size in ${JSON.stringify(line.slice(0, 60))}`);
    if (size !== null && !size.ok) return asClientError(size);
    const people = t.slice(2, sizeIndex).map((x) => x.text);
    return {
      ok: true,
      value: {
        name,
        type,
        size: size === null ? null : size.value,
        date: found.date,
        permissions: perms[2]!,
        links,
        ...(people[0] !== undefined ? { owner: people[0] } : {}),
        ...(people.length > 1 ? { group: people.slice(1).join(' ') } : {}),
        ...(target !== undefined ? { target } : {}),
      },
    };
  }
  return fail('LIST_UNRECOGNISED', `${JSON.stringify(line.slice(0, 60))} has permissions but no "size month day time name" after them.`, null);
}

/** 0o754 -> 'rwxr-xr--'. */
export function permissionText(mode: number): string {
  const letters = 'rwxrwxrwx';
  let out = '';
  for (let bit = 8; bit >= 0; bit--) out += mode & (1 << bit) ? letters[8 - bit] : '-';
  return out;
}

/**
 * What LIST shows for a date it cannot show: an invalid Date, or a year
 * outside 1000..9999 that would not fit the 4-digit year clients parse.
 * The Unix epoch, in the year form, so every parser reads it.
 */
const PLACEHOLDER_DATE = 'Jan  1  1970';

/**
 * Format one `ls -l` line (without CRLF) for our server's LIST. Dates are in
 * UTC; like GNU ls, a date more than six months before `now`, or after it,
 * shows its year instead of its time. A date from the file system that no
 * listing can show becomes "Jan  1  1970". CR and LF in names become '?'.
 * The size is printed exactly, however many digits it has.
 * @throws RangeError for a size outside 0..2^63 - 1 (no file has one).
 */
export function formatUnixListLine(info: FileInfo, now: Date): string {
  assertByteCount(info.size, `the size of ${JSON.stringify(info.name)}:`);
  const type = info.type === 'dir' ? 'd' : info.type === 'symlink' ? 'l' : '-';
  const perms = permissionText(info.mode ?? defaultMode(info.type));
  const links = String(info.links ?? (info.type === 'dir' ? 2 : 1)).padStart(3);
  const owner = (info.owner ?? 'ftp').padEnd(8);
  const group = (info.group ?? 'ftp').padEnd(8);
  const size = String(info.size).padStart(12);
  const m = info.modified;
  const year = fourDigitUtcYear(m);
  const age = now.getTime() - m.getTime();
  const recent = age >= 0 && age < SIX_MONTHS_MS;
  // The year gets an extra space so that "14:35" and " 2023" are both 5 wide, as in ls.
  const when = recent ? `${twoDigits(m.getUTCHours())}:${twoDigits(m.getUTCMinutes())}` : ` ${year}`;
  const date = year !== null ? `${MONTH_NAMES[m.getUTCMonth()]!} ${String(m.getUTCDate()).padStart(2)} ${when}` : PLACEHOLDER_DATE;
  const link = info.type === 'symlink' && info.target !== undefined ? ` -> ${listableName(info.target)}` : '';
  return `${type}${perms} ${links} ${owner} ${group} ${size} ${date} ${listableName(info.name)}${link}`;
}
