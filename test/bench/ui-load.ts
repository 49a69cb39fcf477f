/**
 * Initial load of the production lesson page, gzipped: index.html plus the
 * scripts and styles it loads before anything else (its <script> and
 * <link> tags and every chunk those scripts import statically). Chunks
 * loaded later with import() do not count. Target: at most 150 KB.
 *
 *   npx tsx test/bench/ui-load.ts
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildUi } from '../helpers/ui-page.ts';

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

export async function measureLoad(dist: string): Promise<{ files: { file: string; raw: number; gzip: number }[]; lazy: string[] }> {
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
  await visit(path.join(dist, 'index.html'));
  const all = (await readdir(path.join(dist, 'assets'))).map((f) => path.join(dist, 'assets', f));
  return {
    files: [...seen].map(([file, size]) => ({ file: path.relative(dist, file), ...size })),
    lazy: all.filter((f) => !seen.has(f)).map((f) => path.relative(dist, f)),
  };
}

export default async function bench(): Promise<void> {
  const dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-load-'));
  try {
    await buildUi(dist);
    const { files, lazy } = await measureLoad(dist);
    for (const f of files) console.log(`  ${f.file.padEnd(36)} ${(f.raw / 1024).toFixed(1).padStart(7)} KB raw ${(f.gzip / 1024).toFixed(1).padStart(7)} KB gzip`);
    if (lazy.length > 0) console.log(`  not loaded at first (lazy): ${lazy.join(', ')}`);
    const total = files.reduce((sum, f) => sum + f.gzip, 0) / 1024;
    const verdict = total <= LOAD_TARGET_KB ? 'ok' : 'OVER TARGET';
    console.log(`ui-load: initial load ${total.toFixed(1)} KB gzipped (target ≤ ${LOAD_TARGET_KB} KB): ${verdict}`);
  } finally {
    await rm(dist, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bench();
}
