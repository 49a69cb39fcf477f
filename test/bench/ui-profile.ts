/**
 * Where a step's time goes, in Chromium: the render benchmark's page and
 * trace (ui-render.ts: lesson 3's shape, 100,000 records), stepped through
 * with the DevTools protocol's tracing on, then summed on the page's
 * renderer thread: time by event (script, style, layout, paint, GC), the
 * forced layouts by the script that caused them, the garbage collections
 * (how long, how much each kept), and with `--cpu` the sampled CPU profile
 * by function (`--no-minify` keeps the page's function names). Not a
 * benchmark: tracing and sampling slow the page down; ui-render.ts gives
 * the figures.
 *
 *   npx tsx test/bench/ui-profile.ts [jump|step] [--cpu] [--no-minify] [--out DIR]
 *
 * `--out DIR` also writes the trace (trace.json, for chrome://tracing or
 * DevTools' performance panel) and the CPU profile (cpu.cpuprofile).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toJsonLines } from '../../runtime/trace/json.ts';
import { launchBrowser, ROOT, serveStatic } from '../helpers/ui-page.ts';
import { syntheticTrace } from './ui-synthetic-trace.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { cpu: { type: 'boolean', default: false }, 'no-minify': { type: 'boolean', default: false }, out: { type: 'string' } },
});
const mode = positionals[0] ?? 'jump';
if (mode !== 'jump' && mode !== 'step') throw new Error(`ui-profile: mode is 'jump' or 'step', not '${mode}'`);
const STEPS = 300;

interface TraceEvent {
  name: string;
  ph: string;
  tid: number;
  ts: number;
  dur?: number;
  args?: Record<string, any>;
}

const { lesson, records: trace } = await syntheticTrace(100_000);
const jsonLines = toJsonLines(trace);
const dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-profile-'));
const { build } = await import('vite');
await build({ configFile: path.join(ROOT, 'vite.config.ts'), root: path.join(ROOT, 'ui'), logLevel: 'error', build: { outDir: dist, emptyOutDir: true, minify: !values['no-minify'] } });
const server = await serveStatic(dist);
const browser = await launchBrowser({ width: 1440, height: 1000 });
try {
  const page = await browser.context.newPage();
  await page.goto(`${server.url}lessons/${lesson.id}/`);
  await page.getByTestId('lesson-page').waitFor();
  const count = await page.evaluate(async (text) => {
    const before = window.__sockstep!.count();
    window.__sockstep!.loadTrace(text);
    for (let i = 0; i < 600 && window.__sockstep!.count() === before; i++) await new Promise((r) => setTimeout(r, 20));
    return window.__sockstep!.count();
  }, jsonLines);
  const measure = (steps: number[]) =>
    page.evaluate(async (list) => {
      const out: number[] = [];
      for (const [i, s] of list.entries()) {
        // A user-timing mark around each step, so that the trace can say what happened inside it.
        performance.mark(`step-start-${i}`);
        out.push(await window.__sockstep!.measureStep(s));
        performance.measure(`step-${i}`, `step-start-${i}`);
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      return out;
    }, steps);
  await measure(Array.from({ length: 40 }, (_, i) => 100 + i));
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const steps = mode === 'jump' ? Array.from({ length: STEPS }, () => Math.floor(random() * count)) : Array.from({ length: STEPS }, (_, i) => Math.floor(count / 2) + i);

  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  if (values.cpu) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.stack,v8,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  if (values.cpu) await cdp.send('Profiler.start');
  const ms = await measure(steps);
  const profile = values.cpu ? ((await cdp.send('Profiler.stop')) as { profile: any }).profile : null;
  await cdp.send('Tracing.end');
  await complete;

  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  console.log(`${STEPS} ${mode === 'jump' ? 'jumps' : 'steps'} of ${count.toLocaleString('en-US')} (traced${values.cpu ? ', sampled' : ''}): median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${at(1).toFixed(1)} ms`);

  // The page's renderer main thread: of the CrRendererMain threads (one per renderer process), the busiest.
  const busy = new Map<number, number>();
  for (const e of events) busy.set(e.tid, (busy.get(e.tid) ?? 0) + 1);
  const mains = events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => e.tid);
  const tid = mains.sort((a, b) => (busy.get(b) ?? 0) - (busy.get(a) ?? 0))[0];
  const main = events.filter((e) => e.tid === tid && e.ph === 'X' && e.dur !== undefined);

  const sums = new Map<string, { ms: number; n: number }>();
  for (const e of main) {
    const s = sums.get(e.name) ?? { ms: 0, n: 0 };
    s.ms += e.dur! / 1000;
    s.n++;
    sums.set(e.name, s);
  }
  console.log('time by event on the page\'s main thread (ms in all, count; nested events are counted in their parents too):');
  for (const [name, s] of [...sums].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log(`  ${name.padEnd(40)} ${s.ms.toFixed(1).padStart(8)} ${String(s.n).padStart(6)}`);

  for (const name of ['Layout', 'UpdateLayoutTree']) {
    const by = new Map<string, { n: number; ms: number }>();
    for (const e of main) {
      if (e.name !== name) continue;
      const stack = (e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace) as { functionName: string; lineNumber: number }[] | undefined;
      const key = stack === undefined ? '(in the frame)' : stack.slice(0, 4).map((f) => `${f.functionName || '(anonymous)'}:${f.lineNumber}`).join(' < ');
      const s = by.get(key) ?? { n: 0, ms: 0 };
      s.n++;
      s.ms += e.dur! / 1000;
      by.set(key, s);
    }
    console.log(`${name} by cause:`);
    for (const [key, s] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)) console.log(`  ${s.n} x, ${s.ms.toFixed(0)} ms, ${(s.ms / s.n).toFixed(2)} ms each: ${key}`);
  }

  // How much each forced style and layout had to do (the layout effect's read after a step's render).
  const sizes = (name: string, field: (e: TraceEvent) => number | undefined) => {
    const list = main.filter((e) => e.name === name && (e.args?.beginData?.stackTrace ?? e.args?.data?.stackTrace) !== undefined).map(field).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
    return list.length === 0 ? 'n/a' : `median ${list[list.length >> 1]}, max ${list[list.length - 1]}`;
  };
  console.log(`forced style: elements recalculated ${sizes('UpdateLayoutTree', (e) => e.args?.elementCount)}`);
  console.log(`forced layout: objects dirty ${sizes('Layout', (e) => e.args?.beginData?.dirtyObjects)}, of ${sizes('Layout', (e) => e.args?.beginData?.totalObjects)}`);

  const gcs = main.filter((e) => e.name === 'MinorGC' || e.name === 'MajorGC');
  console.log('garbage collections:');
  for (const kind of ['MinorGC', 'MajorGC']) {
    const list = gcs.filter((e) => e.name === kind);
    if (list.length === 0) continue;
    const total = list.reduce((t, e) => t + e.dur! / 1000, 0);
    const kept = list.map((e) => ((e.args?.usedHeapSizeAfter ?? 0) / 2 ** 20).toFixed(0)).join(', ');
    console.log(`  ${kind}: ${list.length} x, ${total.toFixed(0)} ms in all, longest ${(Math.max(...list.map((e) => e.dur!)) / 1000).toFixed(1)} ms; heap after each (MB): ${kept}`);
  }

  // The slowest steps, each split into garbage collection, style, layout and the rest (mostly script).
  const spans = new Map<number, { ts: number; end: number }>();
  for (const e of events) {
    const m = /^step-(\d+)$/.exec(e.name);
    if (m === null || e.tid !== tid) continue;
    const i = Number(m[1]);
    if (e.ph === 'b' || e.ph === 'X') spans.set(i, { ts: e.ts, end: e.ts + (e.dur ?? 0) });
    else if (e.ph === 'e' && spans.has(i)) spans.get(i)!.end = e.ts;
  }
  const within = (span: { ts: number; end: number }, names: string[]) =>
    main.filter((e) => names.includes(e.name) && e.ts >= span.ts && e.ts < span.end).reduce((t, e) => t + e.dur! / 1000, 0);
  const slowest = ms.map((m, i) => ({ m, i })).sort((a, b) => b.m - a.m).slice(0, Math.ceil(STEPS * 0.06));
  console.log(`the slowest ${slowest.length} (step: ms in all = GC + style + layout + the rest):`);
  for (const { m, i } of slowest) {
    const span = spans.get(i);
    if (span === undefined) continue;
    const gc = within(span, ['MinorGC', 'MajorGC']);
    const style = within(span, ['UpdateLayoutTree']);
    const layout = within(span, ['Layout']);
    console.log(`  ${String(steps[i]).padStart(6)}: ${m.toFixed(1).padStart(5)} = ${gc.toFixed(1)} + ${style.toFixed(1)} + ${layout.toFixed(1)} + ${(m - gc - style - layout).toFixed(1)}`);
  }

  if (profile !== null) {
    const self = new Map<string, number>();
    const byId = new Map<number, any>(profile.nodes.map((n: any) => [n.id, n]));
    for (let i = 0; i < profile.samples.length; i++) {
      const n = byId.get(profile.samples[i])!;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
    console.log('CPU self time by function (ms):');
    for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${t.toFixed(1).padStart(8)} ${key}`);
    // Total time: each sample counted once for every function on its stack.
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const total = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const seen = new Set<string>();
      for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
        const f = byId.get(id)!.callFrame;
        if (f.url === '' || f.functionName === '') continue;
        seen.add(`${f.functionName} ${f.url.split('/').pop()}:${f.lineNumber}`);
      }
      for (const key of seen) total.set(key, (total.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
    console.log('CPU total time by function (ms, callees included):');
    for (const [key, t] of [...total].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`  ${t.toFixed(1).padStart(8)} ${key}`);
  }

  if (values.out !== undefined) {
    await mkdir(values.out, { recursive: true });
    await writeFile(path.join(values.out, 'trace.json'), JSON.stringify({ traceEvents: events }));
    if (profile !== null) await writeFile(path.join(values.out, 'cpu.cpuprofile'), JSON.stringify(profile));
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dist, { recursive: true, force: true });
}
