// Runs published by another process (sockstep run --inspect, a tap): found
// through the app file, pushed with live-client.ts, checked line by line,
// stopped from the page; and the app file itself.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findApp, openLiveRun } from '../../runtime/server/live-client.ts';
import { readAppFiles, writeAppFile } from '../../runtime/server/runtime-file.ts';
import { toJsonLines } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { start, ROOT } from '../helpers/processes.ts';
import { startTestApp, talk, until, type TestApp } from './app-helpers.ts';
import { SseReader } from './sse-reader.ts';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function app(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const a = await startTestApp({ unwatchedStopMs: null, ...options });
  cleanups.push(() => a.close());
  return a;
}

function stream(a: TestApp, id: string): SseReader {
  const reader = new SseReader(`${a.url}api/runs/${id}/events`);
  cleanups.push(() => reader.close());
  return reader;
}

/** The publishing fixture in its own process, finding the app through its runtime folder. */
function publisher(a: TestApp, env: Record<string, string> = {}) {
  // start() passes on this process's environment: set the fixture's for the moment it spawns.
  const saved = { ...process.env };
  Object.assign(process.env, { SOCKSTEP_RUNTIME_DIR: a.runtimeDir, ...env });
  try {
    const child = start('node', ['--import', 'tsx', path.join(ROOT, 'test/server/fixtures/publish-server1.ts')]);
    cleanups.push(() => child.stop('SIGKILL'));
    return child;
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  }
}

describe('a run published by another process', () => {
  it('streams to the page as it happens and ends when its process ends it', async () => {
    const a = await app();
    const child = publisher(a);
    const [, port, id] = await child.waitFor(/listening (\d+) run (\w+)/, 20_000);
    const events = stream(a, id!);
    const run = JSON.parse((await events.waitFor((e) => e.event === 'run')).data);
    expect(run).toMatchObject({ id, kind: 'external', title: 'server1 from another process', status: 'running' });

    expect(await talk(Number(port))).toEqual({ ok: true, text: 'You are connected' });
    await events.waitFor((e) => e.event === 'records' && e.data.includes('"type":"close"'));
    const records = events.records();
    expect(records[0]).toMatchObject({ seq: 0, type: 'run', transport: 'tcp', lesson: '01-greeting' });
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i));
    const send = records.find((r) => r.type === 'send')!;
    expect(Buffer.from(send.data as string, 'base64').toString()).toBe('You are connected');

    child.child.stdin.write('end\n');
    await child.waitFor(/^ended$/m);
    const end = JSON.parse((await events.waitFor((e) => e.event === 'end')).data);
    expect(end.end).toMatchObject({ reason: 'stopped', message: 'Ctrl-C' });
    // The records the process sent while stopping (server1's status) came before the end.
    expect(events.records().some((r) => r.type === 'status' && r.status === 'stopped')).toBe(true);
    expect(await child.exited).toBe(0);
  }, 30_000);

  it('stopping it from the page tells its process, which stops and closes its sockets', async () => {
    const a = await app();
    const child = publisher(a, { LEASE_RENEW_MS: '200' });
    const [, port, id] = await child.waitFor(/listening (\d+) run (\w+)/, 20_000);
    const stopped = await a.call('DELETE', `/api/runs/${id}`);
    expect(stopped.json.run).toMatchObject({ status: 'ended', end: { reason: 'stopped', message: 'stopped from the page' } });
    // Idle, it hears of it with its next lease renewal.
    await child.waitFor(/stopped by the page/, 5000);
    expect(await child.exited).toBe(0);
    expect(await talk(Number(port))).toEqual({ ok: false, code: 'ECONNREFUSED' });
  }, 30_000);
});

