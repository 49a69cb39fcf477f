// A real folder on disk, jailed to its root: no '..' out, no symbolic link out.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealFolder } from '../../runtime/files/real-folder.ts';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'sockstep-folder-'));
  root = join(base, 'root');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(join(root, 'notes.txt'), 'buy milk\n');
  writeFileSync(join(root, 'docs', 'a.txt'), '');
  writeFileSync(join(root, 'two\nlines.txt'), '');
  // A name that is not UTF-8: "caf" and the Latin-1 byte for é.
  writeFileSync(Buffer.concat([Buffer.from(`${root}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]), '');
  mkdirSync(join(base, 'outside'));
  writeFileSync(join(base, 'outside', 'secret.txt'), 'no');
  symlinkSync(join(base, 'outside'), join(root, 'way-out'));
  symlinkSync(join(root, 'docs'), join(root, 'docs-link'));
  symlinkSync('..', join(root, 'docs', 'up'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('RealFolder', () => {
  it('lists the root with every name as Python os.listdir(str) would, sorted by code point', async () => {
    const folder = await RealFolder.open(root);
    expect(await folder.list('.')).toEqual(['caf\uDCE9.txt', 'docs', 'docs-link', 'notes.txt', 'two\nlines.txt', 'way-out']);
    expect(folder.kind).toBe('disk');
  });

  it('lists a folder inside, and follows a link that stays inside', async () => {
    const folder = await RealFolder.open(root);
    expect(await folder.list('docs')).toEqual(['a.txt', 'up']);
    expect(await folder.list('docs-link')).toEqual(['a.txt', 'up']);
    expect(await folder.list('docs/up')).toContain('notes.txt');
  });

  it.each([
    ['way-out', 'EOUTSIDE'],
    ['way-out/', 'EOUTSIDE'],
    ['..', 'EOUTSIDE'],
    ['docs/../../outside', 'EOUTSIDE'],
    ['missing', 'ENOENT'],
    ['notes.txt', 'ENOTDIR'],
    ['a\0b', 'EINVAL'],
  ])('list(%j) fails with %s', async (path, code) => {
    const folder = await RealFolder.open(root);
    await expect(folder.list(path)).rejects.toMatchObject({ code });
  });

  it('a root that is itself a link is resolved once; paths stay inside what it points to', async () => {
    const link = join(base, 'root-link');
    symlinkSync(root, link);
    const folder = await RealFolder.open(link);
    expect(await folder.list('docs')).toEqual(['a.txt', 'up']);
    await expect(folder.list('way-out')).rejects.toMatchObject({ code: 'EOUTSIDE' });
  });

  it('opening a missing folder or a file fails with a code', async () => {
    await expect(RealFolder.open(join(base, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(RealFolder.open(join(root, 'notes.txt'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('RealFolder sizes', () => {
  it('are exact, as bigint: a sparse file of 2^40 + 1 bytes', async () => {
    const { openSync, ftruncateSync, closeSync } = await import('node:fs');
    const fd = openSync(join(root, 'sparse.bin'), 'w');
    try {
      ftruncateSync(fd, 2 ** 40 + 1);
    } finally {
      closeSync(fd);
    }
    const folder = await RealFolder.open(root);
    expect((await folder.stat('sparse.bin')).size).toBe(2n ** 40n + 1n);
    expect((await folder.scandir('.')).find((e) => e.name === 'sparse.bin')?.size).toBe(2n ** 40n + 1n);
    const file = await folder.open('sparse.bin', 'read');
    expect(file.size).toBe(2n ** 40n + 1n);
    // Reading far into it works; past 2^53 Node cannot seek, and says so (EFBIG) rather than reading elsewhere.
    expect(await file.read(2n ** 40n, 10)).toEqual(new Uint8Array(1));
    await expect(file.read(2n ** 53n + 1n, 1)).rejects.toMatchObject({ code: 'EFBIG' });
    await file.close();
    await folder.remove('sparse.bin');
  });
});
