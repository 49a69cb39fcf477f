/**
 * A virtual folder in memory: what a simulated run (the page, tests) lists
 * instead of a disk. Built from a scenario's `files`, path → content:
 *
 *   new MemoryFolder({ 'notes.txt': 'buy milk\n', 'photos/cat.jpg': bytes, 'empty/': '' })
 *
 * holds notes.txt, a folder photos with cat.jpg in it, and an empty folder
 * (a key ending in '/'). A name may hold any character, a newline or a
 * U+DC80..U+DCFF "byte that is not UTF-8" included, which is how a lesson
 * shows names that must be escaped without shipping such files.
 *
 * Browser-safe: no `node:` import.
 */
import { pathSegments, sortNames } from './paths.ts';
import { FileError, throwIfAborted, type FileCallOptions, type Folder } from './types.ts';

/** What a scenario gives: each file's path and content; a path ending in '/' is an empty folder. */
export type FolderContents = Readonly<Record<string, string | Uint8Array>>;

type Node = { kind: 'file'; bytes: Uint8Array } | { kind: 'folder'; entries: Map<string, Node> };

const encoder = new TextEncoder();

export class MemoryFolder implements Folder {
  readonly kind = 'memory';
  readonly where = 'a virtual folder';
  private readonly root: Node & { kind: 'folder' } = { kind: 'folder', entries: new Map() };

  constructor(contents: FolderContents = {}) {
    for (const [path, content] of Object.entries(contents)) {
      const isFolder = path.endsWith('/');
      const segments = pathSegments(path);
      if (segments.length === 0) continue;
      let folder = this.root;
      for (const [i, name] of segments.entries()) {
        const last = i === segments.length - 1;
        const existing = folder.entries.get(name);
        if (last && !isFolder) {
          if (existing !== undefined) throw new FileError('EEXIST', `"${path}" is given twice, or is also a folder`);
          folder.entries.set(name, { kind: 'file', bytes: typeof content === 'string' ? encoder.encode(content) : content.slice() });
          break;
        }
        if (existing?.kind === 'file') throw new FileError('ENOTDIR', `"${path}" puts a file inside the file "${name}"`);
        const next = existing ?? { kind: 'folder', entries: new Map<string, Node>() };
        folder.entries.set(name, next);
        folder = next;
      }
    }
  }

  async list(path: string, options: FileCallOptions = {}): Promise<string[]> {
    throwIfAborted(options.signal, 'list');
    const node = this.find(path);
    if (node.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}" is a file, not a folder`);
    return sortNames(node.entries.keys());
  }

  private find(path: string): Node {
    let node: Node = this.root;
    for (const name of pathSegments(path)) {
      if (node.kind !== 'folder') throw new FileError('ENOTDIR', `"${path}" goes through a file as if it were a folder`);
      const next: Node | undefined = node.entries.get(name);
      if (next === undefined) throw new FileError('ENOENT', `there is no "${path}" in the folder`);
      node = next;
    }
    return node;
  }
}