describe('the records endpoint', () => {
  const header = (seq = 0): TraceRecord => ({ seq, t: 0, type: 'run', version: 2, transport: 'tcp', startedAt: 1 });
  const print = (seq: number): TraceRecord => ({ seq, t: seq, type: 'print', actor: 'a', text: `line ${seq}` });

  async function external(a: TestApp, kind = 'external'): Promise<string> {
    const res = await a.call('POST', '/api/runs', { body: { kind, title: 'a tap' } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.run).toMatchObject({ kind, title: 'a tap', status: 'running' });
    return res.json.id;
  }
  const send = (a: TestApp, id: string, records: TraceRecord[] | string) =>
    a.call('POST', `/api/runs/${id}/records`, { raw: typeof records === 'string' ? records : toJsonLines(records), type: 'application/x-ndjson' });

  it('checks records across batches as a trace file is checked, and ends a run that sends a bad one', async () => {
    const a = await app();
    const id = await external(a, 'tap');
    expect((await send(a, id, [header(), print(1)])).json).toEqual({ accepted: 2, last: 1 });
    expect((await send(a, id, '')).json).toEqual({ accepted: 0, last: 1 });
    const bad = await send(a, id, [print(1)]);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'bad_records', message: expect.stringMatching(/records are out of order \(seq 1 comes after seq 1\)/) });
    const run = (await a.call('GET', `/api/runs/${id}`)).json.run;
    expect(run).toMatchObject({ status: 'ended', end: { reason: 'failed', message: expect.stringMatching(/could not be read/) } });
    const after = await send(a, id, [print(2)]);
    expect(after.status).toBe(410);
    expect(after.json.error.code).toBe('run_ended');

    const other = await external(a);
    const noHeader = await send(a, other, [print(1)]);
    expect(noHeader.json.error.message).toMatch(/this is not a Sockstep trace: its first record is "print"/);
    const third = await external(a);
    expect((await send(a, third, '{"seq":0,\n')).json.error.message).toMatch(/is not JSON/);
    const negative = await external(a);
    expect((await send(a, negative, [header(-5)])).json.error).toMatchObject({ code: 'bad_records', message: expect.stringMatching(/seq must be a whole number, 0 or more \(got -5\)/) });
    const fourth = await external(a);
    expect((await a.call('POST', `/api/runs/${fourth}/records`, { raw: toJsonLines([header()]), type: 'text/plain' })).json.error.code).toBe('bad_content_type');
    expect((await a.call('POST', `/api/runs/${fourth}/end`, { body: { reason: 'exploded' } })).json.error.code).toBe('bad_request');
    expect((await a.call('POST', `/api/runs/${fourth}/end`, { body: { why: 1 } })).json.error.code).toBe('unknown_field');
    expect((await a.call('POST', `/api/runs/${fourth}/end`, { body: { reason: 'finished', outcome: { message: 'hi' } } })).json.run.end).toMatchObject({ reason: 'finished', outcome: { message: 'hi' } });
    expect((await a.call('POST', `/api/runs/${fourth}/end`)).status).toBe(410);

    const page = await a.call('POST', '/api/runs', { body: { machine: 'server1', options: { port: 0 } } });
    const notExternal = await send(a, page.json.id, [header()]);
    expect(notExternal.status).toBe(409);
    expect(notExternal.json.error.code).toBe('not_external');
    expect((await a.call('POST', '/api/runs', { body: { kind: 'external' } })).json.error).toMatchObject({ code: 'bad_request', field: 'title' });
    expect((await a.call('POST', '/api/runs', { body: { kind: 'external', title: 't', machine: 'server1' } })).json.error.code).toBe('unknown_field');
  });

  it('ends a run whose process stopped talking to the app', async () => {
    const a = await app({ externalIdleMs: 200 });
    const id = await external(a);
    await send(a, id, [header()]);
    await until(async () => (await a.call('GET', `/api/runs/${id}`)).json.run.status === 'ended', 3000, 'the lease to run out');
    expect((await a.call('GET', `/api/runs/${id}`)).json.run.end.reason).toBe('lost');
  });

  it('pushes with back-pressure, and drops rather than grows when the app cannot keep up', async () => {
    const a = await app();
    const trace = new Trace({ transport: 'tcp', clock: () => performance.now() });
    const live = await openLiveRun({ url: a.url, token: a.token }, { title: 'busy', highWaterBytes: 2000, maxBatchBytes: 1000, maxPendingBytes: 20_000 });
    live.push(trace.header);
    let full = false;
    for (let i = 0; i < 100 && !full; i++) full = !live.push(trace.add({ type: 'print', actor: 'a', text: 'x'.repeat(50) }));
    expect(full).toBe(true);
    await live.drain();
    expect(live.waiting).toBeLessThanOrEqual(2000);
    // Far more than maxPendingBytes at once: the overflow is dropped, and counted.
    for (let i = 0; i < 2000; i++) live.push(trace.add({ type: 'print', actor: 'a', text: 'y'.repeat(50) }));
    expect(live.dropped).toBeGreaterThan(0);
    await live.end({ reason: 'finished' });
    const events = stream(a, live.id);
    await events.waitFor((e) => e.event === 'end');
    const seqs = events.records().map((r) => r.seq);
    expect(seqs.length).toBe(trace.records.length - live.dropped);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(seqs.at(-1)).toBeLessThanOrEqual(trace.records.length - 1);
  });
});

describe('finding the app', () => {
  it('finds a running app by its file, ignores stale and unsafe files, and forgets it once closed', async () => {
    const a = await startTestApp({ unwatchedStopMs: null });
    cleanups.push(() => a.close());
    const dir = a.runtimeDir;
    expect(readAppFiles(dir)).toEqual([{ url: a.url, token: a.token, pid: process.pid }]);
    // A file left by an app that was killed: its process is gone.
    const gone = start('node', ['-e', '']);
    await gone.exited;
    writeAppFile({ url: 'http://127.0.0.1:1/', token: 'ab'.repeat(32), pid: gone.child.pid! }, dir);
    // A file others may write to is not trusted.
    const unsafe = path.join(dir, `app-${process.pid}-2.json`);
    writeFileSync(unsafe, JSON.stringify({ url: 'http://127.0.0.1:2/', token: 'cd'.repeat(32), pid: process.pid }));
    chmodSync(unsafe, 0o666);
    expect(await findApp({ dir })).toEqual({ url: a.url, token: a.token });
    expect(readAppFiles(dir).map((f) => f.url)).toEqual([a.url]);

    await a.close();
    expect(readAppFiles(dir)).toEqual([]);
    expect(await findApp({ dir })).toBeNull();
  });

  it('refuses a runtime folder that others may write to', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-open-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    chmodSync(dir, 0o777);
    expect(() => writeAppFile({ url: 'http://127.0.0.1:3/', token: 'ef'.repeat(32), pid: process.pid }, dir)).toThrow(/others may write to it/);
    expect(readAppFiles(dir)).toEqual([]);
  });
});
