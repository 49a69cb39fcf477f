// sockstep ftp-server --inspect: the run is published to the lesson app (found through its app file)
// as it happens; the app gets the sessions' records, and no password among them.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../server/app-helpers.ts';
import { needTool } from '../helpers/require-tool.ts';
import { CLI, run } from '../helpers/processes.ts';
import { makeRoot } from './live-server.ts';

/** What the app's event stream of a run holds after `ms`: its records (bytes decoded to latin1 text). */
function streamRecords(port: number, id: string, ms: number): Promise<{ type: string; data?: string }[]> {
  return new Promise((resolve) => {
    let text = '';
    const req = http.get({ host: '127.0.0.1', port, path: `/api/runs/${id}/events?after=0` }, (res) => {
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
    });
    req.on('error', () => undefined);
    setTimeout(() => {
      req.destroy();
      const records = text
        .split('\n')
        .filter((l) => l.startsWith('data: {'))
        .map((l) => JSON.parse(l.slice(6)) as { type: string; data?: string })
        .map((r) => (typeof r.data === 'string' ? { ...r, data: Buffer.from(r.data, 'base64').toString('latin1') } : r));
      resolve(records);
    }, ms);
  });
}

needTool('/usr/bin/curl', 'curl').describe('ftp-server --inspect', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(async () => app?.close());

  it('publishes the run to the lesson app, passwords masked', async () => {
    const root = makeRoot();
    const child = spawn(process.execPath, [CLI, 'ftp-server', '--root', root, '--port', '0', '--user', 'alice:topsecret', '--inspect', '--quiet'], {
      env: { ...process.env, SOCKSTEP_RUNTIME_DIR: app.runtimeDir },
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    try {
      for (let i = 0; i < 200 && !/listening on \S+ port \d+/.test(out); i++) await new Promise((r) => setTimeout(r, 50));
      const id = /live\/\?run=(\S+)/.exec(out)![1]!;
      const port = Number(/listening on \S+ port (\d+)/.exec(out)![1]);
      const got = await run('/usr/bin/curl', ['-sS', '-u', 'alice:topsecret', `ftp://127.0.0.1:${port}/hello.txt`]);
      expect(got.stdout).toBe('hello\nworld\n');
      const { json } = await app.call('GET', '/api/runs');
      expect(json.runs).toEqual([expect.objectContaining({ id, kind: 'external', status: 'running', listening: [{ host: '127.0.0.1', port }] })]);
      const records = await streamRecords(app.port, id, 1500);
      expect(records.some((r) => r.type === 'transferEnd')).toBe(true);
      const bytes = records.map((r) => r.data ?? '').join('');
      expect(bytes).toContain('PASS *********');
      expect(JSON.stringify(records)).not.toContain('topsecret');
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('close', r));
      rmSync(root, { recursive: true, force: true });
    }
  });
});
