/**
 * Initial load of the production pages, gzipped: a route's index.html plus
 * the scripts and styles it loads before anything else (its <script> and
 * <link> tags and every chunk those scripts import statically), for the
 * index and for every lesson's route. Target: at most 150 KB.
 *
 * The page then fetches small chunks with import(): every lesson's text (for
 * the index and the next-lesson link) and the open lesson's scripts. Those
 * are listed, and their sum is reported too, with what a lesson page loads
 * in all (measured in Chromium, when it is installed).
 *
 *   npx tsx test/bench/ui-load.ts
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { existsSync } from 'node:fs';
import { buildUi, CHROMIUM, launchBrowser, serveStatic } from '../helpers/ui-page.ts';

export const LOAD_TARGET_KB = 150;

/** URLs a page or module loads at once: <script src>, <link href> (stylesheet, modulepreload), static imports. */
function htmlReferences(html: string): string[] {
  const refs: string[] = [];
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) refs.push(m[1]!);
  for (const m of html.matchAll(/<link[^>]*>/g)) {
    const tag = m[0];
    if (!/rel="(stylesheet|modulepreload)"/.test(tag)) continue;
    const href = /href="([^"]+)"/.exec(tag);
    if (href) refs.push(href[1]!);
  }
  return refs;
}

function staticImports(js: string): string[] {
  const refs: string[] = [];
  // `import x from "./a.js"`, `import "./a.js"`, `export * from "./a.js"`; not `import("./a.js")`.
  for (const m of js.matchAll(/(?:^|[;}\n])\s*(?:import|export)\s*(?:[\w$*{},\s]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) refs.push(m[1]!);
  return refs;
}

export async function measureLoad(dist: string, entry = 'index.html'): Promise<{ files: { file: string; raw: number; gzip: number }[]; lazy: string[] }> {
  const seen = new Map<string, { raw: number; gzip: number }>();
  const visit = async (file: string) => {
    if (seen.has(file)) return;
    const body = await readFile(file);
    seen.set(file, { raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    const text = body.toString('utf8');
    const refs = file.endsWith('.html') ? htmlReferences(text) : file.endsWith('.js') ? staticImports(text) : [];
    for (const ref of refs) {
      if (/^(https?:|data:)/.test(ref)) continue;
      await visit(path.resolve(path.dirname(file), ref.split(/[?#]/)[0]!));
    }
  };
  await visit(path.join(dist, entry));
  const all = (await readdir(path.join(dist, 'assets'))).map((f) => path.join(dist, 'assets', f));
  return {
    files: [...seen].map(([file, size]) => ({ file: path.relative(dist, file), ...size })),
    lazy: all.filter((f) => !seen.has(f)).map((f) => path.relative(dist, f)),
  };
}

/** Everything a lesson page fetches in Chromium until it shows its run, gzipped: the initial load and the lazy chunks. */
async function measureInBrowser(dist: string, route: string): Promise<{ files: number; gzip: number } | null> {
  if (!existsSync(CHROMIUM)) return null;
  const server = await serveStatic(dist);
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const fetched = new Set<string>();
    page.on('response', (r) => fetched.add(new URL(r.url()).pathname));
    await page.goto(`${server.url}${route}`);
    await page.getByTestId('lesson-page').waitFor();
    let gzip = 0;
    for (const p of fetched) {
      const file = path.join(dist, decodeURIComponent(p).replace(/\/$/, '/index.html'));
      gzip += gzipSync(await readFile(file), { level: 9 }).length;
    }
    return { files: fetched.size, gzip };
  } finally {
    await browser.close();
    await server.close();
  }
}

export default async function bench(): Promise<void> {
  const dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-load-'));
  try {
    await buildUi(dist);
    const routes = ['index.html', ...(await readdir(path.join(dist, 'lessons'))).sort().map((id) => `lessons/${id}/index.html`)];
    let worst = 0;
    for (const route of routes) {
      const { files, lazy } = await measureLoad(dist, route);
      const total = files.reduce((sum, f) => sum + f.gzip, 0) / 1024;
      worst = Math.max(worst, total);
      console.log(`  ${route.padEnd(44)} initial load ${total.toFixed(1).padStart(6)} KB gzip (${files.length} files)`);
      if (route === 'index.html') {
        for (const f of files) console.log(`    ${f.file.padEnd(40)} ${(f.raw / 1024).toFixed(1).padStart(7)} KB raw ${(f.gzip / 1024).toFixed(1).padStart(7)} KB gzip`);
        const lazyGzip = await Promise.all(lazy.map(async (f) => gzipSync(await readFile(path.join(dist, f)), { level: 9 }).length));
        console.log(`    loaded later with import(): ${lazy.length} chunks, ${(lazyGzip.reduce((a, b) => a + b, 0) / 1024).toFixed(1)} KB gzip in all`);
      }
    }
    const first = routes[1];
    const inBrowser = first === undefined ? null : await measureInBrowser(dist, first.replace(/index\.html$/, ''));
    if (inBrowser !== null) {
      console.log(`  ${first} in Chromium: ${inBrowser.files} files fetched until the run shows, ${(inBrowser.gzip / 1024).toFixed(1)} KB gzip in all`);
    }
    const verdict = worst <= LOAD_TARGET_KB ? 'ok' : 'OVER TARGET';
    console.log(`ui-load: initial load at most ${worst.toFixed(1)} KB gzipped over ${routes.length} routes (target ≤ ${LOAD_TARGET_KB} KB): ${verdict}`);
  } finally {
    await rm(dist, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bench();
}
