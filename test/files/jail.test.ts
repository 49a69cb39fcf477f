/**
 * The path jail, one table of cases run against both folders (the virtual
 * one of the page and the real one of live runs), as the transport
 * contract runs one table on both transports: every call refuses the same
 * paths with the same code. The real folder's symbolic links get cases of
 * their own, with a check that nothing outside changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Folder } from '../../runtime/files/types.ts';
import { FOLDERS, type TestFolder } from './folders.ts';

type Call = (folder: Folder, path: string) => Promise<unknown>;

/** Every call, with the path in each place a call takes one. */
const CALLS: Record<string, Call> = {
  list: (f, p) => f.list(p),
  scandir: (f, p) => f.scandir(p),
  stat: (f, p) => f.stat(p),
  'open read': (f, p) => f.open(p, 'read'),
  'open replace': (f, p) => f.open(p, 'replace'),
  'open new': (f, p) => f.open(p, 'new'),
  'open append': (f, p) => f.open(p, 'append'),
  'open update': (f, p) => f.open(p, 'update'),
  'rename from': (f, p) => f.rename(p, 'moved.txt'),
  'rename to': (f, p) => f.rename('notes.txt', p),
  remove: (f, p) => f.remove(p),
  makeFolder: (f, p) => f.makeFolder(p),
  removeFolder: (f, p) => f.removeFolder(p),
};

/** Paths no call may use, on either folder, and the code each gets. */
const REFUSED: [string, string][] = [
  ['..', 'EOUTSIDE'],
  ['../x', 'EOUTSIDE'],
  ['/..', 'EOUTSIDE'],
  ['docs/../../x', 'EOUTSIDE'],
  ['docs/../../root/notes.txt', 'EOUTSIDE'],
  ['a\0b', 'EINVAL'],
  ['a\nb', 'EINVAL'],
  ['a\rb', 'EINVAL'],
  ['docs/a\r\nRETR secret', 'EINVAL'],
];

/** The real folder's links: where each call is refused, because it would reach outside. */
const LINK_CASES: [string, string][] = [
  ['list', 'way-out'],
  ['scandir', 'way-out'],
  ['stat', 'way-out'],
  ['stat', 'file-out'],
  ['stat', 'way-out/secret.txt'],
  ['open read', 'file-out'],
  ['open read', 'way-out/secret.txt'],
  ['open replace', 'way-out/new.txt'],
  ['open new', 'way-out/new.txt'],
  ['open append', 'file-out'],
  ['open append', 'way-out/secret.txt'],
  ['open update', 'file-out'],
  ['open append', 'dangling'],
  ['open update', 'dangling'],
  ['rename from', 'way-out/secret.txt'],
  ['rename to', 'way-out/notes.txt'],
  ['remove', 'way-out/secret.txt'],
  ['makeFolder', 'way-out/sub'],
  ['removeFolder', 'way-out/sub'],
];

for (const kind of FOLDERS) {
  describe(`the path jail: ${kind.name} folder`, () => {
    let made: TestFolder | undefined;
    const folder = async () => (made = await kind.make()).folder;
    afterEach(() => made?.dispose());

    for (const [path, code] of REFUSED) {
      it(`refuses ${JSON.stringify(path)} with ${code} in every call`, async () => {
        const f = await folder();
        for (const [name, call] of Object.entries(CALLS)) {
          await expect(call(f, path), `${name}(${JSON.stringify(path)})`).rejects.toMatchObject({ code });
        }
        // Nothing was touched on the way.
        expect(await f.list('.')).toEqual(made!.links ? ['dangling', 'docs', 'docs-link', 'empty', 'file-out', 'notes.txt', 'way-out'] : ['docs', 'empty', 'notes.txt']);
      });
    }

    it('allows ".." that stays inside, read lexically', async () => {
      const f = await folder();
      expect(await f.list('docs/..')).toContain('notes.txt');
      const file = await f.open('docs/../notes.txt', 'read');
      expect(new TextDecoder().decode(await file.read(0n, 100))).toBe('buy milk\n');
      await file.close();
    });

    it('the folder itself cannot be removed, renamed or opened as a file', async () => {
      const f = await folder();
      await expect(f.removeFolder('.')).rejects.toMatchObject({ code: 'EINVAL' });
      await expect(f.remove('')).rejects.toMatchObject({ code: 'EINVAL' });
      await expect(f.rename('/', 'x')).rejects.toMatchObject({ code: 'EINVAL' });
      await expect(f.open('.', 'read')).rejects.toMatchObject({ code: 'EISDIR' });
      await expect(f.makeFolder('.')).rejects.toMatchObject({ code: 'EEXIST' });
    });

    if (kind.name === 'disk') {
      it.each(LINK_CASES)('%s %j: a link out of the folder is refused (EOUTSIDE) and nothing outside changes', async (name, path) => {
        const f = await folder();
        const before = made!.outside();
        await expect(CALLS[name]!(f, path)).rejects.toMatchObject({ code: 'EOUTSIDE' });
        expect(made!.outside()).toEqual(before);
      });

      it('a link to nothing outside makes nothing there: no folder through it, none in its place', async () => {
        const f = await folder();
        await expect(f.makeFolder('dangling/sub')).rejects.toMatchObject({ code: 'ENOENT' });
        await expect(f.makeFolder('dangling')).rejects.toMatchObject({ code: 'EEXIST' });
        expect(made!.outside()).toEqual(['secret.txt:no']);
      });

      it('follows a link that stays inside, for reading and for writing', async () => {
        const f = await folder();
        expect(await f.list('docs-link')).toEqual(['a.txt']);
        const file = await f.open('docs-link/a.txt', 'append');
        await file.write(0n, new TextEncoder().encode('b'));
        await file.close();
        expect((await f.stat('docs/a.txt')).size).toBe(2n);
      });

      it('replace over a link out replaces the link itself, inside: the file outside stays as it was', async () => {
        const f = await folder();
        const before = made!.outside();
        const file = await f.open('file-out', 'replace');
        await file.write(0n, new TextEncoder().encode('mine'));
        await file.close();
        expect(made!.outside()).toEqual(before);
        expect((await f.scandir('.')).find((e) => e.name === 'file-out')).toMatchObject({ kind: 'file', size: 4n });
      });

      it('remove and rename of a link out work on the link, never on what it points to', async () => {
        const f = await folder();
        const before = made!.outside();
        await f.rename('file-out', 'renamed-link');
        await f.remove('renamed-link');
        await f.remove('way-out');
        expect(made!.outside()).toEqual(before);
      });
    }
  });
}
