// A stand-in for the file seam (machines/file-calls.ts) while the run's FileTable is being built:
// an in-memory tree with the contract's calls (stat, scandir, openFile in its five modes, closeFile
// with discard, rename, remove, makeFolder, removeFolder) and unrecorded streams for the transfer
// table. Tests bind it into the machines with bindMachine, before the run binds the sockets.
import { fromPromise, type AnyStateMachine } from 'xstate';
import { fileActors, type FileCallName, type FileEntry, type OpenMode } from '../../machines/file-calls.ts';
import { bindMachine } from '../../runtime/run/bind-machine.ts';
import type { FileStreams } from '../../runtime/run/transfer-table.ts';

class FileError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Node = { kind: 'file'; bytes: Uint8Array; modified: number } | { kind: 'folder'; entries: Map<string, Node>; modified: number } | { kind: 'link'; target: string; modified: number };

interface Open {
  path: string;
  mode: OpenMode;
  bytes: Uint8Array;
  position: number;
}

const encoder = new TextEncoder();
export const FIXED_TIME = Date.UTC(2026, 10, 29, 12, 44);

export class MemoryFiles {
  readonly root: Node & { kind: 'folder' } = { kind: 'folder', entries: new Map(), modified: FIXED_TIME };
  private readonly open = new Map<string, Open>();
  private count = 0;
  /** Every call made, in order: [name, input]. */
  readonly calls: [string, unknown][] = [];

  constructor(contents: Record<string, string | Uint8Array> = {}) {
    for (const [path, content] of Object.entries(contents)) {
      if (path.endsWith('/')) this.makeFolders(path.slice(0, -1));
      else if (path.includes(' -> ')) {
        const [name, target] = path.split(' -> ') as [string, string];
        this.parentOf(name, true).entries.set(this.base(name), { kind: 'link', target, modified: FIXED_TIME });
      } else this.parentOf(path, true).entries.set(this.base(path), { kind: 'file', bytes: typeof content === 'string' ? encoder.encode(content) : content, modified: FIXED_TIME });
    }
  }

  private segments(path: string): string[] {
    const out: string[] = [];
    for (const s of path.split('/')) {
      if (s === '' || s === '.') continue;
      if (s === '..') {
        if (out.length === 0) throw new FileError('EOUTSIDE', `"${path}" leads above the folder`);
        out.pop();
      } else out.push(s);
    }
    return out;
  }
  private base(path: string): string {
    return this.segments(path).at(-1)!;
  }
  private makeFolders(path: string): void {
    let node = this.root;
    for (const s of this.segments(path)) {
      let next = node.entries.get(s);
      if (next === undefined) node.entries.set(s, (next = { kind: 'folder', entries: new Map(), modified: FIXED_TIME }));
      if (next.kind !== 'folder') throw new FileError('ENOTDIR', path);
      node = next;
    }
  }
  private parentOf(path: string, create = false): Node & { kind: 'folder' } {
    const parts = this.segments(path);
    let node: Node = this.root;
    for (const s of parts.slice(0, -1)) {
      let next: Node | undefined = (node as { entries: Map<string, Node> }).entries.get(s);
      if (next === undefined && create) (node as { entries: Map<string, Node> }).entries.set(s, (next = { kind: 'folder', entries: new Map(), modified: FIXED_TIME }));
      if (next === undefined) throw new FileError('ENOENT', `no "${path}"`);
      if (next.kind === 'link') throw new FileError('EOUTSIDE', `"${path}" goes through a link`);
      if (next.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}"`);
      node = next;
    }
    return node as Node & { kind: 'folder' };
  }
  private find(path: string): Node {
    if (this.segments(path).length === 0) return this.root;
    const node = this.parentOf(path).entries.get(this.base(path));
    if (node === undefined) throw new FileError('ENOENT', `no "${path}"`);
    // A link pointing out of the folder is refused, not followed (the real folder's realpath check).
    if (node.kind === 'link') {
      if (node.target.startsWith('/') || node.target.startsWith('..')) throw new FileError('EOUTSIDE', `"${path}" is a link to a place outside the folder`);
      return this.find(node.target);
    }
    return node;
  }
  entryOf(name: string, node: Node): FileEntry {
    if (node.kind === 'file') return { name, kind: 'file', size: BigInt(node.bytes.length), modified: node.modified, mode: 0o644 };
    if (node.kind === 'folder') return { name, kind: 'folder', size: 4096n, modified: node.modified, mode: 0o755 };
    return { name, kind: 'link', size: BigInt(node.target.length), modified: node.modified, mode: 0o777, target: node.target };
  }
  /** The bytes of a file, for assertions. */
  read(path: string): Uint8Array | undefined {
    try {
      const node = this.find(path);
      return node.kind === 'file' ? node.bytes : undefined;
    } catch {
      return undefined;
    }
  }
  /** Open files not yet closed: a test checks none is left. */
  get openCount(): number {
    return this.open.size;
  }

