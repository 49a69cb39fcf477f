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
 * What this does NOT do:
 * - Follow symlinks. A link inside the root may point outside it; only the
 *   runtime, which sees the real file system, can check that (resolve the
 *   real path, then test that it is still under the root).
 * - Know the host OS. On Windows, device names ("CON", "NUL", "COM1",
 *   also as "nul.txt"), NTFS streams ("a:b" names file a, stream b) and
 *   trailing dots and spaces ("a." and "a " are "a") change what a name
 *   means; on Unix they are plain names. That check belongs in the runtime,
 *   per OS. What is refused here is refused on every OS: see `refusal`.
 * The runtime should build real paths from `segments` with a join, never a
 * resolve: then no segment can restart the path.
 *
 * Browser-safe: no `node:` import.
 */
import { fail } from './errors.ts';
import type { FtpErrorCode, Result } from './errors.ts';

export interface JailedPath {
  /** The virtual path: '/' or '/a/b', never ending in '/', never holding '.', '..' or '//'. */
  readonly path: string;
  /** The same path as names: [] for '/', ['a', 'b'] for '/a/b'. None is '', '.' or '..', or refused by `refusal`. */
  readonly segments: readonly string[];
}

/** The jail root as a JailedPath. */
export const JAIL_ROOT: JailedPath = { path: '/', segments: [] };

interface Refused {
  readonly code: FtpErrorCode;
  readonly why: string;
}

/** Why no file may have this name, on any OS; null if it may. */
function refusal(segment: string): Refused | null {
  // Windows drops trailing dots and spaces from names, so '... ' or '. .' could act as '..'.
  if (/^[. ]+$/.test(segment)) return { code: 'PATH_NOT_ALLOWED', why: 'is made only of dots and spaces' };
  // Control bytes cannot be typed, hide in listings, and drive terminals that show the name (ESC).
  if (/[\x01-\x1f\x7f]/.test(segment)) return { code: 'PATH_HAS_CONTROL', why: 'holds a control character (0x01 to 0x1F, or 0x7F)' };
  // "C:" or "C:x" is a drive on Windows: a resolve there would leave the jail.
  if (/^[A-Za-z]:/.test(segment)) return { code: 'PATH_DRIVE_LETTER', why: 'starts like a Windows drive ("C:")' };
  return null;
}

/** Apply `path` to `start`; the refused segment if there is one. */
function walk(start: readonly string[], path: string): string[] | { segment: string; refused: Refused } {
  const out = [...start];
  // Backslash too: Windows clients send "dir\file", and a Windows runtime would honour it.
  for (const segment of path.split(/[/\\]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      out.pop(); // at the root, pop() does nothing: '..' of '/' is '/'
      continue;
    }
    const refused = refusal(segment);
    if (refused) return { segment, refused };
    out.push(segment);
  }
  return out;
}

/**
 * Resolve `input` (relative, absolute, empty for "here") against `cwd`.
 * `cwd` is itself resolved from the root first, so a bad one cannot escape
 * either; a `cwd` with a refused name is an error too (it can only come
 * from a bug, and hiding it as '/' would hide the bug). The result never
 * leaves the root, whatever the input. Fails with 553 ("File name not
 * allowed") for a NUL byte, a control character, a name made only of dots
 * and spaces, or one that starts like a drive ("C:"). Windows device names,
 * NTFS streams and trailing dots and spaces pass: see the module comment.
 */
export function resolveJailedPath(cwd: string, input: string): Result<JailedPath> {
  if (cwd.includes('\0') || input.includes('\0')) {
    return fail('PATH_HAS_NUL', 'The path holds a NUL character, which no file name may contain.');
  }
  const base = walk([], cwd);
  if (!Array.isArray(base)) {
    return fail(base.refused.code, `The current directory ${JSON.stringify(cwd)} holds the name ${JSON.stringify(base.segment)}, which ${base.refused.why}. Change to a directory from "/".`);
  }
  const absolute = input.startsWith('/') || input.startsWith('\\');
  const segments = walk(absolute ? [] : base, input);
  if (!Array.isArray(segments)) {
    return fail(segments.refused.code, `The name ${JSON.stringify(segments.segment)} ${segments.refused.why}, which is not allowed here. Choose another name.`);
  }
  return { ok: true, value: { path: `/${segments.join('/')}`, segments } };
}
