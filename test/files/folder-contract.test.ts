/**
 * What file calls do, one table of cases run against both folders (the
 * virtual one of the page and the real one of live runs), so that a lesson
 * behaves the same in the browser and live: reads in pieces, 'replace'
 * through a temporary file, 'new', 'append', 'update', rename, remove,
 * folders, and the codes of every failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Folder } from '../../runtime/files/types.ts';
import { FOLDERS, type TestFolder } from './folders.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** The whole content of a file. */
async function contentOf(folder: Folder, path: string): Promise<string> {
  const file = await folder.open(path, 'read');
  const parts: string[] = [];
  for (let at = 0n; ; ) {
    const bytes = await file.read(at, 3);
    if (bytes.length === 0) break;
    parts.push(dec(bytes));
    at += BigInt(bytes.length);
  }
  await file.close();
  return parts.join('');
}

/** Names in the folder, links aside (only the real folder has them). */
async function names(folder: Folder, path = '.'): Promise<string[]> {
  const entries = await folder.scandir(path);
  return entries.filter((e) => e.kind !== 'link').map((e) => e.name);
}

for (const kind of FOLDERS) {
  describe(`file calls: ${kind.name} folder`, () => {
    let made: TestFolder | undefined;
    const folder = async () => (made = await kind.make()).folder;
    afterEach(() => made?.dispose());

    it('reads a file in pieces; an empty read is the end of the file', async () => {
      const f = await folder();
      const file = await f.open('notes.txt', 'read');
      expect(file.size).toBe(9n);
      expect(dec(await file.read(0n, 4))).toBe('buy ');
      expect(dec(await file.read(4n, 100))).toBe('milk\n');
      expect((await file.read(9n, 100)).length).toBe(0);
      await file.close();
    });

    it('scandir and stat give kinds and exact sizes', async () => {
      const f = await folder();
      const entries = (await f.scandir('.')).filter((e) => e.kind !== 'link');
      expect(entries.map((e) => [e.name, e.kind])).toEqual([
        ['docs', 'folder'],
        ['empty', 'folder'],
        ['notes.txt', 'file'],
      ]);
      expect(entries[2]).toMatchObject({ size: 9n });
      expect(typeof entries[2]!.modified).toBe('number');
      expect(await f.stat('docs/a.txt')).toMatchObject({ name: 'a.txt', kind: 'file', size: 1n });
      await expect(f.stat('missing')).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it("replace writes a hidden temporary file: the old content stays until close, then the new one takes the name", async () => {
      const f = await folder();
      const file = await f.open('notes.txt', 'replace');
      expect(file.size).toBe(0n);
      await file.write(0n, enc('buy '));
      expect(await contentOf(f, 'notes.txt')).toBe('buy milk\n');
      expect(await f.list('.')).not.toContain(expect.stringMatching(/sockstep-part/));
      expect(await names(f)).toEqual(['docs', 'empty', 'notes.txt']);
      await file.write(4n, enc('bread\n'));
      await file.close();
      expect(await contentOf(f, 'notes.txt')).toBe('buy bread\n');
      expect(await names(f)).toEqual(['docs', 'empty', 'notes.txt']);
    });

    it('replace of a new name: nothing under the name until close; discard leaves nothing at all', async () => {
      const f = await folder();
      const kept = await f.open('docs/b.txt', 'replace');
      await kept.write(0n, enc('b'));
      await expect(f.stat('docs/b.txt')).rejects.toMatchObject({ code: 'ENOENT' });
      await kept.close();
      expect(await contentOf(f, 'docs/b.txt')).toBe('b');

      const thrown = await f.open('notes.txt', 'replace');
      await thrown.write(0n, enc('half a fi'));
      await thrown.discard();
      expect(await contentOf(f, 'notes.txt')).toBe('buy milk\n');
      expect(await names(f, 'docs')).toEqual(['a.txt', 'b.txt']);
      expect(await names(f)).toEqual(['docs', 'empty', 'notes.txt']);
    });

    it("new fails if the name is taken, at open or when it is taken meanwhile", async () => {
      const f = await folder();
      await expect(f.open('notes.txt', 'new')).rejects.toMatchObject({ code: 'EEXIST' });
      const file = await f.open('fresh.txt', 'new');
      await file.write(0n, enc('mine'));
      const other = await f.open('fresh.txt', 'replace');
      await other.write(0n, enc('theirs'));
      await other.close();
      await expect(file.close()).rejects.toMatchObject({ code: 'EEXIST' });
      expect(await contentOf(f, 'fresh.txt')).toBe('theirs');
      expect(await names(f)).toEqual(['docs', 'empty', 'fresh.txt', 'notes.txt']);
    });

    it('append writes at the end, in place, and makes a missing file', async () => {
      const f = await folder();
      const file = await f.open('notes.txt', 'append');
      expect(file.size).toBe(9n);
      await file.write(0n, enc('and eggs\n'));
      await file.close();
      expect(await contentOf(f, 'notes.txt')).toBe('buy milk\nand eggs\n');
      const fresh = await f.open('log.txt', 'append');
      await fresh.write(0n, enc('one\n'));
      await fresh.close();
      expect(await contentOf(f, 'log.txt')).toBe('one\n');
    });

    it('update writes at its offset and keeps the rest (REST, then STOR)', async () => {
      const f = await folder();
      const file = await f.open('notes.txt', 'update');
      await file.write(4n, enc('MILK'));
      await file.close();
      expect(await contentOf(f, 'notes.txt')).toBe('buy MILK\n');
      const fresh = await f.open('gap.txt', 'update');
      await fresh.write(2n, enc('x'));
      await fresh.close();
      expect(await contentOf(f, 'gap.txt')).toBe('\0\0x');
    });

    it('a handle refuses what its mode does not allow, and everything once closed (EBADF)', async () => {
      const f = await folder();
      const reading = await f.open('notes.txt', 'read');
      await expect(reading.write(0n, enc('x'))).rejects.toMatchObject({ code: 'EBADF' });
      await reading.close();
      await expect(reading.read(0n, 1)).rejects.toMatchObject({ code: 'EBADF' });
      await expect(reading.close()).rejects.toMatchObject({ code: 'EBADF' });
      const writing = await f.open('w.txt', 'replace');
      await expect(writing.read(0n, 1)).rejects.toMatchObject({ code: 'EBADF' });
      await writing.discard();
    });

    it.each([
      ['open a folder', 'EISDIR', (f: Folder) => f.open('docs', 'read')],
      ['replace a folder', 'EISDIR', (f: Folder) => f.open('docs', 'replace')],
      ['open a missing file', 'ENOENT', (f: Folder) => f.open('missing.txt', 'read')],
      ['write in a missing folder', 'ENOENT', (f: Folder) => f.open('nope/x.txt', 'replace')],
      ['go through a file', 'ENOTDIR', (f: Folder) => f.open('notes.txt/x', 'replace')],
      ['list a file', 'ENOTDIR', (f: Folder) => f.list('notes.txt')],
      ['remove a folder', 'EISDIR', (f: Folder) => f.remove('docs')],
      ['remove a missing file', 'ENOENT', (f: Folder) => f.remove('missing')],
      ['make a folder that is there', 'EEXIST', (f: Folder) => f.makeFolder('docs')],
      ['make a folder over a file', 'EEXIST', (f: Folder) => f.makeFolder('notes.txt')],
      ['remove a folder with files', 'ENOTEMPTY', (f: Folder) => f.removeFolder('docs')],
      ['removeFolder a file', 'ENOTDIR', (f: Folder) => f.removeFolder('notes.txt')],
      ['rename a missing file', 'ENOENT', (f: Folder) => f.rename('missing', 'x')],
      ['rename a file over a folder', 'EISDIR', (f: Folder) => f.rename('notes.txt', 'empty')],
      ['rename a folder over a file', 'ENOTDIR', (f: Folder) => f.rename('empty', 'notes.txt')],
      ['rename a folder over one with files', 'ENOTEMPTY', (f: Folder) => f.rename('empty', 'docs')],
      ['rename a folder into itself', 'EINVAL', (f: Folder) => f.rename('docs', 'docs/inner')],
    ] as [string, string, (f: Folder) => Promise<unknown>][])('%s fails with %s', async (_what, code, call) => {
      const f = await folder();
      await expect(call(f)).rejects.toMatchObject({ code });
      expect(await names(f)).toEqual(['docs', 'empty', 'notes.txt']);
      expect(await contentOf(f, 'notes.txt')).toBe('buy milk\n');
    });

    it('rename moves files and folders, and replaces a file at the new name', async () => {
      const f = await folder();
      await f.rename('docs/a.txt', 'a.txt');
      await f.rename('a.txt', 'notes.txt');
      expect(await contentOf(f, 'notes.txt')).toBe('a');
      await f.rename('docs', 'empty');
      expect(await names(f)).toEqual(['empty', 'notes.txt']);
      await f.makeFolder('empty/inner');
      await f.removeFolder('empty/inner');
      await f.remove('notes.txt');
      expect(await names(f)).toEqual(['empty']);
    });

    it('a call whose signal is aborted rejects with ECANCELED and does nothing', async () => {
      const f = await folder();
      const signal = AbortSignal.abort();
      await expect(f.open('x.txt', 'replace', { signal })).rejects.toMatchObject({ code: 'ECANCELED' });
      await expect(f.remove('notes.txt', { signal })).rejects.toMatchObject({ code: 'ECANCELED' });
      await expect(f.makeFolder('made', { signal })).rejects.toMatchObject({ code: 'ECANCELED' });
      const file = await f.open('notes.txt', 'append');
      await expect(file.write(0n, enc('x'), { signal })).rejects.toMatchObject({ code: 'ECANCELED' });
      await file.close();
      expect(await names(f)).toEqual(['docs', 'empty', 'notes.txt']);
      expect(await contentOf(f, 'notes.txt')).toBe('buy milk\n');
    });
  });
}
