/**
 * A real folder on disk, for live runs (`sockstep run server1a --root DIR`).
 * Node only (`node:fs`); the page uses memory-folder.ts instead.
 *
 * It is a jail: every path is resolved inside the root, and may not leave it.
 * - '..' above the root is refused before the disk is touched (paths.ts),
 *   and so are names with NUL, CR or LF (EINVAL).
 * - A symbolic link is followed only where it stays inside: a path is
 *   resolved with realpath() and refused (EOUTSIDE) unless the result is
 *   the root or under it. The call then works on the resolved path, so
 *   what was checked is what is used.
 * - A name that may not exist yet (a file to write, a folder to make, the
 *   two ends of a rename) is checked through its parent: the parent is
 *   resolved and checked, and the name is used inside that resolved
 *   parent. A link in the last place is renamed or removed as itself, never
 *   followed to write through it; a link there that leads nowhere is
 *   refused, since creating its target could create a file outside.
 *
 * The checks happen when a call is made; a program that swaps a folder for
 * a link between our check and our use is not guarded against (that needs
 * openat2(RESOLVE_BENEATH), which Node does not offer).
 *
 * Names travel as bytes to and from the disk (`encoding: 'buffer'`), so a
 * name that is not UTF-8 is neither lost nor changed (fs-names.ts). Sizes
 * are exact (`bigint: true`): a sparse file may be larger than 2^53 bytes.
 */
import { constants, promises as fs, type BigIntStats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { EntryKind, FileEntry, OpenMode } from '../../machines/file-calls.ts';
import { fsDecode, fsEncode } from './fs-names.ts';
import { byCodePoint, isTemporaryName, pathSegments, sortNames, temporaryName } from './paths.ts';
import { RealFile, type Temporary } from './real-file.ts';
import { FileError, throwIfAborted, type FileCallOptions, type Folder, type OpenedFile } from './types.ts';

/** What the operating system's error codes mean, in a few words. */
const PROBLEMS: Record<string, string> = {
  ENOENT: 'there is no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'that is a folder, not a file',
  EEXIST: 'something by that name is already there',
  ENOTEMPTY: 'the folder is not empty',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many symbolic links (a link that points to itself?)',
  ENAMETOOLONG: 'the name is too long',
  ENOSPC: 'the disk is full',
  EXDEV: 'that would move it to another disk',
  EBUSY: 'it is in use',
  EINVAL: 'that cannot be done (a folder moved into itself?)',
};

/** A Node error as a FileError: its code kept, its message in plain words. */
function fileErrorOf(error: unknown, path: string): FileError {
  if (error instanceof FileError) return error;
  const code = (error as { code?: unknown }).code;
  const known = typeof code === 'string' ? code : 'EIO';
  return new FileError(known, `"${path}": ${PROBLEMS[known] ?? (error as Error).message}`);
}

const SLASH = Buffer.from('/');
const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW } = constants;

function kindOf(stats: BigIntStats): EntryKind {
  if (stats.isSymbolicLink()) return 'link';
  if (stats.isDirectory()) return 'folder';
  if (stats.isFile()) return 'file';
  return 'other';
}

/** A stat result as a FileEntry: exact size, mtime in ms, permission bits. */
function entryOf(name: string, stats: BigIntStats, target?: string): FileEntry {
  return {
    name,
    kind: kindOf(stats),
    size: stats.size,
    modified: Number(stats.mtimeNs / 1_000_000n),
    mode: Number(stats.mode & 0o7777n),
    ...(target === undefined ? {} : { target }),
  };
}

