/**
 * Saved traces in Chromium: opened with the file picker (playwright's
 * setInputFiles), by drag and drop, and by `sockstep view FILE` (a process
 * of its own, joining the test's app); every kind of bad file said in the
 * page and by `sockstep view` (not JSON lines, a truncated last line,
 * another version, records out of order, an empty file, a 1 GB file, which
 * is streamed: the time to its first step is printed); the address keeping
 * the file and the step; the app serving only the file it was handed, to
 * its own page; downloads as JSON lines and pcap; screenshots at 800 and
 * 1600 px.
 *
 * Skipped without /usr/bin/chromium (Debian package `chromium`); with
 * REQUIRE_PEERS=1 that is a failure.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessons } from '../../lessons/index.ts';
import { recordToJson, toJsonLines } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { startApp, type StartedApp } from '../../runtime/server/start-app.ts';
import { buildSteps } from '../../ui/trace/steps.ts';
import { needTool } from '../helpers/require-tool.ts';
import { buildUi, CHROMIUM, launchBrowser, type Browser } from '../helpers/ui-page.ts';
import { lessonTrace } from '../ui-fixtures/traces.ts';
import { screenshots, sockstep, type CliEnv } from './helpers.ts';

const GIB = 2 ** 30;

let env: CliEnv;
let dir: string;
let browser: Browser;
let page: Page;
let app: StartedApp;
const errors: string[] = [];
let records: TraceRecord[];
let text: string;
const files: Record<string, string> = {};

/** A trace of `bytes` bytes or a little more: the lesson's run repeated, seqs going on, written in pieces. */
function writeLargeTrace(file: string, bytes: number, source: readonly TraceRecord[]): number {
  const body = source.slice(1).map((r) => recordToJson(r).replace(/^\{"seq":\d+,/, ''));
  const fd = openSync(file, 'w');
  let written = 0;
  let seq = 0;
  let lines = 0;
  try {
    const header = recordToJson({ ...source[0]!, seq: seq++ } as TraceRecord) + '\n';
    written += writeSync(fd, header);
    while (written < bytes) {
      let piece = '';
      while (piece.length < 8 * 2 ** 20) {
        for (const line of body) piece += `{"seq":${seq++},${line}\n`;
        lines += body.length;
      }
      written += writeSync(fd, piece);
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}

const hooks = {
  count: () => page.evaluate(() => window.__sockstep?.count() ?? 0),
  first: () => page.evaluate(() => window.__sockstep!.live!.first()),
  firstStepMs: () => page.evaluate(() => window.__sockstep!.live!.firstStepMs!()),
};
const problem = () => page.getByTestId('trace-problem').textContent();
const counter = () => page.getByTestId('step-counter').textContent();

needTool(CHROMIUM, 'chromium').describe('saved traces in the page', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sockstep-traces-'));
    const dist = path.join(dir, 'dist');
    const runtimeDir = path.join(dir, 'run');
    await mkdir(runtimeDir, { mode: 0o700 });
    await buildUi(dist);
    env = { uiDir: dist, runtimeDir };
    app = await startApp({ distDir: dist, runtimeDir, port: 0 });
    browser = await launchBrowser({ width: 1280, height: 900 });
    page = await browser.context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    page.on('pageerror', (e) => errors.push(e.message));

    const lesson = lessons.find((l) => l.scenarios.some((s) => s.clients.length > 1)) ?? lessons[0]!;
    records = await lessonTrace(lesson);
    text = toJsonLines(records);
    const lines = text.trimEnd().split('\n');
    const swapped = [...lines];
    [swapped[20], swapped[21]] = [swapped[21]!, swapped[20]!];
    const kinds: Record<string, string> = {
      'run.jsonl': text,
      'notes.txt': 'These are my notes, not a trace.\nSecond line.\n',
      'cut.jsonl': text.slice(0, text.length - 30),
      'old.jsonl': '{"seq":0,"t":0,"type":"run","version":1,"transport":"sim"}\n{"seq":1,"t":0,"type":"listen"}\n',
      'order.jsonl': swapped.join('\n') + '\n',
      'empty.jsonl': '',
    };
    for (const [name, content] of Object.entries(kinds)) {
      files[name] = path.join(dir, name);
      await writeFile(files[name]!, content);
    }
    files['big.jsonl'] = path.join(dir, 'big.jsonl');
    writeLargeTrace(files['big.jsonl'], GIB, records);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const open = async (query = '') => {
    await page.goto(`${app.url}trace/${query}`);
    await page.getByTestId('trace-page').waitFor();
  };
  const pick = (name: string) => page.getByTestId('trace-file').setInputFiles(files[name]!);

  describe('picked in the page', () => {
    it('opens a trace, and steps through it', async () => {
      await open();
      expect(await page.getByTestId('drop-zone').textContent()).toContain('Drop a trace file here');
      await pick('run.jsonl');
      const count = buildSteps(records).count;
      await expect.poll(counter).toBe(`Step 1 of ${count}`);
      expect(await page.getByTestId('trace-info').textContent()).toContain(`${count} steps`);
      await page.keyboard.press('End');
      expect(await page.getByTestId('run-end-bar').textContent()).toContain('End of the run.');
      await screenshots(page, 'trace-file');
    });

    it('says what is wrong with each kind of bad file, shows what it could read, and is never blank', async () => {
      const total = buildSteps(records).count;
      await open();
      await pick('notes.txt');
      await expect.poll(problem).toBe('“notes.txt” cannot be shown: line 1 is not JSON: a trace file has one JSON record per line ("These are my notes, not a trace.").');
      expect(await page.getByTestId('step-counter').count()).toBe(0);

      await pick('cut.jsonl');
      await expect.poll(problem).toMatch(/^“cut\.jsonl” was cut short: the file ends part-way through line \d+ \(\d+ characters of a record\): the run was cut short while its trace was being written, and the rest was never written\. The \d+ steps before it are shown\.$/);
      expect(await counter()).toBe(`Step 1 of ${total - 1}`);

      await pick('old.jsonl');
      await expect.poll(problem).toBe(
        '“old.jsonl” cannot be shown: this trace is version 1; this Sockstep reads version 2. Record the run again with this version (sockstep run ... --trace FILE).',
      );

      await pick('order.jsonl');
      await expect.poll(problem).toMatch(/^Reading “order\.jsonl” stopped at line 22: line 22: records are out of order \(seq 20 comes after seq 21\); was the file edited or two traces joined\? The \d+ steps before it are shown\.$/);
      expect(await hooks.count()).toBeGreaterThan(5);

      await pick('empty.jsonl');
      await expect.poll(problem).toBe('“empty.jsonl” cannot be shown: the file is empty: a trace has at least its "run" header.');
      for (const p of await page.getByTestId('trace-problem').all()) expect(await p.getAttribute('role')).toBe('alert');
      expect(await page.getByTestId('trace-page').isVisible()).toBe(true);
      expect(errors).toEqual([]);
    });

    it('streams a 1 GB file: its first step at once, a window of steps held, read on as asked', async () => {
      await open();
      const start = Date.now();
      await pick('big.jsonl');
      await expect.poll(counter, { timeout: 20_000 }).toMatch(/^Step 1 of \d+/);
      const wall = Date.now() - start;
      const inPage = await hooks.firstStepMs();
      console.log(`1 GB trace file picked in the page: first step on screen after ${inPage?.toFixed(0)} ms (${wall} ms from setInputFiles)`);
      expect(inPage!).toBeLessThan(3000);
      expect(await page.getByTestId('large-file-note').textContent()).toContain('This file is 1.0 GB: the page reads it as you go, 50,000 steps at a time');
      // It stops once the window is full, having read a sliver of the file.
      await expect.poll(() => page.getByTestId('trace-info').textContent(), { timeout: 20_000 }).toMatch(/^1\.0 GB, \d% read; holding steps 1–50,000/);
      const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
      expect(heap).toBeLessThan(400 * 2 ** 20);
      await page.getByTestId('read-on').click();
      await expect.poll(hooks.first, { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('trace-info').textContent(), { timeout: 20_000 }).toMatch(/holding steps 20,001–70,000/);
      expect(await counter()).toBe('Step 20,001 of 70,000');
      await page.getByTestId('read-from-start').click();
      await expect.poll(counter, { timeout: 20_000 }).toMatch(/^Step 1 of /);
    }, 120_000);

    it('opens a file dropped on the page', async () => {
      await open();
      await page.evaluate((content) => {
        const data = new DataTransfer();
        data.items.add(new File([content], 'dropped.jsonl', { type: 'application/json' }));
        window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, cancelable: true }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, cancelable: true }));
      }, text);
      await expect.poll(() => page.locator('h1').textContent()).toBe('“dropped.jsonl”');
      expect(await counter()).toMatch(/^Step 1 of \d+$/);
    });

    it('keeps the step in the address, and asks for the file again after a reload', async () => {
      await open();
      await pick('run.jsonl');
      await expect.poll(counter).toMatch(/^Step 1 of/);
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      await expect.poll(() => new URL(page.url()).searchParams.get('step')).toBe('5');
      expect(new URL(page.url()).searchParams.get('name')).toBe('run.jsonl');
      await page.reload();
      await page.getByTestId('trace-page').waitFor();
      expect(await page.getByTestId('page-notice').textContent()).toBe(
        'Pick “run.jsonl” again to go back to step 5: after a reload, a browser does not let a page open a file by itself.',
      );
      await pick('run.jsonl');
      await expect.poll(counter).toMatch(/^Step 5 of/);
    });

    it('downloads the trace as JSON lines and as a pcap capture', async () => {
      await open();
      await pick('run.jsonl');
      await expect.poll(counter).toMatch(/^Step 1 of/);
      const [jsonl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-jsonl').click()]);
      expect(jsonl.suggestedFilename()).toBe('run.jsonl');
      expect(await readFile((await jsonl.path())!, 'utf8')).toBe(text);
      const [pcap] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-pcap').click()]);
      expect(pcap.suggestedFilename()).toBe('run.pcap');
      const bytes = await readFile((await pcap.path())!);
      // The classic pcap magic, little-endian, and Ethernet link type.
      expect([...bytes.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
      expect(bytes.readUInt32LE(20)).toBe(1);
      expect(await page.getByTestId('download-said').textContent()).toMatch(/^Saved run\.pcap: \d+ connections?, \d+ packets\./);
    });
  });

  describe('sockstep view', () => {
    it('hands the app that one file and opens the page on it; the address keeps the file and the step', async () => {
      const view = sockstep(['view', files['run.jsonl']!], env);
      expect(await view.exited).toBe(0);
      expect(view.stdout()).toMatch(/^.*run\.jsonl: a trace of \d+ records \(\d+\.\d KB\)$/m);
      // It joined the test's app (no second app), and printed the page's address.
      expect(view.stdout()).not.toMatch(/Sockstep app started/);
      const url = /^Open it: (http:\/\/\S+\/trace\/\?file=(f[0-9a-f]{32}))$/m.exec(view.stdout());
      expect(url).not.toBeNull();
      await page.goto(url![1]!);
      await expect.poll(counter).toMatch(/^Step 1 of/);
      expect(await page.locator('h1').textContent()).toBe('“run.jsonl”');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => new URL(page.url()).searchParams.get('step')).toBe('3');
      await page.reload();
      await expect.poll(counter).toMatch(/^Step 3 of/);

      // The app serves that file to its own page only: not without the token, nor by a path, nor a file a page names.
      const id = url![2]!;
      const bare = await fetch(`${app.url}api/files/${id}`);
      expect(bare.status).toBe(403);
      expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('bad_token');
      const fromPage = await page.evaluate(async () => {
        const token = document.querySelector<HTMLMetaElement>('meta[name="sockstep-token"]')!.content;
        const res = await fetch('/api/files', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sockstep-Token': token }, body: JSON.stringify({ path: '/etc/passwd' }) });
        return { status: res.status, body: await res.json() };
      });
      expect(fromPage.status).toBe(403);
      expect(fromPage.body.error.code).toBe('bad_origin');
      await page.goto(`${app.url}trace/?file=f${'0'.repeat(32)}`);
      await expect.poll(problem).toContain('The app has no such trace file: it was restarted since sockstep view handed it over. Run sockstep view FILE again.');
    });

    it('says what is wrong with a bad file: stops for one the page cannot show, warns and opens for one it can partly show', async () => {
      const run = async (name: string) => {
        const view = sockstep(['view', files[name]!], env);
        const code = await view.exited;
        return { code, out: view.stdout(), err: view.stderr() };
      };
      const notJson = await run('notes.txt');
      expect(notJson.code).toBe(1);
      expect(notJson.err).toBe(`sockstep: ${files['notes.txt']} cannot be shown: line 1 is not JSON: a trace file has one JSON record per line ("These are my notes, not a trace.")\n`);
      expect(notJson.out).toBe('');
      const old = await run('old.jsonl');
      expect(old.code).toBe(1);
      expect(old.err).toContain('cannot be shown: this trace is version 1; this Sockstep reads version 2.');
      const empty = await run('empty.jsonl');
      expect(empty.code).toBe(1);
      expect(empty.err).toContain('cannot be shown: the file is empty');

      const cut = await run('cut.jsonl');
      expect(cut.code).toBe(0);
      expect(cut.err).toMatch(/^sockstep: warning: .*cut\.jsonl: the file ends part-way through line \d+: the run was cut short while its trace was being written; the page shows the \d+ records before it\n$/);
      await page.goto(/Open it: (\S+)/.exec(cut.out)![1]!);
      await expect.poll(problem).toMatch(/was cut short/);
      expect(await counter()).toMatch(/^Step 1 of \d+$/);

      const order = await run('order.jsonl');
      expect(order.code).toBe(0);
      expect(order.err).toMatch(/warning: .*order\.jsonl: reading stops at line 22: line 22: records are out of order/);
      await page.goto(/Open it: (\S+)/.exec(order.out)![1]!);
      await expect.poll(problem).toMatch(/^Reading “order\.jsonl” stopped at line 22/);

      const missing = sockstep(['view', path.join(dir, 'no-such.jsonl')], env);
      expect(await missing.exited).toBe(1);
      expect(missing.stderr()).toContain('no-such.jsonl: there is no such file');
    });

    it('opens a 1 GB file at once: checked at its start and end, streamed by the page', async () => {
      const started = Date.now();
      const view = sockstep(['view', files['big.jsonl']!], env);
      expect(await view.exited).toBe(0);
      const cliMs = Date.now() - started;
      expect(view.stdout()).toMatch(/big\.jsonl: 1\.0 GB; its first [\d,]+ records and its last line look right\. The page reads it as you go, 50,000 steps at a time/);
      const begin = Date.now();
      await page.goto(/Open it: (\S+)/.exec(view.stdout())![1]!);
      await expect.poll(counter, { timeout: 20_000 }).toMatch(/^Step 1 of/);
      const inPage = await hooks.firstStepMs();
      console.log(`sockstep view of a 1 GB trace: the command took ${cliMs} ms; the page showed its first step ${inPage?.toFixed(0)} ms after opening it (${Date.now() - begin} ms from goto)`);
      expect(inPage!).toBeLessThan(3000);
    }, 60_000);
  });
});

/** The page at 800 and 1600 px, full length, into test/artifacts/. */
