// The virtual folder a simulated run lists.
import { describe, expect, it } from 'vitest';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';

const folder = new MemoryFolder({
  'notes.txt': 'buy milk\n',
  'photos/cat.jpg': new Uint8Array([0xff, 0xd8]),
  'photos/dog.jpg': '',
  'empty/': '',
  'two\nlines.txt': '',
  'caf\uDCE9.txt': '',
});

describe('MemoryFolder', () => {
  it('lists the top folder, sorted by code point, folders included', async () => {
    expect(await folder.list('.')).toEqual(['caf\uDCE9.txt', 'empty', 'notes.txt', 'photos', 'two\nlines.txt']);
  });

  it('lists a folder inside it, and an empty one', async () => {
    expect(await folder.list('photos')).toEqual(['cat.jpg', 'dog.jpg']);
    expect(await folder.list('/photos/')).toEqual(['cat.jpg', 'dog.jpg']);
    expect(await folder.list('empty')).toEqual([]);
  });

  it.each([
    ['missing', 'ENOENT'],
    ['notes.txt', 'ENOTDIR'],
    ['notes.txt/x', 'ENOTDIR'],
    ['../x', 'EOUTSIDE'],
  ])('list(%j) fails with %s', async (path, code) => {
    await expect(folder.list(path)).rejects.toMatchObject({ code });
  });

  it('refuses contents that put a file inside a file', () => {
    expect(() => new MemoryFolder({ a: '', 'a/b': '' })).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('a cancelled list rejects with ECANCELED', async () => {
    const aborted = AbortSignal.abort();
    await expect(folder.list('.', { signal: aborted })).rejects.toMatchObject({ code: 'ECANCELED' });
  });
});
