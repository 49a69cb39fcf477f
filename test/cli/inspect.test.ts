// `--inspect`, `sockstep view` and the browser opener, in-process: the run published to an app
// started here or to one already running, stopped from the app, a failed client's run ending as
// failed; --no-open and --app-port only with --inspect; the opener found on PATH (or not), never
// run under SOCKSTEP_NO_OPEN=1; trace files checked before the page opens.
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserOpener, openInBrowser } from '../../runtime/cli/open-browser.ts';
import { sockstepIn } from '../helpers/cli-in-process.ts';
import { checkTrace, HEAD_CHECK_BYTES, WHOLE_CHECK_BYTES } from '../../runtime/cli/trace-check.ts';
import { readAppFiles } from '../../runtime/server/runtime-file.ts';
import { startApp, type StartedApp } from '../../runtime/server/start-app.ts';
import { recordToJson, toJsonLines } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { greetingTrace } from '../ui-fixtures/traces.ts';

const scratch = mkdtempSync(join(tmpdir(), 'sockstep-inspect-'));
const uiDir = join(scratch, 'ui');
const runtimeDir = join(scratch, 'run');
const saved = { ...process.env };

beforeAll(() => {
  mkdirSync(uiDir);
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><html><head><title>page</title></head><body>page</body></html>');
  mkdirSync(runtimeDir, { mode: 0o700 });
  Object.assign(process.env, { SOCKSTEP_NO_OPEN: '1', SOCKSTEP_UI_DIR: uiDir, SOCKSTEP_RUNTIME_DIR: runtimeDir });
});
afterAll(() => {
  process.env = saved;
  rmSync(scratch, { recursive: true, force: true });
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sockstep = (argv: string[]) => sockstepIn(scratch, argv);

async function until(test: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function api(url: string, token: string, method = 'GET', body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method, headers: { 'X-Sockstep-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

describe('sockstep run --inspect', () => {
  it('takes --no-open and --app-port only with --inspect', async () => {
    const a = sockstep(['run', 'server1', '--app-port', '0']);
    expect(await a.code).toBe(2);
    expect(a.err).toEqual(['sockstep: --app-port goes with --inspect (the page of the run), as in sockstep run server1 --inspect --app-port 0']);
    const b = sockstep(['run', 'server1', '--no-open']);
    expect(await b.code).toBe(2);
    expect(b.err[0]).toContain('--no-open goes with --inspect');
    const c = sockstep(['run', 'server1', '--app-port', '70000', '--inspect']);
    expect(await c.code).toBe(2);
    expect(c.err).toEqual(['sockstep: --app-port must be a whole number from 0 to 65535 (got "70000")']);
  });

  it('starts the app in this process when none runs, publishes the run, and stops the machine when the app stops the run', async () => {
    const run = sockstep(['run', 'server1', '--port', '0', '--inspect', '--app-port', '0']);
    cleanups.push(async () => {
      run.stop();
      await run.code;
    });
    await until(() => run.out.some((l) => l.startsWith('Watch server1 live: ')), 'the page address');
    const app = run.out.find((l) => l.startsWith('Sockstep app started at '))!;
    expect(app).toMatch(/^Sockstep app started at http:\/\/127\.0\.0\.1:\d+\/ \(it stops when this command stops\)$/);
    const url = new URL(run.out.find((l) => l.startsWith('Watch server1 live: '))!.slice('Watch server1 live: '.length));
    expect(url.pathname).toBe('/live/');
    const id = url.searchParams.get('run')!;
    // Other sockstep processes find it through its app file; the token is in it.
    const file = readAppFiles(runtimeDir).find((f) => f.url === url.origin + '/');
    expect(file).toBeDefined();
    await until(() => run.out.some((l) => /is listening on 127\.0\.0\.1 port \d+/.test(l)), 'listening');
    const listed = await api(new URL('/api/runs', url).href, file!.token);
    expect(listed.json.runs).toEqual([expect.objectContaining({ id, kind: 'external', title: `server1 · pid ${process.pid} (01-greeting)`, status: 'running' })]);
    expect(listed.json.runs[0].records.last).toBeGreaterThan(3);

    // Stopped from the page: the machine stops, its sockets close, the app stays until Ctrl-C.
    const stopped = await api(new URL(`/api/runs/${id}`, url).href, file!.token, 'DELETE');
    expect(stopped.status).toBe(200);
    expect(stopped.json.run).toMatchObject({ status: 'ended', end: { reason: 'stopped' } });
    await until(() => run.out.some((l) => l.startsWith('The run has ended; its page stays at')), 'the run to end');
    const port = Number(/port (\d+)/.exec(run.out.find((l) => /is listening on/.test(l))!)![1]);
    const refused = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('connect', () => resolve('connected'));
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? ''));
    });
    expect(refused).toBe('ECONNREFUSED');
    run.stop();
    expect(await run.code).toBe(0);
    expect(run.out.at(-1)).toBe('server1 was stopped from the page; every socket is closed');
    // The app went with the command: its file too.
    expect(readAppFiles(runtimeDir).find((f) => f.url === url.origin + '/')).toBeUndefined();
  });

  describe('with an app already running', () => {
    let app: StartedApp;
    beforeAll(async () => {
      app = await startApp({ distDir: uiDir, runtimeDir, port: 0 });
    });
    afterAll(async () => app?.close());

    it('joins it: a client that cannot connect is published and ends as failed, and the command exits at once', async () => {
      const server = createServer();
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as { port: number }).port;
      await new Promise((r) => server.close(r));
      const run = sockstep(['run', 'client1', '--port', String(port), '--inspect']);
      expect(await run.code).toBe(1);
      expect(run.out).not.toContainEqual(expect.stringMatching(/Sockstep app started/));
      const line = run.out.find((l) => l.startsWith('Watch client1 live: '))!;
      expect(line.startsWith(`Watch client1 live: ${app.url}live/?run=`)).toBe(true);
      expect(run.err.at(-1)).toMatch(/^sockstep: client1 cannot talk to 127\.0\.0\.1 port \d+: Nothing is listening on that port\./);
      const id = new URL(line.slice('Watch client1 live: '.length)).searchParams.get('run')!;
      const published = app.app.runs.get(id)!;
      expect(published.summary()).toMatchObject({ kind: 'external', status: 'ended', end: { reason: 'failed' } });
      // Every record of the run reached the app.
      expect(published.window.lastSeq).toBeGreaterThan(5);
    });

    it('joins it: a server stopped in the app is stopped here too, within a second or so, and the command ends', async () => {
      const run = sockstep(['run', 'server1', '--port', '0', '--inspect']);
      cleanups.push(async () => {
        run.stop();
        await run.code;
      });
      await until(() => run.out.some((l) => l.startsWith('Watch server1 live: ')) && run.out.some((l) => /is listening on/.test(l)), 'the run to start');
      const id = new URL(run.out.find((l) => l.startsWith('Watch server1 live: '))!.slice('Watch server1 live: '.length)).searchParams.get('run')!;
      await until(() => (app.app.runs.get(id)?.window.lastSeq ?? -1) > 3, 'its records to reach the app');
      const asked = Date.now();
      expect((await api(new URL(`api/runs/${id}`, app.url).href, app.token, 'DELETE')).status).toBe(200);
      expect(await run.code).toBe(0);
      expect(Date.now() - asked).toBeLessThan(5000);
      expect(run.out.at(-1)).toBe('server1 was stopped from the page; every socket is closed');
      // Joined, not started: no wait for Ctrl-C, the app goes on.
      expect(run.out).not.toContainEqual(expect.stringMatching(/its page stays at/));
      expect((await fetch(new URL('healthz', app.url))).status).toBe(200);
    });

    it('sockstep view hands it the file and prints the page', async () => {
      const file = join(scratch, 'good.jsonl');
      writeFileSync(file, toJsonLines(await greetingTrace()));
      const view = sockstep(['view', file]);
      expect(await view.code).toBe(0);
      const open = view.out.find((l) => l.startsWith('Open it: '))!;
      const url = new URL(open.slice('Open it: '.length));
      expect(url.origin + '/').toBe(app.url);
      expect(url.pathname).toBe('/trace/');
      const served = await fetch(new URL(`api/files/${url.searchParams.get('file')}`, app.url), { headers: { 'X-Sockstep-Token': app.token } });
      expect(served.status).toBe(200);
      expect(served.headers.get('x-sockstep-file-name')).toBe('good.jsonl');
      expect(await served.text()).toBe(readFileSync(file, 'utf8'));
      // Only sockstep itself hands over files: not a page (with an Origin), not without the token, never a relative path.
      const asPage = await fetch(new URL('api/files', app.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Sockstep-Token': app.token, Origin: app.url.replace(/\/$/, '') },
        body: JSON.stringify({ path: file }),
      });
      expect(asPage.status).toBe(403);
      expect((await api(new URL('api/files', app.url).href, 'wrong', 'POST', { path: file })).status).toBe(403);
      const relative = await api(new URL('api/files', app.url).href, app.token, 'POST', { path: 'good.jsonl' });
      expect(relative.status).toBe(400);
      expect(relative.json.error.message).toContain('the full path of a trace file');
      const folder = await api(new URL('api/files', app.url).href, app.token, 'POST', { path: scratch });
      expect(folder.json.error.message).toContain('is not a file');
    });
  });
});

