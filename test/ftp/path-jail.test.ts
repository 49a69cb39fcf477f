import { posix, win32 } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JAIL_ROOT, resolveJailedPath } from '../../machines/ftp/protocol/index.ts';

describe('resolveJailedPath', () => {
  it.each([
    { rfc: 'RFC 959 §4.1.3 "The syntax of pathnames must conform to server site conventions": a relative name', cwd: '/pub', input: 'a.txt', path: '/pub/a.txt' },
    { rfc: 'RFC 959 §4.1.1 CWD with an absolute path', cwd: '/pub', input: '/incoming', path: '/incoming' },
    { rfc: 'RFC 959 §4.1.1 CWD "." stays', cwd: '/pub', input: '.', path: '/pub' },
    { rfc: 'RFC 959 §4.1.1 CDUP is CWD ".."', cwd: '/pub/docs', input: '..', path: '/pub' },
    { rfc: 'RFC 959 §4.1.1, ".." above the root stays at the root', cwd: '/pub', input: '../../../etc/passwd', path: '/etc/passwd' },
    { rfc: 'RFC 959 §4.1.1, an absolute ".." is the root', cwd: '/pub', input: '/..', path: '/' },
    { rfc: 'RFC 959 §4.1.3 LIST "A null argument implies the user\'s current working or default directory"', cwd: '/pub/docs', input: '', path: '/pub/docs' },
    { rfc: 'RFC 959 §4.1.3, repeated slashes count once', cwd: '/', input: '//pub///docs//', path: '/pub/docs' },
    { rfc: 'RFC 959 §4.1.3, backslash separates too (Windows clients)', cwd: '/pub', input: '..\\..\\windows\\system32', path: '/windows/system32' },
    { rfc: 'RFC 959 §4.1.3, a leading backslash is absolute', cwd: '/pub', input: '\\tmp', path: '/tmp' },
    { rfc: 'RFC 959 §4.1.3, mixed "./" and "../"', cwd: '/a/b/c', input: './../x/./../y', path: '/a/b/y' },
    { rfc: 'RFC 959 §4.1.3, a current directory that tries to escape is clamped first', cwd: '../../etc', input: 'x', path: '/etc/x' },
    { rfc: 'RFC 959 §4.1.3, a current directory without a leading slash', cwd: 'pub', input: 'x', path: '/pub/x' },
    { rfc: 'RFC 2640 §2.2, UTF-8 names and spaces are names', cwd: '/', input: 'Über weisungen/日本', path: '/Über weisungen/日本' },
    { rfc: 'RFC 959 §4.1.3, a name with dots that is not "." or ".." is a name', cwd: '/', input: '..a/.b./a..', path: '/..a/.b./a..' },
    // Left to the runtime, which knows its OS (see resolveJailedPath): device names, NTFS streams, trailing dots.
    { rfc: 'RFC 959 §4.1.3, "a:b" (an NTFS stream on Windows) is a name here', cwd: '/', input: 'ab:c', path: '/ab:c' },
    { rfc: 'RFC 959 §4.1.3, "CON" (a device on Windows) is a name here', cwd: '/', input: 'pub/CON', path: '/pub/CON' },
    { rfc: 'RFC 959 §4.1.3, a colon later in a name is not a drive letter', cwd: '/', input: 'notes:C:', path: '/notes:C:' },
  ])('$rfc', ({ cwd, input, path }) => {
    const out = resolveJailedPath(cwd, input);
    expect(out).toEqual({ ok: true, value: { path, segments: path === '/' ? [] : path.slice(1).split('/') } });
  });

  it.each([
    { rfc: 'RFC 959 §4.2.1 "553 Requested action not taken. File name not allowed.": NUL', cwd: '/', input: 'a\0b', code: 'PATH_HAS_NUL' },
    { rfc: 'RFC 959 §4.2.1 553: three dots (Windows would read trailing dots away)', cwd: '/', input: 'pub/...', code: 'PATH_NOT_ALLOWED' },
    { rfc: 'RFC 959 §4.2.1 553: ".. " with a trailing space', cwd: '/', input: '.. /etc', code: 'PATH_NOT_ALLOWED' },
    { rfc: 'RFC 959 §4.2.1 553: a control byte (0x01) in a name', cwd: '/', input: 'a\x01b', code: 'PATH_HAS_CONTROL' },
    { rfc: 'RFC 959 §4.2.1 553: a tab (0x09) in a name', cwd: '/', input: 'pub/a\tb', code: 'PATH_HAS_CONTROL' },
    { rfc: 'RFC 959 §4.2.1 553: ESC (0x1B) in a name, which could drive a terminal', cwd: '/', input: '\x1b[31mred', code: 'PATH_HAS_CONTROL' },
    { rfc: 'RFC 959 §4.2.1 553: DEL (0x7F) in a name', cwd: '/', input: 'a\x7f', code: 'PATH_HAS_CONTROL' },
    { rfc: 'RFC 959 §4.2.1 553: a drive letter "C:"', cwd: '/', input: 'C:', code: 'PATH_DRIVE_LETTER' },
    { rfc: 'RFC 959 §4.2.1 553: a drive letter in lower case "c:"', cwd: '/', input: 'pub/c:', code: 'PATH_DRIVE_LETTER' },
    { rfc: 'RFC 959 §4.2.1 553: a drive-relative path "C:\\Windows"', cwd: '/', input: 'C:\\Windows', code: 'PATH_DRIVE_LETTER' },
    { rfc: 'RFC 959 §4.2.1 553: a drive-relative name "D:secret"', cwd: '/', input: '/D:secret', code: 'PATH_DRIVE_LETTER' },
    { rfc: 'RFC 959 §4.2.1 553: a current directory with a drive letter is an error, not "/"', cwd: '/pub/C:', input: 'x', code: 'PATH_DRIVE_LETTER' },
    { rfc: 'RFC 959 §4.2.1 553: a current directory with a control byte is an error, not "/"', cwd: '/a\x01', input: '/abs', code: 'PATH_HAS_CONTROL' },
    { rfc: 'RFC 959 §4.2.1 553: a current directory of dots and spaces is an error, not "/"', cwd: '/pub/...', input: 'x', code: 'PATH_NOT_ALLOWED' },
  ])('$rfc', ({ cwd, input, code }) => {
    const out = resolveJailedPath(cwd, input);
    expect(!out.ok && out.error).toMatchObject({ code, reply: 553 });
  });

  it('says which part is refused: the current directory or the path given', () => {
    const inCwd = resolveJailedPath('/pub/C:', 'x');
    expect(!inCwd.ok && inCwd.error.message).toMatch(/current directory/);
    const inInput = resolveJailedPath('/pub', 'C:');
    expect(!inInput.ok && inInput.error.message).not.toMatch(/current directory/);
  });

  it('JAIL_ROOT is "/"', () => {
    expect(JAIL_ROOT).toEqual({ path: '/', segments: [] });
  });

  it('over 100,000 random paths, never resolves outside the root (property)', () => {
    const token = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('..', '.', '/', '\\', '//', '../', '..\\', '...', '. .', '.. ', ' ..', 'C:', 'D:\\', '~', '%2e%2e', 'a', 'b c', 'é') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    );
    const path = fc.array(token, { maxLength: 14 }).map((parts) => parts.join(''));
    const ROOT_POSIX = '/srv/ftp';
    const ROOT_WIN = 'C:\\srv\\ftp';
    // Plain checks, no expect() per run: 100,000 runs must stay within a few seconds.
    const inside = (cwd: string, input: string): boolean => {
      const out = resolveJailedPath(cwd, input);
      if (!out.ok) return out.error.reply === 553;
      const { path: virtual, segments } = out.value;
      if (virtual !== `/${segments.join('/')}` || posix.normalize(virtual) !== virtual) return false;
      // Never '', '.', '..' or only dots and spaces; never a separator, NUL or control byte; never a drive letter.
      if (segments.some((s) => /^[. ]*$/.test(s) || /[/\\\0-\x1f\x7f]/.test(s) || /^[A-Za-z]:/.test(s))) return false;
      const real = posix.join(ROOT_POSIX, ...segments);
      if (!(real === ROOT_POSIX || real.startsWith(`${ROOT_POSIX}/`)) || posix.resolve(ROOT_POSIX, `.${virtual}`) !== real) return false;
      const realWin = win32.join(ROOT_WIN, ...segments);
      return realWin === ROOT_WIN || realWin.startsWith(`${ROOT_WIN}\\`);
    };
    fc.assert(
      fc.property(path, path, inside),
      { numRuns: 100_000 },
    );
  });
});
