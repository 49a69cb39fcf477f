/**
 * A virtual folder in memory: what a simulated run (the page, tests) works
 * in instead of a disk. Built from a scenario's `files`, path → content:
 *
 *   new MemoryFolder({ 'notes.txt': 'buy milk\n', 'photos/cat.jpg': bytes, 'empty/': '' })
 *
 * holds notes.txt, a folder photos with cat.jpg in it, and an empty folder
 * (a key ending in '/'). A name may hold any character, a newline or a
 * U+DC80..U+DCFF "byte that is not UTF-8" included, which is how a lesson
 * shows names that must be escaped without shipping such files (calls
 * still refuse a path with CR, LF or NUL: paths.ts).
 *
 * It follows the real folder call for call (test/files/jail.test.ts and
 * folder-contract.test.ts run the same cases on both): a 'replace' writes
 * a hidden temporary file beside the name and renames it over the name on
 * close, errors have the same codes. It has no symbolic links.
 *
 * Browser-safe: no `node:` import.
 */
import type { EntryKind, FileEntry, OpenMode } from '../../machines/file-calls.ts';
import { contentSegments, isTemporaryName, pathSegments, sortNames, temporaryName } from './paths.ts';
import { FileError, throwIfAborted, type FileCallOptions, type Folder, type OpenedFile } from './types.ts';

/** What a scenario gives: each file's path and content; a path ending in '/' is an empty folder. */
export type FolderContents = Readonly<Record<string, string | Uint8Array>>;

export interface MemoryFolderOptions {
  /** The time files are stamped with (ms since 1970): a fixed one by default, so that runs repeat. */
  now?: () => number;
}

/** 2024-01-01 00:00 UTC: when every file of a virtual folder was last changed, unless a clock is given. */
export const MEMORY_FOLDER_TIME = Date.UTC(2024, 0, 1);

interface FileNode {
  kind: 'file';
  /** The content is `data[0, length)`; `data` has room to grow, so appending is not quadratic. */
  data: Uint8Array;
  length: number;
  modified: number;
}
interface FolderNode {
  kind: 'folder';
  entries: Map<string, Node>;
  modified: number;
}
type Node = FileNode | FolderNode;

const encoder = new TextEncoder();

function fileNode(bytes: Uint8Array, modified: number): FileNode {
  return { kind: 'file', data: bytes, length: bytes.length, modified };
}

/** Room for `size` bytes in a file, growing its buffer by doubling. */
function reserve(node: FileNode, size: number): void {
  if (size <= node.data.length) return;
  const grown = new Uint8Array(Math.max(size, node.data.length * 2, 64));
  grown.set(node.data.subarray(0, node.length));
  node.data = grown;
}

function writeAt(node: FileNode, at: number, bytes: Uint8Array): void {
  reserve(node, at + bytes.length);
  // A write past the end leaves zeros in between, as a sparse file reads.
  if (at > node.length) node.data.fill(0, node.length, at);
  node.data.set(bytes, at);
  node.length = Math.max(node.length, at + bytes.length);
}

export class MemoryFolder implements Folder {
  readonly kind = 'memory';
  readonly where = 'a virtual folder';
  private readonly now: () => number;
  private readonly root: FolderNode;
  /** Temporary names handed out: a counter, so that a simulated run repeats exactly. */
  private temporaries = 0;

  constructor(contents: FolderContents = {}, options: MemoryFolderOptions = {}) {
    this.now = options.now ?? (() => MEMORY_FOLDER_TIME);
    this.root = { kind: 'folder', entries: new Map(), modified: this.now() };
    for (const [path, content] of Object.entries(contents)) {
      const isFolder = path.endsWith('/');
      const segments = contentSegments(path);
      if (segments.length === 0) continue;
      let folder = this.root;
      for (const [i, name] of segments.entries()) {
        const last = i === segments.length - 1;
        const existing = folder.entries.get(name);
        if (last && !isFolder) {
          if (existing !== undefined) throw new FileError('EEXIST', `"${path}" is given twice, or is also a folder`);
          const bytes = typeof content === 'string' ? encoder.encode(content) : content.slice();
          folder.entries.set(name, fileNode(bytes, this.now()));
          break;
        }
        if (existing?.kind === 'file') throw new FileError('ENOTDIR', `"${path}" puts a file inside the file "${name}"`);
        const next = existing ?? { kind: 'folder' as const, entries: new Map<string, Node>(), modified: this.now() };
        folder.entries.set(name, next);
        folder = next;
      }
    }
  }

