/**
 * Listings from folder entries (the file seam's scandir and stat): LIST in
 * the Unix `ls -l` format, NLST one name a line, MLSD/MLST with the facts of
 * RFC 3659 section 7, every time in UTC.
 *
 *   LIST   -rw-r--r--   1 ftp      ftp              12 Nov 29 12:44 a.txt
 *   NLST   a.txt
 *   MLSD   type=file;size=12;modify=20261129124400;perm=adfrw;UNIX.mode=0644; a.txt
 *
 * Lines end in CRLF: a listing is sent as text (RFC 959 section 4.1.3:
 * "the data will be transferred over the data connection as ASCII or
 * EBCDIC type").
 *
 * Pure: no `node:` import.
 */
import type { FileEntry } from '../../file-calls.ts';
import type { FileInfo } from '../protocol/file-info.ts';
import { formatUnixListLine } from '../protocol/listing-unix.ts';
import { formatMlsdEntry, mlsdFacts } from '../protocol/mlsd.ts';
import { encodeUtf8 } from '../protocol/text.ts';

export type ListingKind = 'LIST' | 'NLST' | 'MLSD';

/** A file-seam entry as the core's FileInfo. A link is listed as a link ("name -> target"). */
export function infoOf(entry: FileEntry, name = entry.name): FileInfo {
  const type = entry.kind === 'folder' ? 'dir' : entry.kind === 'link' ? 'symlink' : 'file';
  return {
    name,
    type,
    size: entry.size < 0n ? 0n : entry.size,
    modified: new Date(entry.modified),
    mode: entry.mode & 0o7777,
    ...(entry.target !== undefined ? { target: entry.target } : {}),
  };
}

/** One line of a listing, without its CRLF. */
export function listingLine(kind: ListingKind, entry: FileEntry, now: number, name = entry.name): string {
  if (kind === 'NLST') return name.replace(/[\r\n]/g, '?');
  const info = infoOf(entry, name);
  if (kind === 'LIST') return formatUnixListLine(info, new Date(now));
  return formatMlsdEntry(mlsdFactsOf(info), name);
}

/**
 * MLSD/MLST facts. A link's facts are its own (RFC 3659 section 7.5.1.5's
 * OS.unix=symlink), so a client never follows a link it cannot enter.
 */
export function mlsdFactsOf(info: FileInfo): Record<string, string> {
  return { ...mlsdFacts(info) };
}

/** A whole listing as the bytes to send, lines in CRLF. */
export function listingBytes(kind: ListingKind, entries: readonly FileEntry[], now: number): Uint8Array {
  let text = '';
  for (const entry of entries) text += `${listingLine(kind, entry, now)}\r\n`;
  return encodeUtf8(text);
}

/**
 * The MLST reply's entry line (RFC 3659 section 7.2: "the fact set is
 * preceded by a space"), for the path as the client named it.
 */
export function mlstEntryLine(entry: FileEntry, path: string): string {
  return ` ${formatMlsdEntry(mlsdFactsOf(infoOf(entry, path)), path)}`;
}
