/**
 * Machine-readable listings of RFC 3659 section 7: MLSD lines (on the data
 * connection) and MLST entries (inside a 250 reply). Parse and format.
 *
 *   type=file;size=1024990;modify=19981107085215;perm=r; cap60.pl198.tar.gz
 *   └────────────────── facts ─────────────────────────┘ └ name (spaces kept)
 *
 * RFC 3659 section 7.2: "entry = [ facts ] SP pathname", "facts =
 * 1*( fact ";" )", "fact = factname "=" value". Section 7.4: "An individual
 * fact may not contain a semi-colon in its name or value. The complete
 * series of facts may not contain the space character."
 *
 * Browser-safe: no `node:` import.
 */
import { assertByteCount, isDigits, parseByteCount } from './byte-count.ts';
import { asClientError, fail, ftpError } from './errors.ts';
import type { FtpProtocolError, Result } from './errors.ts';
import { daysInMonth, defaultMode, fourDigitUtcYear, listableName, twoDigits } from './file-info.ts';
import type { FileInfo } from './file-info.ts';

/** Facts by name. Names are in lower case: "Fact names are case-insensitive" (section 7.5). */
export type Facts = Readonly<Record<string, string>>;

export interface MlsdEntry {
  readonly name: string;
  readonly facts: Facts;
  /**
   * The type fact in lower case ('file', 'dir', 'cdir', 'pdir',
   * 'os.unix=symlink'); null if absent. Only the type itself is lowered:
   * ProFTPD's 'OS.unix=slink:/Target' keeps the path after ':' as sent
   * ('os.unix=slink:/Target'), since paths are case-sensitive.
   */
  readonly type: string | null;
  /** The size fact in bytes, exact (see byte-count.ts); null if absent. */
  readonly size: bigint | null;
  /** The modify fact; null if absent, or if its value is not a time (see `problems`). */
  readonly modified: Date | null;
  /** The perm fact in lower case, like 'rw' or 'elc'; null if absent. */
  readonly perm: string | null;
  /**
   * Facts whose values break their grammar (a modify or create that is not
   * a time-val), as MLSD_BAD_VALUE errors. The entry is kept: a file with
   * an odd date is still a file the user should see. The raw value stays in
   * `facts`, and the field made from it is null. Absent when there is none.
   */
  readonly problems?: readonly FtpProtocolError[];
}

// RFC 3659 section 2.3: time-val = 14DIGIT [ "." 1*DIGIT ], always UTC.
const TIME_VAL = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/;

/**
 * Parse an RFC 3659 time-val ("19981107085215", "20240101120000.5") as UTC.
 * Null if it breaks the grammar or the ranges of section 2.3 (year
 * 1000..9999, month 01..12, day 01..31, hour 00..23, minute 00..59,
 * second 00..60 where 60 is a leap second), or names a day the month does
 * not have: Date.UTC would quietly turn February 31 into March 2.
 * Fractions keep milliseconds.
 */
export function parseMlsdTime(text: string): Date | null {
  const m = TIME_VAL.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return null;
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s, ms));
}

/**
 * Format a Date as an RFC 3659 time-val in UTC. Milliseconds appear only
 * when non-zero: "implementations MUST NOT add precision to time-vals where
 * that precision does not exist".
 * Null for an invalid Date or a year outside 1000..9999, which a time-val
 * cannot hold. Dates come from the file system, so this is data, not a bug
 * of the caller: leave the fact out (as mlsdFacts does), or answer MDTM 550.
 */