describe('the browser opener', () => {
  it('is xdg-open from PATH on Linux, open on macOS, none where there is none', () => {
    const bin = mkdtempSync(join(tmpdir(), 'sockstep-bin-'));
    cleanups.push(async () => rmSync(bin, { recursive: true, force: true }));
    expect(browserOpener({ PATH: bin }, 'linux')).toBeNull();
    writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\n');
    chmodSync(join(bin, 'xdg-open'), 0o755);
    expect(browserOpener({ PATH: bin }, 'linux')).toEqual([join(bin, 'xdg-open')]);
    expect(browserOpener({ PATH: bin }, 'darwin')).toBeNull();
  });

  it('opens the address with it, unless told not to (--no-open, SOCKSTEP_NO_OPEN=1)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'sockstep-bin-'));
    cleanups.push(async () => rmSync(bin, { recursive: true, force: true }));
    const log = join(bin, 'opened');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > ${log}\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    if (process.platform !== 'linux') return;
    expect(openInBrowser('http://127.0.0.1:1/live/', true, { PATH: bin, SOCKSTEP_NO_OPEN: '1' })).toBe('not asked');
    expect(openInBrowser('http://127.0.0.1:1/live/', false, { PATH: bin })).toBe('not asked');
    expect(openInBrowser('http://127.0.0.1:1/live/?run=r1', true, { PATH: bin })).toBe('opened');
    await until(() => {
      try {
        return readFileSync(log, 'utf8') === 'http://127.0.0.1:1/live/?run=r1\n';
      } catch {
        return false;
      }
    }, 'the opener to run');
    expect(openInBrowser('http://x/', true, { PATH: join(bin, 'nothing-here') })).toBe('no opener');
  });
});

