/**
 * Time to render one step of a 10,000-record trace in Chromium: the
 * production page, a synthetic trace loaded through `window.__sockstep`,
 * and `__sockstep.measureStep(n)` timing (inside the page, with
 * performance.now()) from the step change to the rendered and laid-out
 * page. Median over many steps, in order (→) and at random (scrubbing).
 * Target: under 16 ms, one frame at 60 Hz.
 *
 *   npx tsx test/bench/ui-render.ts
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUi, CHROMIUM, launchBrowser, serveStatic } from '../helpers/ui-page.ts';
import { syntheticTrace } from './ui-synthetic-trace.ts';

export const RENDER_TARGET_MS = 16;
const RECORDS = 10_000;
const SAMPLES = 200;

function stats(ms: number[]): { median: number; p95: number; max: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1]! };
}

export default async function bench(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`ui-render: skipped, ${CHROMIUM} not found (Debian package 'chromium')`);
    return;
  }
  const dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-render-'));
  await buildUi(dist);
  const server = await serveStatic(dist);
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.getByTestId('lesson-page').waitFor();
    const records = syntheticTrace(RECORDS);
    const loadStart = Date.now();
    // As JSON text: the trace is plain JSON, and one string crosses into the page faster than 10,000 objects.
    await page.evaluate((json) => window.__sockstep!.loadTrace(JSON.parse(json)), JSON.stringify(records));
    const count = await page.evaluate(async () => {
      // Wait for the page to take the new trace.
      for (let i = 0; i < 100 && window.__sockstep!.count() < 1000; i++) await new Promise((r) => setTimeout(r, 20));
      return window.__sockstep!.count();
    });
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
    await measure(Array.from({ length: 30 }, (_, i) => 100 + i));
    const start = Math.floor(count / 2);
    const sequential = await measure(Array.from({ length: SAMPLES }, (_, i) => start + i));
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const jumps = await measure(Array.from({ length: SAMPLES }, () => Math.floor(random() * count)));

    console.log(`  trace: ${RECORDS} records, ${count} steps; loaded and indexed in ${loadMs} ms (with the transfer into the page)`);
    for (const [name, ms] of [['step →', sequential], ['jump (scrubber)', jumps]] as const) {
      const s = stats(ms);
      console.log(`  ${name.padEnd(16)} median ${s.median.toFixed(2)} ms   p95 ${s.p95.toFixed(2)} ms   max ${s.max.toFixed(2)} ms   (${ms.length} steps)`);
    }
    const median = stats([...sequential, ...jumps]).median;
    const verdict = median < RENDER_TARGET_MS ? 'ok' : 'OVER TARGET';
    console.log(`ui-render: one step of a ${RECORDS}-record trace renders in ${median.toFixed(2)} ms median (target < ${RENDER_TARGET_MS} ms): ${verdict}`);
  } finally {
    await browser.close();
    await server.close();
    await rm(dist, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bench();
}
