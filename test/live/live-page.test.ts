/**
 * Live runs in Chromium: `sockstep run server1 --port 0 --inspect` (a
 * process of its own, which starts the app on a free port) followed by the
 * page while Python's client1.py talks to it; a reload and a dropped
 * connection in the middle losing and repeating nothing (the page's seqs
 * against the run's --trace file); stopping the run from the page stops the
 * process's machine; a machine started and stopped from the page's form,
 * with a client from the command line joining that app, both runs drawn
 * together; errors of the form in plain words; following, holding and
 * jumping back to live; screenshots at 800 and 1600 px.
 *
 * Skipped without /usr/bin/chromium or python3 (Debian packages `chromium`,
 * `python3`); with REQUIRE_PEERS=1 that is a failure.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonLines } from '../../runtime/trace/json.ts';
import { startApp, type StartedApp } from '../../runtime/server/start-app.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { needTool } from '../helpers/require-tool.ts';
import { buildUi, CHROMIUM, launchBrowser, ROOT, type Browser } from '../helpers/ui-page.ts';
import { talk } from '../server/app-helpers.ts';
import { start } from '../helpers/processes.ts';
import { python, screenshots, scriptOf, sockstep, type CliEnv } from './helpers.ts';

const chromium = needTool(CHROMIUM, 'chromium');
const python3 = needTool('python3', 'python3');

let env: CliEnv;
let browser: Browser;
let page: Page;
const errors: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

const hooks = {
  count: () => page.evaluate(() => window.__sockstep?.count() ?? 0),
  step: () => page.evaluate(() => window.__sockstep!.step()),
  seqs: () => page.evaluate(() => window.__sockstep!.live!.seqs()),
  following: () => page.evaluate(() => window.__sockstep!.live!.following()),
};

/** Wait for the page's step count to reach `n`. */
async function countAtLeast(n: number, timeout = 15_000): Promise<number> {
  await expect.poll(hooks.count, { timeout }).toBeGreaterThanOrEqual(n);
  return hooks.count();
}

async function seqsOfFile(file: string): Promise<number[]> {
  return parseJsonLines(await readFile(file, 'utf8')).map((r) => r.seq);
}

