/**
 * A real folder on disk, for live runs (`sockstep run server1a --root DIR`).
 * Node only (`node:fs`); the page uses memory-folder.ts instead.
 *
 * It is a jail: every path is resolved inside the root, and may not leave it.
 * - '..' above the root is refused before the disk is touched (paths.ts).
 * - A symbolic link is followed only where it stays inside: the path is
 *   resolved with realpath() and refused (EOUTSIDE) unless the result is the
 *   root or under it. The call then works on the resolved path, so what was
 *   checked is what is read.
 *
 * Names travel as bytes to and from the disk (`encoding: 'buffer'`), so a
 * name that is not UTF-8 is neither lost nor changed (fs-names.ts).
 */
import { promises as fs } from 'node:fs';
import { fsDecode, fsEncode } from './fs-names.ts';
import { pathSegments, sortNames } from './paths.ts';
import { FileError, throwIfAborted, type FileCallOptions, type Folder } from './types.ts';

/** What the operating system's error codes mean, in a few words. */
const PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links (a link that points to itself?)',
  ENAMETOOLONG: 'the path is too long',
};

/** A Node error as a FileError: its code kept, its message in plain words. */
function fileErrorOf(error: unknown, path: string): FileError {
  if (error instanceof FileError) return error;
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? code : 'EIO';
  return new FileError(known, `"${path}": ${PROBLEMS[known] ?? (error as Error).message}`);
}

const SLASH = Buffer.from('/');

export class RealFolder implements Folder {
  readonly kind = 'disk';

  private constructor(
    /** The root, resolved (no symbolic link left in it), as bytes. */
    private readonly root: Buffer,
    readonly where: string,
  ) {}

  /** Open `root` (absolute or relative to the current directory): it must be a folder. */
  static async open(root: string): Promise<RealFolder> {
    let real: Buffer;
    try {
      real = await fs.realpath(root, { encoding: 'buffer' });
      if (!(await fs.stat(real)).isDirectory()) throw new FileError('ENOTDIR', `"${root}" is a file, not a folder`);
    } catch (error) {
      throw fileErrorOf(error, root);
    }
    return new RealFolder(real, fsDecode(real));
  }

  async list(path: string, options: FileCallOptions = {}): Promise<string[]> {
    throwIfAborted(options.signal, 'list');
    try {
      const real = await this.resolve(path);
      const names = await fs.readdir(real, { encoding: 'buffer' });
      throwIfAborted(options.signal, 'list');
      return sortNames(names.map((n) => fsDecode(n)));
    } catch (error) {
      throw fileErrorOf(error, path);
    }
  }

  /** The real path of `path` inside the root, symbolic links resolved; EOUTSIDE if that leaves the root. */
  private async resolve(path: string): Promise<Buffer> {
    const parts: Buffer[] = [this.root];
    for (const name of pathSegments(path)) {
      let bytes: Uint8Array;
      try {
        bytes = fsEncode(name);
      } catch (error) {
        throw new FileError('EINVAL', (error as Error).message);
      }
      parts.push(SLASH, Buffer.from(bytes));
    }
    const real = await fs.realpath(Buffer.concat(parts), { encoding: 'buffer' });
    if (!this.holds(real)) throw new FileError('EOUTSIDE', `"${path}" is a link to a place outside the folder`);
    return real;
  }

  /** Whether a resolved path is the root or lies under it. */
  private holds(real: Buffer): boolean {
    if (real.equals(this.root)) return true;
    // The root '/' holds everything; any other root holds what starts with root + '/'.
    const prefix = this.root.length === 1 ? this.root : Buffer.concat([this.root, SLASH]);
    return real.length > prefix.length && real.subarray(0, prefix.length).equals(prefix);
  }
}