export function formatMlsdTime(date: Date): string | null {
  const y = fourDigitUtcYear(date);
  if (y === null) return null;
  const monthToSecond = [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  const base = `${y}${monthToSecond.map(twoDigits).join('')}`; // YYYYMMDDHHMMSS
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${String(ms).padStart(3, '0').replace(/0+$/, '')}`;
}

/**
 * Parse one MLSD line: facts, one space, the name (which may hold more
 * spaces). Errors have reply null. For an MLST entry, use parseMlstLine.
 */
export function parseMlsdLine(line: string): Result<MlsdEntry> {
  const space = line.indexOf(' ');
  if (space < 0) {
    return fail('MLSD_NO_SPACE', `${JSON.stringify(line.slice(0, 60))} has no space between the facts and the name ("type=file;size=3; name").`, null);
  }
  const facts: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const fact of line.slice(0, space).split(';')) {
    if (fact === '') continue; // the ';' that ends the last fact
    const eq = fact.indexOf('=');
    if (eq <= 0) {
      return fail('MLSD_BAD_FACT', `The fact ${JSON.stringify(fact.slice(0, 40))} is not name=value.`, null);
    }
    // Split at the first '=' only: "type=OS.unix=slink" is the type fact.
    facts[fact.slice(0, eq).toLowerCase()] = fact.slice(eq + 1);
  }
  const sizeFact = facts['size'];
  if (sizeFact !== undefined && !isDigits(sizeFact)) {
    return fail('MLSD_BAD_VALUE', `size=${sizeFact.slice(0, 20)} is not a number of bytes (section 7.5.7: size-fact = "Size" "=" 1*DIGIT).`, null);
  }
  // Exact: pyftpdlib sends size=9223372036854775807 for a sparse file, which Number() makes ...6000.
  const size = sizeFact === undefined ? null : parseByteCount(sizeFact, 'The size fact');
  if (size !== null && !size.ok) return asClientError(size);
  const modify = facts['modify'];
  const modified = modify === undefined ? null : parseMlsdTime(modify);
  // A bad time costs the entry its date, not its place in the listing.
  const problems: FtpProtocolError[] = [];
  for (const key of ['modify', 'create']) {
    const value = facts[key];
    if (value !== undefined && parseMlsdTime(value) === null) {
      problems.push(ftpError('MLSD_BAD_VALUE', `${key}=${value.slice(0, 24)} is not a time like 19981107085215 (YYYYMMDDHHMMSS, UTC; section 2.3), so it is ignored.`, null));
    }
  }
  return {
    ok: true,
    value: {
      name: line.slice(space + 1),
      facts,
      type: typeOf(facts['type']),
      size: size === null ? null : size.value,
      modified,
      perm: facts['perm']?.toLowerCase() ?? null,
      ...(problems.length > 0 ? { problems } : {}),
    },
  };
}

/** The type fact lowered up to its first ':' (see MlsdEntry.type); null if absent. */
function typeOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const colon = value.indexOf(':');
  return colon < 0 ? value.toLowerCase() : value.slice(0, colon).toLowerCase() + value.slice(colon);
}

/**
 * Parse one entry line of an MLST reply. Section 7.2: "Note that for MLST
 * the fact set is preceded by a space" (so no entry can look like the
 * reply's last line).
 */
export function parseMlstLine(line: string): Result<MlsdEntry> {
  if (!line.startsWith(' ')) {
    return fail('MLSD_NO_SPACE', `MLST entries start with one space; ${JSON.stringify(line.slice(0, 60))} does not.`, null);
  }
  return parseMlsdLine(line.slice(1));
}

/**
 * Format one MLSD line (without CRLF) from facts and a name. CR and LF in
 * the name become '?' (RFC 3659 section 2.2: such names "cannot be
 * transmitted over a data connection").
 * @throws RangeError for a fact name or value that the grammar forbids (';', ' ', '=' in names).
 */
export function formatMlsdEntry(facts: Facts, name: string): string {
  let out = '';
  for (const [key, value] of Object.entries(facts)) {
    if (!/^[^\s;=]+$/.test(key)) throw new RangeError(`fact name ${JSON.stringify(key)} is empty or holds ' ', ';' or '='`);
    if (/[\s;]/.test(value)) throw new RangeError(`fact value ${JSON.stringify(value)} holds ' ' or ';'`);
    out += `${key}=${value};`;
  }
  return `${out} ${listableName(name)}`;
}

/**
 * The facts our server gives for a file (section 7.5.10: "servers SHOULD
 * [...] support at least the type, perm, size, unique, and modify facts").
 * perm is derived from the owner bits of `mode`: r → r; w → adfw for files,
 * cdfmp for directories; x → e and r → l for directories.
 * @throws RangeError for a size outside 0..2^63 - 1 (no file has one).
 */
export function mlsdFacts(info: FileInfo): Facts {
  const mode = info.mode ?? defaultMode(info.type);
  const r = (mode & 0o400) !== 0;
  const w = (mode & 0o200) !== 0;
  const x = (mode & 0o100) !== 0;
  const facts: Record<string, string> = {};
  // Symlinks: section 7.5.1.5 "OS." types; the runtime may instead resolve them to their target.
  facts['type'] = info.type === 'symlink' ? 'OS.unix=symlink' : info.type;
  if (info.type !== 'dir') {
    assertByteCount(info.size, `the size of ${JSON.stringify(info.name)}:`);
    facts['size'] = String(info.size); // 7.5.7: "applies to non-directory file types"
  }
  // A date a time-val cannot hold (or an invalid one) leaves the fact out; section 7.5: facts are optional.
  const modify = formatMlsdTime(info.modified);
  if (modify !== null) facts['modify'] = modify;
  facts['perm'] = info.type === 'dir' ? `${x ? 'e' : ''}${r ? 'l' : ''}${w ? 'cdfmp' : ''}` : `${r ? 'r' : ''}${w ? 'adfw' : ''}`;
  if (info.unique !== undefined) facts['unique'] = info.unique;
  facts['UNIX.mode'] = `0${(mode & 0o7777).toString(8)}`;
  return facts;
}

/** One MLSD line (without CRLF) for a file: mlsdFacts, then the name. */
export function formatMlsdLine(info: FileInfo): string {
  return formatMlsdEntry(mlsdFacts(info), info.name);
}