  private readonly impl: Record<FileCallName, (input: never) => unknown> = {
    list: ({ path }: { path: string }) => ({ names: [...(this.find(path) as { entries: Map<string, Node> }).entries.keys()].sort() }),
    stat: ({ path }: { path: string }) => this.entryOf(this.segments(path).at(-1) ?? '.', this.find(path)),
    scandir: ({ path }: { path: string }) => {
      const node = this.find(path);
      if (node.kind !== 'folder') throw new FileError('ENOTDIR', path);
      return { entries: [...node.entries.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, e]) => this.entryOf(n, e)) };
    },
    openFile: ({ path, mode, offset = 0n }: { path: string; mode: OpenMode; offset?: bigint }) => {
      const parent = this.parentOf(path);
      const existing = parent.entries.get(this.base(path));
      if (existing?.kind === 'folder') throw new FileError('EISDIR', path);
      if (mode === 'read' && existing === undefined) throw new FileError('ENOENT', path);
      if (mode === 'new' && existing !== undefined) throw new FileError('EEXIST', path);
      const current = existing === undefined ? new Uint8Array(0) : (this.find(path) as { bytes: Uint8Array }).bytes;
      const bytes = mode === 'replace' || mode === 'new' ? new Uint8Array(0) : current.slice();
      const position = mode === 'append' ? bytes.length : Number(offset);
      const file = `f${++this.count}`;
      this.open.set(file, { path, mode, bytes, position });
      if ((mode === 'append' || mode === 'update') && existing === undefined) parent.entries.set(this.base(path), { kind: 'file', bytes, modified: FIXED_TIME });
      return { file, size: mode === 'replace' || mode === 'new' ? 0n : BigInt(current.length) };
    },
    readFile: ({ file, max }: { file: string; max: number }) => this.streams.read(file, max),
    writeFile: async ({ file, bytes }: { file: string; bytes: Uint8Array }) => (await this.streams.write(file, bytes), bytes.length),
    closeFile: ({ file, discard }: { file: string; discard?: boolean }) => {
      const open = this.open.get(file);
      if (open === undefined) throw new FileError('EBADF', file);
      this.open.delete(file);
      if (open.mode === 'read' || (discard === true && (open.mode === 'replace' || open.mode === 'new'))) return;
      this.parentOf(open.path).entries.set(this.base(open.path), { kind: 'file', bytes: open.bytes, modified: FIXED_TIME });
    },
    rename: ({ from, to }: { from: string; to: string }) => {
      const node = this.parentOf(from).entries.get(this.base(from));
      if (node === undefined) throw new FileError('ENOENT', from);
      this.parentOf(from).entries.delete(this.base(from));
      this.parentOf(to).entries.set(this.base(to), node);
    },
    remove: ({ path }: { path: string }) => {
      const parent = this.parentOf(path);
      const node = parent.entries.get(this.base(path));
      if (node === undefined) throw new FileError('ENOENT', path);
      if (node.kind === 'folder') throw new FileError('EISDIR', path);
      parent.entries.delete(this.base(path));
    },
    makeFolder: ({ path }: { path: string }) => {
      const parent = this.parentOf(path);
      if (parent.entries.has(this.base(path))) throw new FileError('EEXIST', path);
      parent.entries.set(this.base(path), { kind: 'folder', entries: new Map(), modified: FIXED_TIME });
    },
    removeFolder: ({ path }: { path: string }) => {
      const parent = this.parentOf(path);
      const node = parent.entries.get(this.base(path));
      if (node === undefined) throw new FileError('ENOENT', path);
      if (node.kind !== 'folder') throw new FileError('ENOTDIR', path);
      if (node.entries.size > 0) throw new FileError('ENOTEMPTY', path);
      parent.entries.delete(this.base(path));
    },
  };

  readonly streams: FileStreams = {
    read: async (file, max) => {
      const open = this.open.get(file);
      if (open === undefined) throw new FileError('EBADF', file);
      const out = open.bytes.slice(open.position, open.position + max);
      open.position += out.length;
      return out;
    },
    write: async (file, bytes) => {
      const open = this.open.get(file);
      if (open === undefined) throw new FileError('EBADF', file);
      const end = open.position + bytes.length;
      if (end > open.bytes.length) {
        const grown = new Uint8Array(end);
        grown.set(open.bytes);
        open.bytes = grown;
      }
      open.bytes.set(bytes, open.position);
      open.position = end;
      if (open.mode === 'append' || open.mode === 'update') this.parentOf(open.path).entries.set(this.base(open.path), { kind: 'file', bytes: open.bytes, modified: FIXED_TIME });
    },
  };

  /** `machine` and its children with these files in place of the file placeholders. */
  bind(machine: AnyStateMachine): AnyStateMachine {
    const replacements = new Map(
      (Object.keys(fileActors) as FileCallName[]).map((name) => [
        fileActors[name] as never,
        fromPromise(async ({ input }: { input: unknown }) => {
          this.calls.push([name, input]);
          return this.impl[name](input as never);
        }) as never,
      ]),
    );
    return bindMachine(machine, replacements);
  }
}
