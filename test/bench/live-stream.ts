/**
 * The live stream from app to page: records added to a live run's trace,
 * through the app's server-sent events (batched, one event per ~25 ms or
 * 2,000 records), to a client reading them over node:http as EventSource
 * would.
 *
 * 1. 1,000,000 records added as fast as the producer can (yielding to the
 *    event loop every 1,000): throughput at the client, and the lag at the
 *    end (from the last record being added to the client having it).
 *    Target (issue 7): at least 10,000 records a second, nothing dropped.
 * 2. A steady 10,000 records a second for 3 s: how late each record
 *    reaches the client (median and 99th percentile).
 *
 * App, producer and client share one process (and its event loop), so the
 * figures are a floor: in use, the page reads in another process.
 *
 *   npx tsx test/bench/live-stream.ts
 */
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, listen, type SockstepApp } from '../../runtime/server/app.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { SseReader } from '../server/sse-reader.ts';

const TOTAL = 1_000_000;
const CHUNK = 1000;
const GREETING = new TextEncoder().encode('You are connected');

/** The next record of a plausible mix: a state change, a send, a recv. */
function addRecord(trace: Trace, i: number): void {
  switch (i % 3) {
    case 0:
      trace.add({ type: 'microstep', actor: 'server1', event: 'xstate.done.actor.send', state: 'sending', transitions: [{ source: 'server1.sending', targets: ['server1.sending'], event: 'xstate.done.actor.send' }] });
      return;
    case 1:
      trace.add({ type: 'send', actor: 'server1', at: 'server1.sending', conn: 'c1', end: 'acceptor', offered: 17, accepted: 17, offset: i * 17, data: GREETING });
      return;
    default:
      trace.add({ type: 'recv', actor: 'client1', at: 'client1.receiving', conn: 'c1', end: 'connector', max: 1024, size: 17, offset: i * 17 });
  }
}

interface Setup {
  app: SockstepApp;
  server: Server;
  url: string;
  dir: string;
}

async function setUp(): Promise<Setup> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-bench-'));
  const app = createApp({ distDir: dir, unwatchedStopMs: null });
  const server = await listen(app, '127.0.0.1', 0);
  const { port } = server.address() as { port: number };
  return { app, server, url: `http://127.0.0.1:${port}/`, dir };
}

/** A live run fed by an in-process trace, as a run started from the page is. */
function liveRun(app: SockstepApp): { id: string; trace: Trace } {
  const trace = new Trace({ transport: 'tcp', clock: () => performance.now(), retain: 1 });
  const run = app.runs.create({ kind: 'external', title: 'benchmark' }, async (end) => run.finish(end));
  run.attachTrace(trace);
  return { id: run.id, trace };
}

/** A client counting records as they arrive; `at(seq)` resolves when it has that seq. */
function countingClient(url: string) {
  let received = 0;
  let last = -1;
  let dropped = 0;
  const waiters: { seq: number; resolve: (t: number) => void }[] = [];
  const arrivals: ((seq: number, t: number) => void)[] = [];
  const reader = new SseReader(
    url,
    {},
    (e) => {
      if (e.event === 'dropped') dropped += (JSON.parse(e.data) as { count: number }).count;
      if (e.event !== 'records') return;
      let lines = 1;
      for (let i = e.data.indexOf('\n'); i >= 0; i = e.data.indexOf('\n', i + 1)) lines += 1;
      received += lines;
      last = Number(e.id);
      const now = performance.now();
      for (const a of arrivals) a(last, now);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.seq <= last) waiters.splice(i, 1)[0]!.resolve(now);
      }
    },
    false,
  );
  return {
    reader,
    get received() {
      return received;
    },
    get dropped() {
      return dropped;
    },
    onArrival(f: (seq: number, t: number) => void) {
      arrivals.push(f);
    },
    at(seq: number): Promise<number> {
      if (last >= seq) return Promise.resolve(performance.now());
      return new Promise((resolve) => waiters.push({ seq, resolve }));
    },
  };
}

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

async function flatOut(s: Setup): Promise<void> {
  const { id, trace } = liveRun(s.app);
  const client = countingClient(`${s.url}api/runs/${id}/events`);
  await client.at(0);
  const start = performance.now();
  let lastAdded = start;
  const received = client.at(TOTAL);
  for (let i = 0; i < TOTAL; i += CHUNK) {
    for (let j = i; j < i + CHUNK; j++) addRecord(trace, j);
    lastAdded = performance.now();
    await yieldNow();
  }
  const gotLast = await received;
  client.reader.close();
  const seconds = (gotLast - start) / 1000;
  console.log(
    `live-stream: ${TOTAL.toLocaleString('en')} records through SSE in ${seconds.toFixed(2)} s = ` +
      `${Math.round(client.received / seconds).toLocaleString('en')} records/s at the client (target >= 10,000/s); ` +
      `added at ${Math.round(TOTAL / ((lastAdded - start) / 1000)).toLocaleString('en')}/s; ` +
      `lag at the end ${(gotLast - lastAdded).toFixed(1)} ms; received ${client.received.toLocaleString('en')}, dropped ${client.dropped}`,
  );
}

async function steady(s: Setup, perSecond: number, seconds: number): Promise<void> {
  const { id, trace } = liveRun(s.app);
  const client = countingClient(`${s.url}api/runs/${id}/events`);
  await client.at(0);
  const addedAt: number[] = [];
  const lags: number[] = [];
  let matched = 1;
  client.onArrival((last, now) => {
    for (; matched <= last; matched++) lags.push(now - addedAt[matched]!);
  });
  const start = performance.now();
  const total = perSecond * seconds;
  let added = 0;
  while (added < total) {
    // Add what the schedule owes by now, then wait a millisecond.
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * perSecond));
    for (; added < due; added++) {
      addedAt[added + 1] = performance.now();
      addRecord(trace, added);
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await client.at(total);
  client.reader.close();
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))]!.toFixed(1);
  console.log(
    `live-stream: steady ${perSecond.toLocaleString('en')} records/s for ${seconds} s: each record reached the client ` +
      `after ${pct(50)} ms (median), ${pct(99)} ms (99th percentile), ${lags.at(-1)!.toFixed(1)} ms (worst); dropped ${client.dropped}`,
  );
}

export default async function bench(): Promise<void> {
  const s = await setUp();
  try {
    await flatOut(s);
    await steady(s, 10_000, 3);
  } finally {
    await s.app.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bench();
