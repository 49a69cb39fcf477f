/**
 * Time to render one step of a 100,000-record trace in Chromium: the
 * production page of the lesson with the most actors (lesson 3), a trace
 * synthesised from its real run (ui-synthetic-trace.ts) loaded as JSON lines
 * through `window.__sockstep.loadTrace` (read and checked by the same code
 * as a trace file), and `__sockstep.measureStep(n)` timing, inside the
 * page with performance.now(), from the step change to the rendered and
 * laid-out page. Median and p95 over many steps, in order (→) and at random
 * (the scrubber). Target: under 16 ms, one frame at 60 Hz.
 *
 *   npx tsx test/bench/ui-render.ts [records]
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonLines } from '../../runtime/trace/json.ts';
import { buildUi, CHROMIUM, launchBrowser, serveStatic } from '../helpers/ui-page.ts';
import { syntheticTrace } from './ui-synthetic-trace.ts';

export const RENDER_TARGET_MS = 16;
const RECORDS = 100_000;
const SAMPLES = 300;

function stats(ms: number[]): { median: number; p95: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

export default async function bench(records = RECORDS): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`ui-render: skipped, ${CHROMIUM} not found (Debian package 'chromium')`);
    return;
  }
  const { lesson, records: trace, actorsPerRound } = await syntheticTrace(records);
  const actors = trace.filter((r) => r.type === 'actor').length;
  const jsonLines = toJsonLines(trace);
  const dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-render-'));
  await buildUi(dist);
  const server = await serveStatic(dist);
  const browser = await launchBrowser({ width: 1440, height: 1000 });
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}lessons/${lesson.id}/`);
    await page.getByTestId('lesson-page').waitFor();
    const loadStart = Date.now();
    const count = await page.evaluate(async (text) => {
      const before = window.__sockstep!.count();
      window.__sockstep!.loadTrace(text);
      // Wait for the page to read, index and show the new trace.
      for (let i = 0; i < 600 && window.__sockstep!.count() === before; i++) await new Promise((r) => setTimeout(r, 20));
      return window.__sockstep!.count();
    }, jsonLines);
    const loadMs = Date.now() - loadStart;

    const measure = (steps: number[]) =>
      page.evaluate(async (list) => {
        const out: number[] = [];
        for (const s of list) {
          out.push(await window.__sockstep!.measureStep(s));
          await new Promise((r) => requestAnimationFrame(() => r(null))); // let the frame paint, as a person stepping would
        }
        return out;
      }, steps);

    // Warm up (JIT, style caches), then measure.
    await measure(Array.from({ length: 40 }, (_, i) => 100 + i));
    const start = Math.floor(count / 2);
    const sequential = await measure(Array.from({ length: SAMPLES }, (_, i) => start + i));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const jumps = await measure(Array.from({ length: SAMPLES }, () => Math.floor(random() * count)));

    console.log(
      `  trace: ${trace.length.toLocaleString('en-US')} records of ${lesson.id} (${actors.toLocaleString('en-US')} actors, ${actorsPerRound} per round), ` +
        `${(jsonLines.length / 2 ** 20).toFixed(1)} MB of JSON lines, ${count.toLocaleString('en-US')} steps; read, checked and indexed in the page in ${loadMs} ms`,
    );
    for (const [name, ms] of [['step →', sequential], ['jump (scrubber)', jumps]] as const) {
      const s = stats(ms);
      console.log(`  ${name.padEnd(16)} median ${s.median.toFixed(2)} ms   p95 ${s.p95.toFixed(2)} ms   max ${s.max.toFixed(2)} ms   (${ms.length} steps)`);
    }
    const all = stats([...sequential, ...jumps]);
    const verdict = all.p95 < RENDER_TARGET_MS ? 'ok' : all.median < RENDER_TARGET_MS ? 'median ok, p95 OVER TARGET' : 'OVER TARGET';
    console.log(
      `ui-render: one step of a ${trace.length.toLocaleString('en-US')}-record trace renders in ${all.median.toFixed(2)} ms median, ${all.p95.toFixed(2)} ms p95 (target < ${RENDER_TARGET_MS} ms): ${verdict}`,
    );
  } finally {
    await browser.close();
    await server.close();
    await rm(dist, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bench(process.argv[2] === undefined ? RECORDS : Number(process.argv[2]));
}
