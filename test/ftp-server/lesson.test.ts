// Lesson 9's scenario on the simulated network: the scripted client's session, the control and data
// connections labelled and linked, the password masked, the same trace for the same seed.
import { describe, expect, it } from 'vitest';
import lesson from '../../lessons/09-ftp-server/lesson.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';

describe('lesson 9: an FTP server', () => {
  it('runs the session: login, PWD, PASV LIST, RETR, STOR, QUIT', async () => {
    const records = await runScenarioSim(lesson);
    const client = records.find((r) => r.type === 'status' && r.actor === 'client') as unknown as { output: { replies: { code: number }[]; error: unknown } };
    expect(client.output.error).toBeNull();
    expect(client.output.replies.map((r) => r.code)).toEqual([220, 331, 230, 257, 200, 227, 150, 226, 227, 150, 226, 227, 150, 226, 221]);
    const connections = records.filter((r) => r.type === 'connect' || r.type === 'accept') as { type: string; label?: string; link?: string }[];
    expect(connections.filter((r) => r.label === 'control')).toHaveLength(2);
    const dataConnects = connections.filter((r) => r.type === 'connect' && r.label === 'data');
    expect(dataConnects).toHaveLength(3);
    for (const r of dataConnects) expect(r.link).toBe('c1');
    const json = JSON.stringify(records, (_, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : typeof v === 'bigint' ? String(v) : v));
    expect(json).not.toContain('secret');
    expect(json).toContain('PASS ******');
    expect(json).toContain('Hello from the FTP server!');
    const server = records.find((r) => r.type === 'status' && r.actor === 'ftp-server') as unknown as { status: string };
    expect(server.status).toBe('done');
  });

  it('gives the same trace for the same seed', async () => {
    const a = await runScenarioSim(lesson, undefined, { seed: 7 });
    const b = await runScenarioSim(lesson, undefined, { seed: 7 });
    expect(JSON.stringify(a, (_, v) => (v instanceof Uint8Array ? [...v] : v))).toBe(JSON.stringify(b, (_, v) => (v instanceof Uint8Array ? [...v] : v)));
  });
});

import { needTool } from '../helpers/require-tool.ts';
import { run } from '../helpers/processes.ts';
import { startFtpServer } from './live-server.ts';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

needTool('/usr/bin/python3', 'python3').describe('lesson 9: ftp_client.py against sockstep ftp-server', () => {
  it('logs in, lists, fetches, stores and quits, as the scripted client does', async () => {
    const server = await startFtpServer('127.0.0.1', ['--user', 'student:secret']);
    try {
      writeFileSync(join(server.root, 'hello.txt'), 'Hello from the FTP server!\n');
      const out = await run('/usr/bin/python3', [new URL('../../lessons/09-ftp-server/ftp_client.py', import.meta.url).pathname, '--port', String(server.port)]);
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/^220 .*\n331 .*\n230 .*\n257 "\/" is the current directory\.\n200 .*\n227 .*\n150 .*\n226 .*\n[\s\S]*Hello from the FTP server!\n227 [\s\S]*226 Transfer complete: \/upload\.txt stored\.\n221 Goodbye\.\n$/);
      expect(readFileSync(join(server.root, 'upload.txt'), 'utf8')).toBe('uploaded from the client\n');
    } finally {
      await server.stop();
    }
  });
});
