/**
 * A whole LIST output: detect the format of each line and parse it.
 *
 * MS-DOS lines are read only after their date order is decided from every
 * date in the listing (dos-date-order.ts): a line alone cannot tell
 * 05-02-24 (2 May, or 5 February) apart.
 *
 * Browser-safe: no `node:` import.
 */
import { decideDosDateOrder } from './dos-date-order.ts';
import type { DosDateOrder, DosDateOrderDecision } from './dos-date-order.ts';
import type { FtpProtocolError, Result } from './errors.ts';
import type { ListEntry } from './file-info.ts';
import { parseDosListLine } from './listing-dos.ts';
import { parseUnixListLine } from './listing-unix.ts';

/**
 * Parse a LIST line in Unix or MS-DOS style, whichever it is. An MS-DOS
 * date is read in `dosDateOrder` (IIS's MM-DD by default); to decide the
 * order from a whole listing, use parseListing.
 */
export function parseListLine(line: string, dosDateOrder: DosDateOrder = 'MM-DD'): Result<ListEntry> {
  // MS-DOS lines start with a digit; Unix lines with a type letter or '-'.
  return /^\d/.test(line) ? parseDosListLine(line, dosDateOrder) : parseUnixListLine(line);
}

export interface ParsedListing {
  readonly entries: ListEntry[];
  /** Lines that are not entries (like "total 24"), each with the reason: none is dropped silently. */
  readonly skipped: { line: string; error: FtpProtocolError }[];
  /** How the MS-DOS dates were read, and why; null when the listing has no MS-DOS line. */
  readonly dosDateOrder: DosDateOrderDecision | null;
}

/** Parse LIST output (lines ending in CRLF or LF). */
export function parseListing(text: string): ParsedListing {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const dosDateOrder = decideDosDateOrder(lines);
  const entries: ListEntry[] = [];
  const skipped: { line: string; error: FtpProtocolError }[] = [];
  for (const line of lines) {
    const parsed = parseListLine(line, dosDateOrder?.order);
    if (parsed.ok) entries.push(parsed.value);
    else skipped.push({ line, error: parsed.error });
  }
  return { entries, skipped, dosDateOrder };
}
