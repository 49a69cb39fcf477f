/**
 * The path jail: resolve a client's path against its current directory,
 * inside a virtual root that nothing resolves above.
 *
 *   cwd "/pub/docs" + "../img/./a.png"  ->  "/pub/img/a.png"
 *   cwd "/pub"      + "../../../etc"    ->  "/etc"   (the root's parent is the root)
 *   cwd "/pub"      + "\\tmp\\x"        ->  "/tmp/x" (backslash is a separator too)
 *
 * RFC 959 leaves path syntax to the server ("The syntax of pathnames must
 * conform to server site conventions", section 4.1.3). Ours is Unix-like,
 * with the jail as '/'.
 *
 * What this does NOT do: follow symlinks. A link inside the root may point
 * outside it; only the runtime, which sees the real file system, can check
 * that (resolve the real path, then test that it is still under the root).
 * The runtime should build real paths from `segments` with a join, never a
 * resolve: then no segment can restart the path (Windows drive letters).
 *
 * Browser-safe: no `node:` import.
 */
import { fail } from './errors.ts';
import type { Result } from './errors.ts';

export interface JailedPath {
  /** The virtual path: '/' or '/a/b', never ending in '/', never holding '.', '..' or '//'. */
  readonly path: string;
  /** The same path as names: [] for '/', ['a', 'b'] for '/a/b'. None is '', '.' or '..'. */
  readonly segments: readonly string[];
}

/** The jail root as a JailedPath. */
export const JAIL_ROOT: JailedPath = { path: '/', segments: [] };

/** Apply `path` to `start`; null for a segment we refuse. */
function walk(start: readonly string[], path: string): string[] | { refused: string } {
  const out = [...start];
  // Backslash too: Windows clients send "dir\file", and a Windows runtime would honour it.
  for (const segment of path.split(/[/\\]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      out.pop(); // at the root, pop() does nothing: '..' of '/' is '/'
      continue;
    }
    // Windows drops trailing dots and spaces from names, so '... ' or '. .' could act as '..'.
    if (/^[. ]+$/.test(segment)) return { refused: segment };
    out.push(segment);
  }
  return out;
}

/**
 * Resolve `input` (relative, absolute, empty for "here") against `cwd`.
 * `cwd` is itself resolved from the root first, so a bad one cannot escape
 * either. The result never leaves the root, whatever the input. Fails with
 * 553 for a NUL byte, or a name made only of dots and spaces.
 */
export function resolveJailedPath(cwd: string, input: string): Result<JailedPath> {
  if (cwd.includes('\0') || input.includes('\0')) {
    return fail('PATH_HAS_NUL', 'The path holds a NUL character, which no file name may contain.');
  }
  const base = walk([], cwd);
  const start = Array.isArray(base) ? base : [];
  const absolute = input.startsWith('/') || input.startsWith('\\');
  const segments = walk(absolute ? [] : start, input);
  if (!Array.isArray(segments)) {
    return fail('PATH_NOT_ALLOWED', `The name ${JSON.stringify(segments.refused)} is made only of dots and spaces, which is not allowed here.`);
  }
  return { ok: true, value: { path: `/${segments.join('/')}`, segments } };
}