  async list(path: string, options: FileCallOptions = {}): Promise<string[]> {
    throwIfAborted(options.signal, 'list');
    return sortNames(this.shownNames(this.folderAt(path)));
  }

  async scandir(path: string, options: FileCallOptions = {}): Promise<FileEntry[]> {
    throwIfAborted(options.signal, 'scandir');
    const folder = this.folderAt(path);
    return sortNames(this.shownNames(folder)).map((name) => entryOf(name, folder.entries.get(name)!));
  }

  async stat(path: string, options: FileCallOptions = {}): Promise<FileEntry> {
    throwIfAborted(options.signal, 'stat');
    const segments = pathSegments(path);
    return entryOf(segments.at(-1) ?? '.', this.find(path, segments));
  }

  async open(path: string, mode: OpenMode, options: FileCallOptions = {}): Promise<OpenedFile> {
    throwIfAborted(options.signal, 'open');
    const { parent, name } = this.parentOf(path);
    const existing = parent.entries.get(name);
    if (existing?.kind === 'folder') throw new FileError('EISDIR', `"${path}" is a folder, not a file`);
    switch (mode) {
      case 'read':
        if (existing === undefined) throw new FileError('ENOENT', `there is no "${path}" in the folder`);
        return this.inPlace(existing, mode);
      case 'append':
      case 'update': {
        const node = existing ?? fileNode(new Uint8Array(0), this.now());
        parent.entries.set(name, node);
        return this.inPlace(node, mode);
      }
      case 'replace':
      case 'new': {
        if (mode === 'new' && existing !== undefined) throw new FileError('EEXIST', `"${path}" is already there`);
        this.temporaries += 1;
        const temporary = temporaryName(name, this.temporaries.toString(16).padStart(8, '0'));
        const node = fileNode(new Uint8Array(0), this.now());
        parent.entries.set(temporary, node);
        return this.replacing(parent, name, temporary, node, mode, path);
      }
    }
  }

