/**
 * A whole LIST output: detect the format of each line and parse it.
 *
 * Browser-safe: no `node:` import.
 */
import type { FtpProtocolError, Result } from './errors.ts';
import type { ListEntry } from './file-info.ts';
import { parseDosListLine } from './listing-dos.ts';
import { parseUnixListLine } from './listing-unix.ts';

/** Parse a LIST line in Unix or MS-DOS style, whichever it is. */
export function parseListLine(line: string): Result<ListEntry> {
  // MS-DOS lines start with a digit; Unix lines with a type letter or '-'.
  return /^\d/.test(line) ? parseDosListLine(line) : parseUnixListLine(line);
}

/**
 * Parse LIST output (lines ending in CRLF or LF). Lines that are not entries,
 * like "total 24", are returned in `skipped` with the reason, not dropped silently.
 */
export function parseListing(text: string): { entries: ListEntry[]; skipped: { line: string; error: FtpProtocolError }[] } {
  const entries: ListEntry[] = [];
  const skipped: { line: string; error: FtpProtocolError }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const parsed = parseListLine(line);
    if (parsed.ok) entries.push(parsed.value);
    else skipped.push({ line, error: parsed.error });
  }
  return { entries, skipped };
}
