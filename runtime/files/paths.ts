/**
 * Paths inside a folder, the same rules for a virtual and a real one:
 *
 *   '.' or '' or '/'   →  []               the folder itself
 *   'docs/./a.txt'     →  ['docs', 'a.txt']
 *   'docs/../a.txt'    →  ['a.txt']
 *   '../etc'           →  EOUTSIDE         nothing above the folder
 *   'a\0b'             →  EINVAL           no name holds a NUL byte
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

/** The names a path goes through, from the folder down. Throws FileError. */
export function pathSegments(path: string): string[] {
  if (path.includes('\0')) throw new FileError('EINVAL', `the path ${JSON.stringify(path)} holds a NUL byte`);
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