  async rename(from: string, to: string, options: FileCallOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'rename');
    const source = this.parentOf(from, 'rename');
    const node = source.parent.entries.get(source.name);
    if (node === undefined) throw new FileError('ENOENT', `there is no "${from}" in the folder`);
    const target = this.parentOf(to, 'rename');
    const there = target.parent.entries.get(target.name);
    if (there === node) return;
    if (node.kind === 'folder' && this.isInside(target.parent, node)) {
      throw new FileError('EINVAL', `"${from}" cannot be moved into itself ("${to}")`);
    }
    if (there !== undefined) {
      if (node.kind === 'file' && there.kind === 'folder') throw new FileError('EISDIR', `"${to}" is a folder`);
      if (node.kind === 'folder' && there.kind === 'file') throw new FileError('ENOTDIR', `"${to}" is a file, not a folder`);
      if (there.kind === 'folder' && there.entries.size > 0) throw new FileError('ENOTEMPTY', `the folder "${to}" is not empty`);
    }
    source.parent.entries.delete(source.name);
    target.parent.entries.set(target.name, node);
  }

  async remove(path: string, options: FileCallOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'remove');
    const { parent, name } = this.parentOf(path, 'remove');
    const node = parent.entries.get(name);
    if (node === undefined) throw new FileError('ENOENT', `there is no "${path}" in the folder`);
    if (node.kind === 'folder') throw new FileError('EISDIR', `"${path}" is a folder: remove it with removeFolder`);
    parent.entries.delete(name);
  }

  async makeFolder(path: string, options: FileCallOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'makeFolder');
    if (pathSegments(path).length === 0) throw new FileError('EEXIST', 'the folder itself is already there');
    const { parent, name } = this.parentOf(path);
    if (parent.entries.has(name)) throw new FileError('EEXIST', `"${path}" is already there`);
    parent.entries.set(name, { kind: 'folder', entries: new Map(), modified: this.now() });
  }

  async removeFolder(path: string, options: FileCallOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'removeFolder');
    const { parent, name } = this.parentOf(path, 'removeFolder');
    const node = parent.entries.get(name);
    if (node === undefined) throw new FileError('ENOENT', `there is no "${path}" in the folder`);
    if (node.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}" is a file, not a folder`);
    if (node.entries.size > 0) throw new FileError('ENOTEMPTY', `the folder "${path}" is not empty`);
    parent.entries.delete(name);
  }

  /** A file read or written where it is (read, append, update). */
  private inPlace(node: FileNode, mode: OpenMode): OpenedFile {
    const now = this.now;
    let open = true;
    const check = (op: string, signal?: AbortSignal) => {
      throwIfAborted(signal, op);
      if (!open) throw new FileError('EBADF', 'the file is closed');
    };
    return {
      mode,
      size: BigInt(node.length),
      async read(position, max, options = {}) {
        check('read', options.signal);
        if (mode === 'append') throw new FileError('EBADF', 'the file is open for writing only');
        const at = Number(position);
        return node.data.slice(Math.min(at, node.length), Math.min(at + max, node.length));
      },
      async write(position, bytes, options = {}) {
        check('write', options.signal);
        if (mode === 'read') throw new FileError('EBADF', 'the file is open for reading only');
        writeAt(node, mode === 'append' ? node.length : Number(position), bytes);
        node.modified = now();
      },
      async close() {
        if (!open) throw new FileError('EBADF', 'the file is closed');
        open = false;
      },
      async discard() {
        open = false;
      },
    };
  }

  /** A 'replace' or 'new' file: written under `temporary`, renamed over `name` on close. */
  private replacing(parent: FolderNode, name: string, temporary: string, node: FileNode, mode: OpenMode, path: string): OpenedFile {
    const now = this.now;
    let open = true;
    const finish = () => {
      if (!open) throw new FileError('EBADF', 'the file is closed');
      open = false;
      parent.entries.delete(temporary);
    };
    return {
      mode,
      size: 0n,
      async read() {
        throw new FileError('EBADF', `"${path}" is open for writing`);
      },
      async write(position, bytes, options = {}) {
        throwIfAborted(options.signal, 'write');
        if (!open) throw new FileError('EBADF', 'the file is closed');
        writeAt(node, Number(position), bytes);
        node.modified = now();
      },
      async close() {
        const there = parent.entries.get(name);
        if (there?.kind === 'folder') {
          finish();
          throw new FileError('EISDIR', `"${path}" became a folder while it was written`);
        }
        if (mode === 'new' && there !== undefined) {
          finish();
          throw new FileError('EEXIST', `"${path}" appeared while it was written`);
        }
        finish();
        parent.entries.set(name, node);
      },
      async discard() {
        if (open) finish();
      },
    };
  }

  /** Names shown by list and scandir: temporary files left out. */
  private shownNames(folder: FolderNode): string[] {
    return [...folder.entries.keys()].filter((n) => !isTemporaryName(n));
  }

  private folderAt(path: string): FolderNode {
    const node = this.find(path, pathSegments(path));
    if (node.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}" is a file, not a folder`);
    return node;
  }

  /** The folder a path's last name is in, and that name. The folder itself has none: EINVAL for `op`. */
  private parentOf(path: string, op = 'open'): { parent: FolderNode; name: string } {
    const segments = pathSegments(path);
    const name = segments.pop();
    if (name === undefined) {
      if (op === 'open') throw new FileError('EISDIR', 'that is the folder itself, not a file');
      throw new FileError('EINVAL', `${op} cannot be used on the folder itself`);
    }
    const parent = this.find(path, segments);
    if (parent.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}" goes through a file as if it were a folder`);
    return { parent, name };
  }

  private find(path: string, segments: readonly string[]): Node {
    let node: Node = this.root;
    for (const name of segments) {
      if (node.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}" goes through a file as if it were a folder`);
      const next: Node | undefined = node.entries.get(name);
      if (next === undefined) throw new FileError('ENOENT', `there is no "${path}" in the folder`);
      node = next;
    }
    return node;
  }

  /** Whether `folder` is `ancestor` or lies inside it. */
  private isInside(folder: FolderNode, ancestor: FolderNode): boolean {
    if (folder === ancestor) return true;
    for (const child of ancestor.entries.values()) {
      if (child.kind === 'folder' && this.isInside(folder, child)) return true;
    }
    return false;
  }
}

function entryOf(name: string, node: Node): FileEntry {
  const kind: EntryKind = node.kind;
  return {
    name,
    kind,
    size: node.kind === 'file' ? BigInt(node.length) : 0n,
    modified: node.modified,
    mode: node.kind === 'file' ? 0o644 : 0o755,
  };
}