chromium.describe('live runs in the page', () => {
  beforeAll(async () => {
    const dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-live-ui-'));
    const runtimeDir = await mkdtemp(path.join(os.tmpdir(), 'sockstep-live-rt-'));
    await buildUi(dist);
    env = { uiDir: dist, runtimeDir };
    browser = await launchBrowser({ width: 1280, height: 900 });
    page = await browser.context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    page.on('pageerror', (e) => errors.push(e.message));
  }, 120_000);

  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  afterAll(async () => {
    await browser?.close();
    if (env !== undefined) {
      await rm(env.uiDir, { recursive: true, force: true });
      await rm(env.runtimeDir, { recursive: true, force: true });
    }
  });

  python3.describe('sockstep run server1 --inspect', () => {
    it('follows the run as client1.py connects, loses and repeats nothing across a reload and a dropped connection, and stops it from the page', async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'sockstep-live-trace-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const traceFile = path.join(dir, 'server1.jsonl');
      const cli = sockstep(['run', 'server1', '--port', '0', '--inspect', '--app-port', '0', '--trace', traceFile], env);
      cleanups.push(() => cli.stop('SIGKILL'));
      const [, app] = await cli.waitFor(/^Sockstep app started at (http:\/\/127\.0\.0\.1:\d+\/) /m);
      const [, url] = await cli.waitFor(/^Watch server1 live: (http:\/\/\S+\/live\/\?run=(r[0-9a-f]+))$/m);
      const [, port] = await cli.waitFor(/^server1 is listening on 127\.0\.0\.1 port (\d+);/m);
      expect(url!.startsWith(app!)).toBe(true);
      // SOCKSTEP_NO_OPEN=1: no browser was opened, the address is printed.
      expect(cli.stdout()).not.toMatch(/Opened it in your browser/);

      await page.goto(url!);
      await page.getByTestId('live-page').waitFor();
      const before = await countAtLeast(3);
      expect(await page.getByTestId('follow-state').textContent()).toContain('Live: following the newest step');

      const client1 = scriptOf('client1');
      const first = await python(client1, ['--port', port!]);
      expect(first.stdout).toBe('You are connected\n');
      // The page's step count grows as the run goes on, and it follows the newest step.
      const after = await countAtLeast(before + 8);
      expect(await hooks.step()).toBe(after - 1);
      await expect.poll(() => page.getByTestId('sequence').textContent()).toContain('send 17 bytes');
      await expect.poll(() => page.getByTestId('byte-view').textContent()).toContain('You are connecte');
      await expect.poll(() => page.getByTestId('output-server1').textContent()).toContain('client connected from 127.0.0.1');

      // A reload in the middle: the page reads the run again from its first record, nothing lost, nothing twice.
      await page.reload();
      await page.getByTestId('live-page').waitFor();
      await python(client1, ['--port', port!]);
      await expect.poll(async () => (await hooks.seqs()).at(-1), { timeout: 15_000 }).toBe((await seqsOfFile(traceFile)).at(-1));
      expect(await hooks.seqs()).toEqual(await seqsOfFile(traceFile));

      // A dropped connection: the stream opens again from the last record it had.
      await page.evaluate(() => window.__sockstep!.live!.reconnect!());
      await python(client1, ['--port', port!]);
      await expect.poll(async () => (await hooks.seqs()).at(-1), { timeout: 15_000 }).toBe((await seqsOfFile(traceFile)).at(-1));
      const seqs = await hooks.seqs();
      expect(seqs).toEqual(await seqsOfFile(traceFile));
      expect(new Set(seqs).size).toBe(seqs.length);

      // Stop it from the page: the process's machine stops and closes every socket.
      const runId = new URL(url!).searchParams.get('run')!;
      await page.getByTestId(`stop-${runId}`).click();
      // The app is the process's own: it keeps serving the page until Ctrl-C.
      await cli.waitFor(/The run has ended; its page stays at http:\/\/\S+ until you stop this command \(Ctrl-C\)\./m);
      expect(await talk(Number(port))).toEqual({ ok: false, code: 'ECONNREFUSED' });
      await expect.poll(() => page.getByTestId('follow-state').textContent()).toContain('The run has ended');
      expect(await page.getByTestId('run-end-bar').textContent()).toContain('stopped from the page');
      expect(await cli.stop('SIGINT')).toBe(0);
      expect(cli.stdout()).toMatch(/server1 was stopped from the page; every socket is closed\n$/);
      // The whole trace is in the file, the page's stop in it too.
      const trace = parseJsonLines(await readFile(traceFile, 'utf8'));
      expect(trace.filter((r) => r.type === 'accept')).toHaveLength(3);
      expect(errors).toEqual([]);
    }, 90_000);
  });

  python3.describe('sockstep tap --inspect', () => {
    it('shows your own client and server through the tap, two lanes of one run', async () => {
      const server = start('python3', [scriptOf('server1'), '--host', '127.0.0.1', '--port', '0']);
      cleanups.push(() => server.stop('SIGKILL'));
      const [, serverPort] = await server.waitFor(/listening on 127\.0\.0\.1 port (\d+)/);
      const tap = sockstep(['tap', '--listen', '0', '--to', `127.0.0.1:${serverPort}`, '--chunk', '5', '--inspect', '--app-port', '0'], env);
      cleanups.push(() => tap.stop('SIGKILL'));
      const [, url] = await tap.waitFor(/^Watch the tap live: (http:\/\/\S+\/live\/\?run=r[0-9a-f]+)$/m);
      const [, tapPort] = await tap.waitFor(/^tap listening on 127\.0\.0\.1 port (\d+),/m);
      await page.goto(url!);
      await page.getByTestId('live-page').waitFor();
      const client = await python(scriptOf('client1'), ['--port', tapPort!]);
      expect(client.stdout).toBe('You are connected\n');
      await expect.poll(() => page.locator('[data-testid="sequence"] [data-lane]').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-lane')))).toEqual(['server', 'client']);
      await page.keyboard.press('End');
      await expect.poll(() => page.getByTestId('no-chart-outside').textContent()).toContain('a program outside Sockstep, seen through the tap');
      // The tap's pieces (--chunk 5) are in the trace, on the connection's line.
      const text = await page.evaluate(async () => {
        const out: string[] = [];
        for (let s = 0; s < window.__sockstep!.count(); s++) {
          await window.__sockstep!.measureStep(s);
          out.push(document.querySelector('[data-testid="step-caption"]')!.textContent ?? '');
        }
        return out.join('\n');
      });
      expect(text).toContain('--chunk');
      expect(await tap.stop('SIGINT')).toBe(0);
      expect(tap.stdout()).toMatch(/tap: every socket is closed \(1 connection relayed\)\n$/);
      await expect.poll(() => page.getByTestId('follow-state').textContent()).toContain('The run has ended');
    }, 60_000);
  });

  python3.describe('an app already running', () => {
    let app: StartedApp;
    beforeAll(async () => {
      // The app sockstep commands find: its file is in the tests' runtime folder.
      app = await startApp({ distDir: env.uiDir, runtimeDir: env.runtimeDir, port: 0 });
    });
    afterAll(async () => app?.close());

    it('starts a server from the form, draws a command-line client that joins the app beside it, and stops the server from the page', async () => {
      await page.goto(`${app.url}live/`);
      await page.getByTestId('start-form').waitFor();
      await page.getByTestId('start-machine').selectOption('server1');
      await page.getByTestId('start-option-port').fill('0');
      await page.getByTestId('start-run').click();
      // Started: the page shows it, and the list says where it listens.
      await expect.poll(() => new URL(page.url()).searchParams.getAll('run').length).toBe(1);
      const serverRun = new URL(page.url()).searchParams.get('run')!;
      const status = page.getByTestId(`status-${serverRun}`);
      await expect.poll(() => status.textContent()).toMatch(/running, listening on 127\.0\.0\.1:\d+/);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec((await status.textContent())!)![1]);
      await countAtLeast(3);

      // A client from the command line, with --inspect: it joins this app (no second app is started).
      const cli = sockstep(['run', 'client1', '--port', String(port), '--inspect'], env);
      cleanups.push(() => cli.stop('SIGKILL'));
      const [, clientUrl] = await cli.waitFor(/^Watch client1 live: (http:\/\/\S+)$/m);
      expect(clientUrl!.startsWith(app.url)).toBe(true);
      expect(cli.stdout()).not.toMatch(/Sockstep app started/);
      expect(await cli.exited).toBe(0);
      expect(cli.stdout()).toMatch(/client1: You are connected/);
      const clientRun = new URL(clientUrl!).searchParams.get('run')!;

      // Tick it too: both runs drawn together, a lane each, one connection between them.
      await page.getByTestId(`show-${clientRun}`).check();
      await expect.poll(() => new URL(page.url()).searchParams.getAll('run')).toEqual([serverRun, clientRun]);
      await expect.poll(() => page.locator('[data-testid="sequence"] [data-lane]').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-lane')))).toEqual(['server1', 'client1']);
      await page.keyboard.press('End');
      const conns = await page.evaluate(() => [...document.querySelectorAll('[data-testid="sequence"] [data-conn]')].map((c) => c.getAttribute('data-conn')));
      expect(new Set(conns).size).toBe(1);
      // The client's recv reads the bytes the server sent, on one line: the whole conversation.
      const text = await page.getByTestId('sequence').textContent();
      expect(text).toContain('send 17 bytes');
      expect(await page.getByTestId(`run-${clientRun}`).textContent()).toContain('lanes: client1');

      // A second client from the command line: three runs side by side, each its own lane group, titled as the list titles it.
      const cli2 = sockstep(['run', 'client1', '--port', String(port), '--inspect'], env);
      cleanups.push(() => cli2.stop('SIGKILL'));
      const [, client2Url] = await cli2.waitFor(/^Watch client1 live: (http:\/\/\S+)$/m);
      expect(await cli2.exited).toBe(0);
      const client2Run = new URL(client2Url!).searchParams.get('run')!;
      await page.getByTestId(`show-${client2Run}`).check();
      await expect.poll(() => page.locator('[data-testid="sequence"] [data-lane]').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-lane')))).toEqual(['server1', 'client1', 'client1#2']);
      const runTitles = await Promise.all([serverRun, clientRun, client2Run].map((id) => app.app.runs.get(id)!.summary().title));
      const sequence = await page.getByTestId('sequence').textContent();
      for (const title of runTitles) expect(sequence).toContain(title);
      await page.keyboard.press('End');
      await screenshots(page, 'live-two-runs');

      // Stop the server from the page: its port is free again.
      await page.getByTestId(`stop-${serverRun}`).click();
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/ended: stopped/);
      expect(await talk(port)).toEqual({ ok: false, code: 'ECONNREFUSED' });
      expect(app.app.runs.get(serverRun)?.status).toBe('ended');
      expect(errors).toEqual([]);
    }, 60_000);

    it('says in plain words why a machine cannot start, next to the field', async () => {
      const busy: Server = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise((resolve) => busy.close(resolve)));
      const taken = (busy.address() as { port: number }).port;
      await page.goto(`${app.url}live/`);
      await page.getByTestId('start-machine').selectOption('server1');
      await page.getByTestId('start-option-port').fill(String(taken));
      await page.getByTestId('start-run').click();
      const problem = page.getByTestId('start-problem');
      await expect.poll(() => problem.textContent()).toBe(`server1 could not start: Port ${taken} is in use by another program (or another run); choose another port, or 0 for any free one.`);
      expect(await problem.getAttribute('role')).toBe('alert');
      expect(await page.getByTestId('start-option-port').getAttribute('aria-invalid')).toBe('true');
      // Only loopback, unless the app allows more.
      await page.getByTestId('start-machine').selectOption('client1');
      await page.getByTestId('start-option-host').fill('192.0.2.1');
      await page.getByTestId('start-run').click();
      await expect.poll(() => problem.textContent()).toMatch(/^client1 could not start: .*192\.0\.2\.1.*/);
      expect(await page.getByTestId('start-option-host').getAttribute('aria-invalid')).toBe('true');
      // Nothing was started by either.
      expect(app.app.runs.list().filter((r) => r.status === 'running')).toEqual([]);
      await screenshots(page, 'live-start-form');
    });

    it('picks up after a dropped connection where it left off: EventSource sends Last-Event-ID, nothing lost or repeated', async () => {
      const { greetingTrace } = await import('../ui-fixtures/traces.ts');
      const { repeatTrace } = await import('../bench/ui-synthetic-trace.ts');
      const source = repeatTrace(await greetingTrace(), 600).slice(1);
      const trace = new Trace({ transport: 'tcp', clock: () => performance.now() });
      const run = app.app.runs.create({ kind: 'external', title: 'a run whose connection drops' }, async (end) => run.finish(end));
      run.attachTrace(trace);
      const feed = (from: number, to: number) => {
        for (const r of source.slice(from, to)) {
          const { seq: _seq, t: _t, ...rest } = r as unknown as Record<string, unknown>;
          trace.add(rest as never);
        }
      };
      feed(0, 200);
      await page.goto(`${app.url}live/?run=${run.id}`);
      await expect.poll(async () => (await hooks.seqs()).at(-1)).toBe(200);
      // The app drops every connection (the page's stream among them); the run goes on meanwhile.
      app.server.closeAllConnections();
      feed(200, 400);
      await expect.poll(() => page.getByTestId('stream-note').textContent()).toContain('dropped; the page is reconnecting');
      // EventSource reconnects by itself (after the app's `retry:`), from the last record it had.
      await expect.poll(async () => (await hooks.seqs()).at(-1), { timeout: 10_000 }).toBe(400);
      const seqs = await hooks.seqs();
      expect(seqs).toEqual(Array.from({ length: 401 }, (_, i) => i));
      expect(await page.getByTestId('stream-note').count()).toBe(0);
      run.finish({ reason: 'finished' });
    });

    it('follows the newest step, holds a step the learner goes back to while the run goes on, and jumps back to live', async () => {
      const { lessonTrace } = await import('../ui-fixtures/traces.ts');
      const { lessons } = await import('../../lessons/index.ts');
      const { repeatTrace } = await import('../bench/ui-synthetic-trace.ts');
      const source = repeatTrace(await lessonTrace(lessons[0]!), 400).slice(1);
      const trace = new Trace({ transport: 'tcp', clock: () => performance.now() });
      const run = app.app.runs.create({ kind: 'external', title: 'a run that goes on' }, async (end) => run.finish(end));
      run.attachTrace(trace);
      const feed = (from: number, to: number) => {
        for (const r of source.slice(from, to)) {
          const { seq: _seq, t: _t, ...rest } = r as unknown as Record<string, unknown>;
          trace.add(rest as never);
        }
      };
      feed(0, 60);
      await page.goto(`${app.url}live/?run=${run.id}`);
      const n = await countAtLeast(40);
      expect(await hooks.step()).toBe(n - 1);
      expect(await hooks.following()).toBe(true);

      // Back three steps: held there while records keep coming.
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
      const held = await hooks.step();
      expect(held).toBe(n - 4);
      expect(await hooks.following()).toBe(false);
      feed(60, 200);
      const grown = await countAtLeast(n + 80);
      expect(await hooks.step()).toBe(held);
      await expect.poll(() => page.getByTestId('steps-behind').textContent()).toBe(`${(grown - 1 - held).toLocaleString('en-US')} steps behind`);
      expect(await page.getByTestId('step-counter').textContent()).toBe(`Step ${held + 1} of ${grown}`);
      await screenshots(page, 'live-held');

      // Jump to live: the newest step, and following again as more comes.
      await page.getByTestId('jump-to-live').click();
      expect(await hooks.step()).toBe((await hooks.count()) - 1);
      feed(200, 300);
      await countAtLeast(grown + 60);
      await expect.poll(async () => (await hooks.step()) === (await hooks.count()) - 1).toBe(true);
      expect(await page.getByTestId('follow-state').textContent()).toContain('following the newest step');
      expect(await page.getByTestId('jump-to-live').count()).toBe(0);
      // End at the last step: following again (as → to the newest step does).
      await page.keyboard.press('ArrowLeft');
      expect(await hooks.following()).toBe(false);
      await page.keyboard.press('End');
      expect(await hooks.following()).toBe(true);
      run.finish({ reason: 'finished' });
      await expect.poll(() => page.getByTestId('follow-state').textContent()).toContain('The run has ended');
    });
  });

  // `UPDATE_DOCS=1 npx vitest run test/live/live-page.test.ts` refreshes the README's picture of a live run.
  it.runIf(process.env.UPDATE_DOCS === '1' && python3.missing === null)('refreshes docs/live-run.png: lesson 3’s server followed live while three Python clients talk to it', async () => {
    const cli = sockstep(['run', 'server2', '--port', '0', '--inspect', '--app-port', '0'], env);
    cleanups.push(() => cli.stop('SIGKILL'));
    const [, url] = await cli.waitFor(/^Watch server2 live: (http:\/\/\S+)$/m);
    const [, port] = await cli.waitFor(/^server2 is listening on 127\.0\.0\.1 port (\d+);/m);
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.goto(url!);
    await page.getByTestId('live-page').waitFor();
    const clients = [0, 1, 2].map(() => python(scriptOf('client2'), ['--port', port!, '--pause', '1']));
    // Mid-run: all three sessions connected, their first commands on the wire.
    await expect.poll(() => page.getByTestId('sequence').textContent(), { timeout: 15_000 }).toContain('recv 5 bytes');
    await page.waitForTimeout(200);
    // The step bar stays at the top: scroll the sequence diagram up under it.
    await page.evaluate(() => {
      const bar = document.querySelector<HTMLElement>('[data-testid="follow-bar"]')!.closest('div[class]')!.parentElement!;
      const sequence = document.getElementById('sequence-heading')!.closest('section')!;
      window.scrollTo(0, sequence.getBoundingClientRect().top + window.scrollY - bar.getBoundingClientRect().height - 24);
    });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ROOT, 'docs', 'live-run.png') });
    await Promise.all(clients);
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);

  it('says how to start the app when the page is not served by it', async () => {
    const { serveStatic } = await import('../helpers/ui-page.ts');
    const plain = await serveStatic(env.uiDir);
    cleanups.push(() => plain.close());
    await page.goto(`${plain.url}live/`);
    expect(await page.getByTestId('live-no-app').textContent()).toContain('npx sockstep start');
  });
});

/** The page at 800 and 1600 px, full length, into test/artifacts/. */
