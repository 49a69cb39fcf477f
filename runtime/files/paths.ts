/**
 * Paths inside a folder, the same rules for a virtual and a real one:
 *
 *   '.' or '' or '/'   →  []               the folder itself
 *   'docs/./a.txt'     →  ['docs', 'a.txt']
 *   'docs/../a.txt'    →  ['a.txt']
 *   '../etc'           →  EOUTSIDE         nothing above the folder
 *   'a\0b', 'a\nb'     →  EINVAL           no name given to a call holds NUL, CR or LF
 *
 * A leading '/' means the folder itself, as in a jail. Backslash is an
 * ordinary character (POSIX names may hold one).
 *
 * Names are compared and sorted by code point, as Python's sorted() does
 * with str, so a listing reads the same from our machines and from the
 * lesson's Python scripts.
 *
 * Browser-safe: no `node:` import.
 */
import { FileError } from './types.ts';

/**
 * Characters no path given to a call may hold. NUL ends a C string; CR and
 * LF end a line of the protocols that carry names (FTP's RETR name\r\n,
 * lesson 5's RETR): a name holding one could not be asked for and would
 * smuggle a second command (RFC 959 section 4.1.3 names a path as
 * <string> of any <char> but CR and LF). A folder may still hold such
 * names (a program lists them and escapes them); only calls refuse them.
 */
const FORBIDDEN: readonly [string, string][] = [
  ['\0', 'a NUL byte'],
  ['\r', 'a carriage return (CR)'],
  ['\n', 'a line feed (LF)'],
];

/** The names a path goes through, from the folder down. Throws FileError (EINVAL, EOUTSIDE). */
export function pathSegments(path: string): string[] {
  for (const [ch, what] of FORBIDDEN) {
    if (path.includes(ch)) throw new FileError('EINVAL', `the path ${JSON.stringify(path)} holds ${what}`);
  }
  return segmentsOf(path);
}

/**
 * The segments of a path written in a scenario's folder contents, where a
 * name may hold a newline on purpose (lesson 2 shows how to send one).
 */
export function contentSegments(path: string): string[] {
  if (path.includes('\0')) throw new FileError('EINVAL', `the path ${JSON.stringify(path)} holds a NUL byte`);
  return segmentsOf(path);
}

function segmentsOf(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new FileError('EOUTSIDE', `the path "${path}" leads above the folder`);
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out;
}

/** Compare two strings by code point (UTF-16 order differs above U+FFFF). */
export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** A sorted copy of `names`, by code point. */
export function sortNames(names: Iterable<string>): string[] {
  return [...names].sort(byCodePoint);
}

/** What marks a temporary file of 'replace' or 'new': `.<name>.sockstep-part-<8 hex digits>`. */
export const TEMPORARY_MARK = '.sockstep-part-';
const TEMPORARY = /^\..*\.sockstep-part-[0-9a-f]{8}$/s;
/** Longest name, in bytes (Linux's NAME_MAX). */
export const NAME_MAX_BYTES = 255;

const utf8 = new TextEncoder();

/**
 * The temporary name beside `name` that a 'replace' writes into: hidden by
 * `ls` (a leading dot), left out of list and scandir, and clearly marked
 * for a person who finds one left by a killed process. The name is cut,
 * never the mark, so that the whole stays within NAME_MAX_BYTES.
 */
export function temporaryName(name: string, tag: string): string {
  const suffix = `${TEMPORARY_MARK}${tag}`;
  let kept = [...name];
  while (kept.length > 0 && utf8.encode(`.${kept.join('')}${suffix}`).length > NAME_MAX_BYTES) kept = kept.slice(0, -1);
  return `.${kept.join('')}${suffix}`;
}

/** Whether a name is a temporary file of 'replace' or 'new' (left out of listings). */
export function isTemporaryName(name: string): boolean {
  return TEMPORARY.test(name);
}
