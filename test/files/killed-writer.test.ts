/**
 * A process killed with SIGKILL while it replaces a file (no chance to
 * clean up: no signal handler, no finally) leaves the old file whole under
 * its name. What it wrote is in its temporary file beside it, hidden from
 * listings and marked for a person who finds it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RealFolder } from '../../runtime/files/real-folder.ts';
import { ROOT, start } from '../helpers/processes.ts';

const base = mkdtempSync(join(tmpdir(), 'sockstep-killed-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("a killed writer ('replace')", () => {
  it('leaves the old file intact under its name', async () => {
    const original = 'the old content, whole\n'.repeat(100);
    writeFileSync(join(base, 'afile.txt'), original);
    const writer = start(process.execPath, ['--import', 'tsx', join(ROOT, 'test/files/killed-writer.ts'), base]);
    await writer.waitFor(/writing 3\n/, 30_000);
    writer.child.kill('SIGKILL');
    await writer.exited;
    expect(writer.child.signalCode).toBe('SIGKILL');

    expect(readFileSync(join(base, 'afile.txt'), 'utf8')).toBe(original);
    const onDisk = readdirSync(base);
    const partial = onDisk.filter((n) => n !== 'afile.txt');
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatch(/^\.afile\.txt\.sockstep-part-[0-9a-f]{8}$/);
    expect(statSync(join(base, partial[0]!)).size).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    // A listing shows the file and not the half-written one.
    expect(await (await RealFolder.open(base)).list('.')).toEqual(['afile.txt']);
  }, 40_000);
});
