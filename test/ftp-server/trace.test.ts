// What `sockstep ftp-server --trace` keeps of a transfer: a summary (byte count, first bytes, SHA-256)
// by default, every chunk as send records with --trace-data full; control bytes always whole.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needTool } from '../helpers/require-tool.ts';
import { run } from '../helpers/processes.ts';
import { PASSWORD, startFtpServer, USER } from './live-server.ts';

const BLOB = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 13) & 0xff));

interface Rec { type: string; data?: string; sha256?: string; wire?: number; outcome?: string; label?: string }

async function traced(mode: string[]): Promise<Rec[]> {
  const file = join(tmpdir(), `sockstep-ftp-trace-${process.pid}-${mode.length}.jsonl`);
  const server = await startFtpServer('127.0.0.1', ['--trace', file, ...mode]);
  try {
    writeFileSync(join(server.root, 'blob.bin'), BLOB);
    const r = await run('/usr/bin/curl', ['-sS', '-o', '/dev/null', '-u', `${USER}:${PASSWORD}`, `ftp://127.0.0.1:${server.port}/blob.bin`]);
    expect(r.stderr).toBe('');
  } finally {
    await server.stop();
  }
  const records = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
  rmSync(file, { force: true });
  return records;
}

needTool('/usr/bin/curl', 'curl').describe('ftp-server --trace', () => {
  it('summarises a RETR: one transfer, its byte count, first bytes and SHA-256; no data bytes in send records', async () => {
    const records = await traced([]);
    const end = records.find((r) => r.type === 'transferEnd')!;
    expect(end).toMatchObject({ outcome: 'done', wire: BLOB.length });
    expect(end.sha256).toBe(createHash('sha256').update(BLOB).digest('hex'));
    expect(Buffer.from(end.data!, 'base64')).toEqual(BLOB.subarray(0, 32));
    const sent = records.filter((r) => r.type === 'send').reduce((n, r) => n + Buffer.from(r.data ?? '', 'base64').length, 0);
    expect(sent).toBeLessThan(2000); // the control replies only
    expect(records.some((r) => r.type === 'send' && Buffer.from(r.data ?? '', 'base64').includes(Buffer.from('226 ')))).toBe(true);
  });

  it('records every byte with --trace-data full', async () => {
    const records = await traced(['--trace-data', 'full']);
    const sent = Buffer.concat(records.filter((r) => r.type === 'send').map((r) => Buffer.from(r.data ?? '', 'base64')));
    expect(sent.includes(BLOB.subarray(100_000, 100_100))).toBe(true);
    expect(records.find((r) => r.type === 'transferEnd')).toMatchObject({ outcome: 'done', wire: BLOB.length });
  });
});