/** A name in a resolved folder: the folder (checked), the name's bytes, and the two joined. */
interface Placed {
  parent: Buffer;
  name: string;
  full: Buffer;
}

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
    return this.guard('list', path, options, async () => {
      const names = await fs.readdir(await this.resolve(path), { encoding: 'buffer' });
      return sortNames(names.map((n) => fsDecode(n)).filter((n) => !isTemporaryName(n)));
    });
  }

  async scandir(path: string, options: FileCallOptions = {}): Promise<FileEntry[]> {
    return this.guard('scandir', path, options, async () => {
      const folder = await this.resolve(path);
      const names = (await fs.readdir(folder, { encoding: 'buffer' })).filter((n) => !isTemporaryName(fsDecode(n)));
      const entries: FileEntry[] = [];
      for (const bytes of names) {
        const full = Buffer.concat([folder, SLASH, bytes]);
        // An entry that vanished between readdir and lstat is simply not there.
        const stats = await fs.lstat(full, { bigint: true }).catch(() => null);
        if (stats === null) continue;
        const target = stats.isSymbolicLink() ? fsDecode(await fs.readlink(full, { encoding: 'buffer' })) : undefined;
        entries.push(entryOf(fsDecode(bytes), stats, target));
      }
      return entries.sort((a, b) => byCodePoint(a.name, b.name));
    });
  }

  async stat(path: string, options: FileCallOptions = {}): Promise<FileEntry> {
    return this.guard('stat', path, options, async () => {
      const name = pathSegments(path).at(-1) ?? '.';
      return entryOf(name, await fs.stat(await this.resolve(path), { bigint: true }));
    });
  }

  async open(path: string, mode: OpenMode, options: FileCallOptions = {}): Promise<OpenedFile> {
    return this.guard('open', path, options, async () => {
      const errorOf = (error: unknown) => fileErrorOf(error, path);
      if (mode === 'read') {
        const real = await this.resolve(path);
        const handle = await fs.open(real, O_RDONLY | O_NOFOLLOW);
        return this.checkedFile(handle, mode, null, errorOf, path);
      }
      const placed = await this.place(path, 'open');
      if (mode === 'append' || mode === 'update') {
        const target = await this.writableTarget(placed, path);
        const flags = O_CREAT | O_NOFOLLOW | (mode === 'append' ? O_WRONLY | O_APPEND : O_RDWR);
        return this.checkedFile(await fs.open(target, flags, 0o666), mode, null, errorOf, path);
      }
      // replace, new: a temporary file beside the name, given the name on close.
      const there = await fs.lstat(placed.full, { bigint: true }).catch(() => null);
      if (there?.isDirectory() === true) throw new FileError('EISDIR', `"${path}" is a folder, not a file`);
      if (mode === 'new' && there !== null) throw new FileError('EEXIST', `"${path}" is already there`);
      const temporary = Buffer.concat([placed.parent, SLASH, Buffer.from(fsEncode(temporaryName(placed.name, randomBytes(4).toString('hex'))))]);
      const handle = await fs.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
      // A replaced file keeps its permissions, as Python's open(path, 'wb') keeps them.
      if (there?.isFile() === true) await handle.chmod(Number(there.mode & 0o7777n)).catch(() => undefined);
      const t: Temporary = { path: temporary, target: placed.full, how: mode === 'new' ? 'link' : 'rename' };
      return new RealFile(handle, mode, 0n, t, errorOf);
    });
  }

  async rename(from: string, to: string, options: FileCallOptions = {}): Promise<void> {
    return this.guard('rename', from, options, async () => {
      const source = await this.place(from, 'rename');
      await fs.lstat(source.full);
      const target = await this.place(to, 'rename').catch((error: unknown) => {
        throw fileErrorOf(error, to);
      });
      await fs.rename(source.full, target.full);
    });
  }

  async remove(path: string, options: FileCallOptions = {}): Promise<void> {
    return this.guard('remove', path, options, async () => {
      const placed = await this.place(path, 'remove');
      const stats = await fs.lstat(placed.full);
      if (stats.isDirectory()) throw new FileError('EISDIR', `"${path}" is a folder: remove it with removeFolder`);
      await fs.unlink(placed.full);
    });
  }

  async makeFolder(path: string, options: FileCallOptions = {}): Promise<void> {
    return this.guard('makeFolder', path, options, async () => {
      if (pathSegments(path).length === 0) throw new FileError('EEXIST', 'the folder itself is already there');
      await fs.mkdir((await this.place(path, 'makeFolder')).full);
    });
  }

  async removeFolder(path: string, options: FileCallOptions = {}): Promise<void> {
    return this.guard('removeFolder', path, options, async () => {
      await fs.rmdir((await this.place(path, 'removeFolder')).full);
    });
  }

  /** Run one call: cancelled before and after, every failure as a FileError about `path`. */
  private async guard<T>(op: string, path: string, options: FileCallOptions, call: () => Promise<T>): Promise<T> {
    throwIfAborted(options.signal, op);
    try {
      return await call();
    } catch (error) {
      throw fileErrorOf(error, path);
    }
  }

  /** An opened file, refused if it is a folder (open(2) lets O_RDONLY open one). */
  private async checkedFile(handle: fs.FileHandle, mode: OpenMode, t: Temporary | null, errorOf: (e: unknown) => FileError, path: string): Promise<OpenedFile> {
    const stats = await handle.stat({ bigint: true });
    if (stats.isDirectory()) {
      await handle.close();
      throw new FileError('EISDIR', `"${path}" is a folder, not a file`);
    }
    return new RealFile(handle, mode, stats.size, t, errorOf);
  }

  /**
   * Where append and update write: the file itself, or a link inside the
   * folder followed to its file there. A link to nowhere is refused: its
   * target would be created wherever it points.
   */
  private async writableTarget(placed: Placed, path: string): Promise<Buffer> {
    try {
      const real = await fs.realpath(placed.full, { encoding: 'buffer' });
      if (!this.holds(real)) throw new FileError('EOUTSIDE', `"${path}" is a link to a place outside the folder`);
      return real;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      const there = await fs.lstat(placed.full).catch(() => null);
      if (there !== null) throw new FileError('EOUTSIDE', `"${path}" is a symbolic link that leads nowhere; it is not followed`);
      return placed.full;
    }
  }

  /** The path's last name inside its parent, the parent resolved and checked. The folder itself has no parent. */
  private async place(path: string, op: string): Promise<Placed> {
    const segments = pathSegments(path);
    const name = segments.pop();
    if (name === undefined) {
      if (op === 'open') throw new FileError('EISDIR', 'that is the folder itself, not a file');
      throw new FileError('EINVAL', `${op} cannot be used on the folder itself`);
    }
    const parent = await this.resolveSegments(path, segments);
    return { parent, name, full: Buffer.concat([parent, SLASH, this.bytesOf(name)]) };
  }

  /** The real path of `path` inside the root, symbolic links resolved; EOUTSIDE if that leaves the root. */
  private resolve(path: string): Promise<Buffer> {
    return this.resolveSegments(path, pathSegments(path));
  }

  private async resolveSegments(path: string, segments: readonly string[]): Promise<Buffer> {
    const parts: Buffer[] = [this.root];
    for (const name of segments) parts.push(SLASH, this.bytesOf(name));
    const real = await fs.realpath(Buffer.concat(parts), { encoding: 'buffer' });
    if (!this.holds(real)) throw new FileError('EOUTSIDE', `"${path}" is a link to a place outside the folder`);
    return real;
  }

  private bytesOf(name: string): Buffer {
    try {
      return Buffer.from(fsEncode(name));
    } catch (error) {
      throw new FileError('EINVAL', (error as Error).message);
    }
  }

  /** Whether a resolved path is the root or lies under it. */
  private holds(real: Buffer): boolean {
    if (real.equals(this.root)) return true;
    // The root '/' holds everything; any other root holds what starts with root + '/'.
    const prefix = this.root.length === 1 ? this.root : Buffer.concat([this.root, SLASH]);
    return real.length > prefix.length && real.subarray(0, prefix.length).equals(prefix);
  }
}
