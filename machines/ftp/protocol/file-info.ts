/**
 * The records that listings are made from and parsed into.
 *
 * Browser-safe: no `node:` import.
 */

/** What our server knows about one directory entry; the listing formatters take this. */
export interface FileInfo {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'symlink';
  /** Size in bytes. */
  readonly size: number;
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

/** One entry parsed from a LIST line (Unix or MS-DOS style). */
export interface ListEntry {
  readonly name: string;
  readonly type: EntryType;
  /** Bytes; null where the listing gives none (devices, MS-DOS directories). */
  readonly size: number | null;
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
