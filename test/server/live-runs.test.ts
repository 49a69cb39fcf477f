// Live runs started from the API: a lesson machine on a real port, its
// records on the event stream, several side by side, stopped with every
// socket closed, and the app's close() freeing every port.
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LESSON_01, run } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { SseReader } from './sse-reader.ts';
import { closeServer, createApp, listen } from '../../runtime/server/app.ts';
import { openHandles, request, startTestApp, talk, until, type TestApp } from './app-helpers.ts';

const python = needTool('python3', 'python3');

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function app(options: Parameters<typeof startTestApp>[0] = {}): Promise<TestApp> {
  const a = await startTestApp({ unwatchedStopMs: null, ...options });
  cleanups.push(() => a.close());
  return a;
}

function stream(a: TestApp, id: string, headers: Record<string, string> = {}, query = ''): SseReader {
  const reader = new SseReader(`${a.url}api/runs/${id}/events${query}`, headers);
  cleanups.push(() => reader.close());
  return reader;
}

/** Start server1 on a free port; resolves with its run id and port. */
async function server1(a: TestApp): Promise<{ id: string; port: number }> {
  const res = await a.call('POST', '/api/runs', { body: { machine: 'server1', options: { port: 0 } } });
  expect(res.status, res.text).toBe(201);
  expect(res.json.run.status).toBe('running');
  return { id: res.json.id, port: res.json.run.listening[0].port };
}

/** A plain TCP server that accepts and holds every connection until closed. */
async function holdingServer(): Promise<{ port: number; sockets: Socket[]; server: Server }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(r));
  });
  return { port: (server.address() as { port: number }).port, sockets, server };
}

function seqs(reader: SseReader): number[] {
  return reader.records().map((r) => r.seq);
}

