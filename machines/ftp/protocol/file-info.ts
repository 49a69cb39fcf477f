/**
 * The records that listings are made from and parsed into, and the date
 * and name helpers that the LIST and MLSD code share.
 *
 * Browser-safe: no `node:` import.
 */

/** What our server knows about one directory entry; the listing formatters take this. */
export interface FileInfo {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink';
  /**
   * Size in bytes, exact: a bigint (see byte-count.ts), 0..2^63 - 1. Read it
   * with `fs.stat(path, { bigint: true })`; a plain stat rounds sizes past 2^53.
   */
  readonly size: bigint;
  /** Last modification time. Listings show it in UTC. */
  readonly modified: Date;
  /** Unix permission bits such as 0o644. Default: 0o644 for files, 0o755 for directories, 0o777 for links. */
  readonly mode?: number;
  /** Default 'ftp'. */
  readonly owner?: string;
  /** Default 'ftp'. */
  readonly group?: string;
  /** Hard link count. Default 1 (2 for directories). */
  readonly links?: number;
  /** Where a symlink points, shown as "name -> target". */
  readonly target?: string;
  /** An id that is the same for every name of the same file (the MLSD "unique" fact). */
  readonly unique?: string;
}

/** The kind of a parsed listing entry. */
export type EntryType = 'file' | 'dir' | 'symlink' | 'other';

/**
 * A date as a listing shows it. `ls -l` prints the time instead of the year
 * for files changed in the last six months, so `year` may be null: it is
 * then the year that puts the date in the past six months. Times are in the
 * server's time zone, which the listing does not say.
 */
export interface ListingDate {
  readonly year: number | null;
  readonly month: number;
  readonly day: number;
  readonly hour: number | null;
  readonly minute: number | null;
}

/**
 * Days in `month` (1..12) of `year`, Gregorian. With the year unknown
 * (`ls -l` shows a time instead), February has 29: it may be a leap year.
 */
export function daysInMonth(year: number | null, month: number): number {
  if (month === 2) return year === null || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A day the month has (Feb 30 is not; Feb 29 is when the year is unknown or
 * a leap year), and a time of day. Both LIST formats check their dates with it.
 */
export function isValidListingDate(d: ListingDate): boolean {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= daysInMonth(d.year, d.month) && (d.hour === null || d.hour <= 23) && (d.minute === null || d.minute <= 59);
}

/**
 * The UTC year of `date` when it has four digits (1000..9999), else null
 * (also for an invalid Date). LIST and MLSD write a 4-digit year, so a date
 * outside that range cannot be shown; each formatter decides what to do.
 */
export function fourDigitUtcYear(date: Date): number | null {
  const year = date.getUTCFullYear(); // NaN for an invalid Date
  return year >= 1000 && year <= 9999 ? year : null;
}

/** 7 -> '07': months, days and times in listings. */
export function twoDigits(n: number): string {
  return String(n).padStart(2, '0');
}

/** One entry parsed from a LIST line (Unix or MS-DOS style). */
export interface ListEntry {
  readonly name: string;
  readonly type: EntryType;
  /** Bytes, exact (see byte-count.ts); null where the listing gives none (devices, MS-DOS directories). */
  readonly size: bigint | null;
  readonly date: ListingDate;
  /** Unix only: 'rwxr-xr-x'. */
  readonly permissions?: string;
  readonly links?: number;
  readonly owner?: string;
  readonly group?: string;
  /** Unix symlinks only: the text after " -> ". */
  readonly target?: string;
}

/** Replace CR and LF in a name: a listing line cannot hold them (RFC 3659 section 2.2). */
export function listableName(name: string): string {
  return name.replace(/[\r\n]/g, '?');
}

/** The mode a file-info record stands for when it gives none (see `FileInfo.mode`). */
export function defaultMode(type: FileInfo['type']): number {
  return type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644;
}
