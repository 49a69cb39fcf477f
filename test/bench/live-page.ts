/**
 * The live page keeping up with a long run, in Chromium: a 1,000,000-record
 * run streamed through the real app (startApp, the run's window, its
 * server-sent events) to the production page (live/?run=…), which parses
 * every record, merges it into its run model, keeps its window of steps and
 * renders the newest step once per frame while following.
 *
 * The run is lesson 3's real trace repeated (a server, a session per
 * client, three clients: sends with bytes, recvs, prints, state changes),
 * added to the run's Trace at 20,000 a second (twice the target; `max`: as
 * fast as the app takes them, 1,000 at a time, yielding to the event loop
 * between).
 *
 * Reported: the records per second the page took in (target: at least
 * 10,000), the time each render of the newest step took while streaming
 * (median and p95, from the frame that took the records to the laid-out
 * page; target < 16 ms), records the app had to drop for the page (it
 * could not keep up), the lag at the end (from the last record added to
 * the page showing it) and the page's heap at the end.
 *
 *   npx tsx test/bench/live-page.ts [records] [records-per-second | max]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lessons } from '../../lessons/index.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import type { TraceRecord, UnstampedRecord } from '../../runtime/trace/records.ts';
import { startApp } from '../../runtime/server/start-app.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { buildUi, CHROMIUM, launchBrowser } from '../helpers/ui-page.ts';
import { repeatTrace } from './ui-synthetic-trace.ts';

const RECORDS = 1_000_000;
const CHUNK = 1000;
/** Records added per second: twice the target, so that keeping up is shown with room to spare. */
const RATE = 20_000;
export const KEEP_UP_TARGET = 10_000;
export const RENDER_TARGET_MS = 16;

function stats(ms: number[]): { median: number; p95: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
}

const now = () => performance.timeOrigin + performance.now();
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

export default async function bench(total = RECORDS, rate = RATE): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`live-page: skipped, ${CHROMIUM} not found (Debian package 'chromium')`);
    return;
  }
  const lesson = lessons.find((l) => l.scenarios.some((s) => s.clients.length > 1)) ?? lessons[0]!;
  const source = repeatTrace(await runScenarioSim(lesson, undefined, { seed: 1 }), Math.min(total, 200_000) + 1).slice(1);
  const unstamped = source.map((r) => {
    const { seq: _seq, t: _t, ...rest } = r as TraceRecord & Record<string, unknown>;
    return rest as unknown as UnstampedRecord;
  });

  const dir = await mkdtemp(path.join(os.tmpdir(), 'sockstep-live-page-'));
  const dist = path.join(dir, 'dist');
  await buildUi(dist);
  const app = await startApp({ distDir: dist, runtimeDir: null, port: 0, unwatchedStopMs: null });
  const browser = await launchBrowser({ width: 1440, height: 1000 });
  try {
    const trace = new Trace({ transport: 'tcp', clock: () => performance.now(), lesson: lesson.id, retain: 1 });
    const run = app.app.runs.create({ kind: 'external', title: 'live-page benchmark' }, async (end) => run.finish(end));
    run.attachTrace(trace);

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}live/?run=${run.id}`);
    await page.getByTestId('live-page').waitFor();
    await page.waitForFunction(() => window.__sockstep?.live !== undefined);
    await page.evaluate(() => (window.__sockstep!.measureLive = true));

    // Produce: every record added to the run's trace, at `rate` a second (or as fast as the app takes them).
    const start = now();
    let added = 0;
    let lastAdded = start;
    while (added < total) {
      const due = rate === Infinity ? total : Math.min(total, Math.floor(((now() - start) / 1000) * rate));
      const n = Math.min(CHUNK, due - added);
      for (let i = 0; i < n; i++) trace.add(unstamped[(added + i) % unstamped.length]!);
      added += Math.max(0, n);
      lastAdded = now();
      if (n <= 0) await new Promise((r) => setTimeout(r, 2));
      else await yieldNow();
    }
    const lastSeq = total; // the header is seq 0
    const produced = (lastAdded - start) / 1000;

    // Wait for the page to show the last record.
    let shown = { at: 0, seq: -1 };
    const deadline = Date.now() + 300_000;
    while (shown.seq < lastSeq && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      shown = await page.evaluate(() => window.__sockstep!.live!.lastRender());
    }
    const result = await page.evaluate(() => ({
      renders: window.__sockstep!.liveRenders!(),
      received: window.__sockstep!.live!.received(),
      first: window.__sockstep!.live!.first(),
      count: window.__sockstep!.count(),
      heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      dropped: [...document.querySelectorAll('[data-testid="window-note"]')].map((n) => n.textContent ?? ''),
    }));
    const took = (shown.at - start) / 1000;
    const keptUp = result.received / took;
    const render = stats(result.renders);
    // Records the page never got: the app had let them go before the page asked (it was too far behind).
    const missed = total + 1 - result.received;
    console.log(
      `  run: ${total.toLocaleString('en-US')} records of ${lesson.id} added in ${produced.toFixed(1)} s (${Math.round(total / produced).toLocaleString('en-US')}/s); ` +
        `the page took in ${result.received.toLocaleString('en-US')} records (${missed === 0 ? 'every one' : `${missed.toLocaleString('en-US')} missed: the app no longer held them`})`,
    );
    console.log(
      `  page: ${Math.round(keptUp).toLocaleString('en-US')} records/s; ${result.renders.length.toLocaleString('en-US')} renders of the newest step, ` +
        `median ${render.median.toFixed(2)} ms, p95 ${render.p95.toFixed(2)} ms, max ${render.max.toFixed(2)} ms; ` +
        `holds steps ${(result.first + 1).toLocaleString('en-US')}–${(result.first + result.count).toLocaleString('en-US')}; JS heap ${(result.heap / 2 ** 20).toFixed(0)} MB`,
    );
    if (result.dropped.length > 0) console.log(`  said on the page: ${result.dropped.join(' / ')}`);
    if (errors.length > 0) console.log(`  page errors (${errors.length}): ${errors.slice(0, 3).join('; ')}`);
    const ok = keptUp >= KEEP_UP_TARGET && render.p95 < RENDER_TARGET_MS && shown.seq === lastSeq;
    console.log(
      `live-page: ${Math.round(keptUp).toLocaleString('en-US')} records/s kept up with (target >= ${KEEP_UP_TARGET.toLocaleString('en-US')}), ` +
        `render ${render.median.toFixed(2)} ms median / ${render.p95.toFixed(2)} ms p95 while streaming (target < ${RENDER_TARGET_MS} ms), ` +
        `lag at the end ${shown.seq === lastSeq ? `${(shown.at - lastAdded).toFixed(0)} ms` : 'NEVER CAUGHT UP'}: ${ok ? 'ok' : 'OVER TARGET'}`,
    );
  } finally {
    await browser.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rate = process.argv[3] === undefined ? RATE : process.argv[3] === 'max' ? Infinity : Number(process.argv[3]);
  await bench(process.argv[2] === undefined ? RECORDS : Number(process.argv[2]), rate);
}