describe('live runs from the page', () => {
  it('starts server1 on a real port; a real client gets the greeting and its records stream in', async () => {
    const a = await app();
    const { id, port } = await server1(a);
    const events = stream(a, id);
    await events.opened();
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    const run = await events.waitFor((e) => e.event === 'run');
    expect(JSON.parse(run.data)).toMatchObject({ id, kind: 'page', machine: 'server1', lesson: '01-greeting', status: 'running' });

    expect(await talk(port)).toEqual({ ok: true, text: 'You are connected' });
    await events.waitFor((e) => e.event === 'records' && e.data.includes('"type":"close"'));
    const records = events.records();
    expect(records[0]).toMatchObject({ seq: 0, type: 'run', version: 2, transport: 'tcp', lesson: '01-greeting' });
    const types = records.map((r) => r.type);
    for (const t of ['actor', 'listen', 'accept', 'send', 'close']) expect(types).toContain(t);
    // Bytes as base64, as the trace file has them.
    const send = records.find((r) => r.type === 'send')!;
    expect(Buffer.from(send.data as string, 'base64').toString()).toBe('You are connected');
    // Every seq once, in order, from the header on.
    expect(seqs(events)).toEqual(records.map((_, i) => i));
    // Each event's id is its last record's seq.
    const last = events.events.filter((e) => e.event === 'records').at(-1)!;
    expect(Number(last.id)).toBe(records.at(-1)!.seq);

    const listed = await a.call('GET', '/api/runs', { token: null });
    expect(listed.json.runs.map((r: { id: string }) => r.id)).toEqual([id]);

    const stopped = await a.call('DELETE', `/api/runs/${id}`);
    expect(stopped.status).toBe(200);
    expect(stopped.json.run).toMatchObject({ status: 'ended', end: { reason: 'stopped' }, listening: [] });
    const end = await events.waitFor((e) => e.event === 'end');
    expect(JSON.parse(end.data).end.reason).toBe('stopped');
    await events.closed;
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
  });

  it('resumes after a dropped connection (Last-Event-ID) and a reload (?after=) without losing or repeating a record', async () => {
    const a = await app();
    const { id, port } = await server1(a);
    const first = stream(a, id);
    await talk(port);
    await first.waitFor((e) => e.event === 'records' && e.data.includes('"type":"close"'));
    first.close();
    const seenFirst = seqs(first);

    // More happens while nobody watches, and more while the second stream is open.
    for (let i = 0; i < 3; i++) await talk(port);
    const second = stream(a, id, { 'Last-Event-ID': first.lastEventId });
    for (let i = 0; i < 3; i++) await talk(port);
    await until(() => second.records().filter((r) => r.type === 'close').length === 6, 5000, 'six closes on the second stream');
    second.close();
    const seenSecond = seqs(second);
    expect(seenSecond[0]).toBe(Number(first.lastEventId) + 1);

    // A reload: a new stream from ?after=, while the old URL's Last-Event-ID is absent.
    for (let i = 0; i < 2; i++) await talk(port);
    const third = stream(a, id, {}, `?after=${second.lastEventId}`);
    await until(() => third.records().filter((r) => r.type === 'close').length === 2, 5000, 'two closes on the third stream');

    const all = [...seenFirst, ...seenSecond, ...seqs(third)];
    expect(all).toEqual(all.map((_, i) => i));
    // Last-Event-ID wins over ?after= (a browser reconnects with the URL it first used).
    const fourth = stream(a, id, { 'Last-Event-ID': '3' }, '?after=0');
    await fourth.waitFor((e) => e.event === 'records');
    expect(seqs(fourth)[0]).toBe(4);
  });

  it('says which records it no longer holds when a stream starts before its window', async () => {
    const a = await app({ limits: { window: { maxRecords: 40, maxBytes: 1 << 20, maxSticky: 8 } } });
    const { id, port } = await server1(a);
    for (let i = 0; i < 10; i++) await talk(port);
    const events = stream(a, id);
    const dropped = await events.waitFor((e) => e.event === 'dropped');
    const info = JSON.parse(dropped.data) as { after: number; before: number; count: number };
    await until(() => seqs(events).at(-1)! >= info.before + 39, 5000, 'the window');
    const got = seqs(events);
    // The header and server1's actor record outlive the window; the page can still draw its lane.
    const sticky = got.filter((s) => s < info.before);
    expect(events.records().filter((r) => r.seq < info.before).map((r) => r.type)).toEqual(['run', 'actor']);
    expect(info.after).toBe(-1);
    expect(info.count).toBe(info.before - info.after - 1 - sticky.length);
    expect(got.slice(sticky.length)).toEqual(Array.from({ length: 40 }, (_, i) => info.before + i));
    // The dropped event comes before any record, and has no id (resuming never skips the sticky records).
    expect(events.events.findIndex((e) => e.event === 'dropped')).toBeLessThan(events.events.findIndex((e) => e.event === 'records'));
    expect(dropped.id).toBeNull();
    const summary = (await a.call('GET', `/api/runs/${id}`)).json.run;
    expect(summary.records.held).toBe(40);
    expect(summary.records.dropped).toBe(info.count);
  });

  it('runs a server and two clients side by side, each its own run and trace', async () => {
    const a = await app();
    const server = await server1(a);
    const serverEvents = stream(a, server.id);
    const clients: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await a.call('POST', '/api/runs', { body: { machine: 'client1', options: { port: server.port }, title: `client ${i + 1}` } });
      expect(res.status, res.text).toBe(201);
      clients.push(res.json.id);
    }
    for (const id of clients) {
      const events = stream(a, id);
      const end = JSON.parse((await events.waitFor((e) => e.event === 'end')).data);
      expect(end.end).toMatchObject({ reason: 'finished', outcome: { message: 'You are connected' } });
      const records = events.records();
      expect(records[0]!.type).toBe('run');
      expect(records.filter((r) => r.type === 'recv').length).toBeGreaterThan(0);
      expect(records.every((r) => r.type === 'run' || r.actor === 'client1')).toBe(true);
    }
    await until(() => serverEvents.records().filter((r) => r.type === 'accept').length === 2, 5000, 'two accepts');
    const runs = (await a.call('GET', '/api/runs')).json.runs as { id: string; title: string; status: string }[];
    expect(runs.map((r) => r.id).sort()).toEqual([server.id, ...clients].sort());
    expect(runs.find((r) => r.id === clients[1])!.title).toBe('client 2');
    expect(runs.find((r) => r.id === server.id)!.status).toBe('running');
  });

  it('stopping a run closes every socket it opened: its listener and its connections', async () => {
    const a = await app();
    const held = await holdingServer();
    const client = await a.call('POST', '/api/runs', { body: { machine: 'client1', options: { port: held.port } } });
    expect(client.status).toBe(201);
    await until(() => held.sockets.length === 1, 5000, 'the client to connect');
    const closedByPeer = new Promise<void>((r) => held.sockets[0]!.once('close', () => r()));
    const server = await server1(a);

    expect((await a.call('DELETE', `/api/runs/${client.json.id}`)).json.run.status).toBe('ended');
    await closedByPeer;
    await a.call('DELETE', `/api/runs/${server.id}`);
    expect(await talk(server.port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
    // Stopping twice is no error, and an ended run stays listed for the page.
    expect((await a.call('DELETE', `/api/runs/${server.id}`)).status).toBe(200);
    expect((await a.call('GET', '/api/runs')).json.runs.every((r: { status: string }) => r.status === 'ended')).toBe(true);
  });

  it("closing the app closes every socket every run opened, and its own port", async () => {
    const before = openHandles();
    const a = await startTestApp({ unwatchedStopMs: null });
    const held = await holdingServer();
    const { port } = await server1(a);
    await a.call('POST', '/api/runs', { body: { machine: 'client1', options: { port: held.port } } });
    await until(() => held.sockets.length === 1, 5000, 'the client to connect');
    const closedByPeer = new Promise<void>((r) => held.sockets[0]!.once('close', () => r()));
    const events = new SseReader(`${a.url}api/runs/${(await a.call('GET', '/api/runs')).json.runs[0].id}/events`);
    await events.waitFor((e) => e.event === 'run');

    await a.close();
    await closedByPeer;
    await events.closed;
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
    expect(await talk(a.port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
    // Only the holding server of this test is still open (a server of an earlier test may still be closing when counted).
    await until(() => openHandles().servers <= before.servers + 1, 2000, 'the servers to close');
  });

  it('stops every run when the caller closes the server itself (createApp + listen, as `sockstep start` does)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-dist-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const created = createApp({ distDir: dir });
    const server = await listen(created, '127.0.0.1', 0);
    const appPort = (server.address() as { port: number }).port;
    const res = await request(appPort, 'POST', '/api/runs', { 'X-Sockstep-Token': created.token, 'Content-Type': 'application/json' }, JSON.stringify({ machine: 'server1', options: { port: 0 } }));
    expect(res.status, res.text).toBe(201);
    const port = res.json.run.listening[0].port as number;
    expect((await talk(port)).ok).toBe(true);
    await closeServer(server);
    await until(() => created.runs.list()[0]!.status === 'ended', 3000, 'the run to stop');
    expect(created.runs.list()[0]!.end).toMatchObject({ reason: 'closed' });
    expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
  });

  it('stops a page run that no page has watched for a while (a closed tab), not one being watched', async () => {
    const a = await app({ unwatchedStopMs: 300 });
    const watched = await server1(a);
    const events = stream(a, watched.id);
    await events.waitFor((e) => e.event === 'run');
    const alone = await server1(a);
    await until(async () => (await a.call('GET', `/api/runs/${alone.id}`)).json.run.status === 'ended', 3000, 'the unwatched run to stop');
    expect((await a.call('GET', `/api/runs/${alone.id}`)).json.run.end).toMatchObject({ reason: 'stopped', message: 'no page was watching it' });
    expect(await talk(alone.port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
    expect((await a.call('GET', `/api/runs/${watched.id}`)).json.run.status).toBe('running');

    // A reload: the stream goes away and comes back within the grace time; the run goes on.
    events.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = stream(a, watched.id);
    await again.waitFor((e) => e.event === 'run');
    await new Promise((r) => setTimeout(r, 400));
    expect((await a.call('GET', `/api/runs/${watched.id}`)).json.run.status).toBe('running');
  });

  it('sends a keepalive comment when nothing else was sent for a while', async () => {
    const a = await app({ stream: { batchMs: 25, batchRecords: 2000, maxEventRecords: 5000, heartbeatMs: 50, retryMs: 2000 } });
    const { id } = await server1(a);
    const raw = await new Promise<string>((resolve) => {
      let text = '';
      const req = httpGet(`${a.url}api/runs/${id}/events`, (res) => {
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        setTimeout(() => {
          req.destroy();
          resolve(text);
        }, 300);
      });
    });
    expect(raw.startsWith('retry: 2000\n\nevent: run\n')).toBe(true);
    expect(raw.match(/^: keepalive$/gm)?.length).toBeGreaterThanOrEqual(2);
  });

  it('answers a reconnect to a run it has streamed to the end with 204, so the browser stops reconnecting', async () => {
    const a = await app();
    const { id } = await server1(a);
    await a.call('DELETE', `/api/runs/${id}`);
    const full = stream(a, id);
    await full.waitFor((e) => e.event === 'end');
    await full.closed;
    const again = stream(a, id, { 'Last-Event-ID': full.lastEventId });
    await again.closed;
    expect(again.status).toBe(204);
    // A page that reloads (?after=) is still told how the run ended.
    const reload = stream(a, id, {}, `?after=${full.lastEventId}`);
    expect(JSON.parse((await reload.waitFor((e) => e.event === 'end')).data).end.reason).toBe('stopped');
    expect((await a.call('GET', '/api/runs/nope/events')).status).toBe(404);
    expect((await a.call('GET', `/api/runs/${id}/events?after=x`)).json.error.code).toBe('bad_request');
  });
});

python.describe('a live run and a Python program', () => {
  it("serves lesson 1's own Python client, and the page sees the client's connection", async () => {
    const a = await app();
    const { id, port } = await server1(a);
    const events = stream(a, id);
    const result = await run('python3', [`${LESSON_01}client1.py`, '--port', String(port)]);
    expect(result).toMatchObject({ code: 0, stdout: 'You are connected\n' });
    const accept = await events.waitFor((e) => e.event === 'records' && e.data.includes('"type":"accept"'));
    expect(accept.data).toMatch(/"remote":\{"host":"127\.0\.0\.1","port":\d+\}/);
  });
});