describe('checking a trace file before the page opens', () => {
  const write = (name: string, content: string) => {
    const file = join(scratch, name);
    writeFileSync(file, content);
    return file;
  };

  it('reads a small file whole: fatal problems, and problems after which the page still shows something', async () => {
    const records = await greetingTrace();
    const text = toJsonLines(records);
    expect(await checkTrace(write('ok.jsonl', text))).toEqual({ size: Buffer.byteLength(text), records: records.length, whole: true, fatal: null, warnings: [] });
    expect((await checkTrace(write('notes.txt', 'hello\n'))).fatal).toBe('line 1 is not JSON: a trace file has one JSON record per line ("hello")');
    expect((await checkTrace(write('empty.jsonl', ''))).fatal).toBe('the file is empty: a trace has at least its "run" header');
    expect((await checkTrace(write('v1.jsonl', '{"seq":0,"t":0,"type":"run","version":1,"transport":"sim"}\n'))).fatal).toMatch(/^this trace is version 1/);
    const cut = await checkTrace(write('cut.jsonl', text.slice(0, -20)));
    expect(cut.fatal).toBeNull();
    expect(cut.warnings).toEqual([`the file ends part-way through line ${records.length}: the run was cut short while its trace was being written; the page shows the ${records.length - 1} records before it`]);
    const lines = text.trimEnd().split('\n');
    [lines[4], lines[5]] = [lines[5]!, lines[4]!];
    const order = await checkTrace(write('order.jsonl', lines.join('\n') + '\n'));
    expect(order.warnings[0]).toMatch(/^reading stops at line 6: line 6: records are out of order \(seq 4 comes after seq 5\)/);
  });

  it('checks only the start and the end of a file too large to read first', async () => {
    const records = await greetingTrace();
    const body = records.slice(1).map((r) => recordToJson(r).replace(/^\{"seq":\d+,/, ''));
    const file = join(scratch, 'large.jsonl');
    const fd = openSync(file, 'w');
    let seq = 0;
    let size = writeSync(fd, recordToJson({ ...records[0]!, seq: seq++ } as TraceRecord) + '\n');
    while (size <= WHOLE_CHECK_BYTES) {
      let piece = '';
      for (let k = 0; k < 2000; k++) for (const line of body) piece += `{"seq":${seq++},${line}\n`;
      size += writeSync(fd, piece);
    }
    writeSync(fd, '{"seq":99999999999,"t":1,"ty');
    closeSync(fd);
    const started = performance.now();
    const check = await checkTrace(file);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(check.whole).toBe(false);
    expect(check.fatal).toBeNull();
    expect(check.records).toBeGreaterThan(1000);
    expect(check.records * 100).toBeLessThan(HEAD_CHECK_BYTES);
    expect(check.warnings).toEqual(['the file ends part-way through its last line: the run was cut short while its trace was being written; the page shows the records before it']);
    rmSync(file);
  });
});
