/**
 * The two folders file calls work on, made with the same files, for tests
 * that run one table of cases against both (jail.test.ts,
 * folder-contract.test.ts), as the transport contract runs on sim and TCP.
 * The real one also has symbolic links (the virtual one has none):
 *
 *   root/notes.txt        "buy milk\n"
 *   root/docs/a.txt       "a"
 *   root/empty/
 *   root/way-out    → ../outside             a link out of the folder
 *   root/file-out   → ../outside/secret.txt
 *   root/dangling   → ../outside/nothing     a link to nothing, outside
 *   root/docs-link  → docs                   a link that stays inside
 *   outside/secret.txt    "no"
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';
import { RealFolder } from '../../runtime/files/real-folder.ts';
import type { Folder } from '../../runtime/files/types.ts';

export const TREE = { 'notes.txt': 'buy milk\n', 'docs/a.txt': 'a', 'empty/': '' } as const;

export interface TestFolder {
  folder: Folder;
  /** Only the real one has symbolic links. */
  links: boolean;
  /** What is outside the real folder, to check that nothing there changed (null for the virtual one). */
  outside(): string[] | null;
  dispose(): void;
}

export interface FolderKind {
  name: 'memory' | 'disk';
  make(): Promise<TestFolder>;
}

export const FOLDERS: FolderKind[] = [
  {
    name: 'memory',
    async make() {
      return { folder: new MemoryFolder(TREE), links: false, outside: () => null, dispose: () => undefined };
    },
  },
  {
    name: 'disk',
    async make() {
      const base = mkdtempSync(join(tmpdir(), 'sockstep-jail-'));
      const root = join(base, 'root');
      mkdirSync(join(root, 'docs'), { recursive: true });
      mkdirSync(join(root, 'empty'));
      writeFileSync(join(root, 'notes.txt'), TREE['notes.txt']);
      writeFileSync(join(root, 'docs', 'a.txt'), TREE['docs/a.txt']);
      mkdirSync(join(base, 'outside'));
      writeFileSync(join(base, 'outside', 'secret.txt'), 'no');
      symlinkSync(join(base, 'outside'), join(root, 'way-out'));
      symlinkSync(join(base, 'outside', 'secret.txt'), join(root, 'file-out'));
      symlinkSync(join(base, 'outside', 'nothing'), join(root, 'dangling'));
      symlinkSync('docs', join(root, 'docs-link'));
      return {
        folder: await RealFolder.open(root),
        links: true,
        outside: () => readdirSync(join(base, 'outside')).sort().map((n) => `${n}:${readFileSync(join(base, 'outside', n), 'utf8')}`),
        dispose: () => rmSync(base, { recursive: true, force: true }),
      };
    },
  },
];
