/**
 * The lesson page in a real browser: build it with Vite, serve it, open it
 * in Debian's Chromium, and step through lesson 1's simulated run.
 * Skipped without /usr/bin/chromium (Debian package `chromium`); with
 * REQUIRE_PEERS=1 a missing Chromium fails the run instead.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stateText } from '../ui/trace/sequence.ts';
import { buildSteps, microstepAt, recordAt, type StepModel } from '../ui/trace/steps.ts';
import { needTool } from './helpers/require-tool.ts';
import { buildUi, CHROMIUM, launchBrowser, ROOT, serveStatic, type Browser, type StaticServer } from './helpers/ui-page.ts';
import { greetingTrace, refusedClientTrace } from './ui-fixtures/traces.ts';

const SCREENSHOT = path.join(ROOT, 'test/artifacts/lesson-01.png');

needTool(CHROMIUM, 'chromium').describe('lesson 1 in Chromium', () => {
  let dist: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let model: StepModel;
  const errors: string[] = [];

  /** The client's state at a step (from 0), as the trace says. */
  const clientState = (step: number) => stateText(microstepAt(model, 'client1', step)?.state ?? '');
  const counter = () => page.getByTestId('step-counter').textContent();
  const stepInUrl = () => new URL(page.url()).searchParams.get('step');
  const caption = () => page.getByTestId('step-caption').textContent();
  const playLabel = () => page.getByTestId('step-play').getAttribute('aria-label');
  const speedMenu = () => page.getByLabel('Playback speed, steps per second');
  const open = async (search = '') => {
    await page.goto(`${server.url}${search}`);
    await page.getByTestId('lesson-page').waitFor();
  };

  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-'));
    await buildUi(dist);
    server = await serveStatic(dist);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    // The page runs the same simulation with the same seed: the trace it shows is this one.
    model = buildSteps(await greetingTrace(1));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dist !== undefined) await rm(dist, { recursive: true, force: true });
  });

  it('opens at the first step and writes it into the URL', async () => {
    await page.goto(server.url);
    await page.getByTestId('lesson-page').waitFor();
    expect(await counter()).toBe(`Step 1 of ${model.count}`);
    await expect.poll(stepInUrl).toBe('1');
    expect(await page.getByTestId('lesson-text').textContent()).toContain('The server');
    expect(await page.getByTestId('chart-server1').getAttribute('data-state')).toBe(stateText(microstepAt(model, 'server1', 0)?.state ?? ''));
  });

  it('steps to the end: client1 is done and the greeting is in the byte view', async () => {
    await page.keyboard.press('End');
    expect(await counter()).toBe(`Step ${model.count} of ${model.count}`);
    expect(await page.getByTestId('state-client1').textContent()).toBe('done');
    expect(await page.getByTestId('chart-client1').getAttribute('data-state')).toBe('done');
    expect(await page.getByTestId('byte-view').textContent()).toContain('You are connected');
    await expect.poll(stepInUrl).toBe(String(model.count));
    await expect.poll(() => page.getByTestId('step-forward').isDisabled()).toBe(true);
  });

  it('steps back once, then once more, showing the states of those steps', async () => {
    const last = model.count - 1;
    await page.getByTestId('step-back').click();
    expect(await counter()).toBe(`Step ${last} of ${model.count}`);
    expect(await page.getByTestId('chart-client1').getAttribute('data-state')).toBe(clientState(last - 1));
    await expect.poll(stepInUrl).toBe(String(last));
    await page.keyboard.press('ArrowLeft');
    expect(await counter()).toBe(`Step ${last - 1} of ${model.count}`);
    expect(await page.getByTestId('chart-client1').getAttribute('data-state')).toBe(clientState(last - 2));
    await page.keyboard.press('ArrowRight');
    expect(await counter()).toBe(`Step ${last} of ${model.count}`);
  });

  it('reopens the step named in the URL', async () => {
    const step = model.stepOfRecord[model.records.findIndex((r) => r.type === 'send')]!;
    await page.goto(`${server.url}?step=${step + 1}`);
    await page.getByTestId('lesson-page').waitFor();
    expect(await counter()).toBe(`Step ${step + 1} of ${model.count}`);
    await page.reload();
    await page.getByTestId('lesson-page').waitFor();
    expect(await counter()).toBe(`Step ${step + 1} of ${model.count}`);
    expect(await page.getByTestId('chart-server1').getAttribute('data-state')).toBe('sending');
    expect(await page.getByTestId('step-caption').textContent()).toContain('sends 17 bytes');
    // The line of server1.py that made the call is highlighted.
    const current = page.getByTestId('script-server1.py').locator('[aria-current="step"]');
    expect(await current.textContent()).toContain('conn.sendall(');
  });

  it('clamps a step past the end to the last one', async () => {
    await page.goto(`${server.url}?step=99999`);
    await page.getByTestId('lesson-page').waitFor();
    expect(await counter()).toBe(`Step ${model.count} of ${model.count}`);
  });

  it('plays to the end by itself', async () => {
    await page.goto(`${server.url}?step=${model.count - 3}`);
    await page.getByTestId('lesson-page').waitFor();
    await page.getByLabel('Playback speed, steps per second').selectOption('32');
    await page.getByTestId('step-play').click();
    await expect.poll(counter, { timeout: 5000 }).toBe(`Step ${model.count} of ${model.count}`);
    await expect.poll(() => page.getByTestId('step-play').getAttribute('aria-label')).toBe('Play');
  });

  it('captions an automatic step with its guard and draws that always edge bold', async () => {
    // Step 15: server1 leaves nextClient by itself, under noMoreClients; no event caused it.
    const step = model.records.findIndex((r) => r.type === 'microstep' && r.transitions[0]?.event === '');
    await open(`?step=${model.stepOfRecord[step]! + 1}`);
    expect(await counter()).toBe(`Step 15 of ${model.count}`);
    expect(await caption()).toContain('server1: automatically (always [noMoreClients]), nextClient → closingListener.');
    const taken = page.getByTestId('chart-server1').locator('[data-taken="true"]');
    expect(await taken.evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')))).toEqual(['always [noMoreClients]']);
    expect(await page.getByTestId('sequence').textContent()).toContain('always [noMoreClients] → closingListener');
  });

  it('shows a client that ends in its failed state as failed, in red, with what to try', async () => {
    await open();
    const records = await refusedClientTrace();
    await page.evaluate((json) => window.__sockstep!.loadTrace(JSON.parse(json)), JSON.stringify(records));
    await page.keyboard.press('End');
    const count = buildSteps(records).count;
    expect(await counter()).toBe(`Step ${count} of ${count}`);
    const outcome = page.getByTestId('outcome-client1');
    expect(await outcome.textContent()).toBe('failed ✗ ECONNREFUSED');
    expect(await outcome.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(185, 28, 28)'); // --error
    expect(await page.getByTestId('outcome-hint-client1').textContent()).toContain('Nothing is listening on that port');
    expect(await caption()).toContain('client1 has failed: Nothing is listening on that port.');
    const diagram = (await page.getByTestId('sequence').textContent()) ?? '';
    expect(diagram).toContain('failed ✗ ECONNREFUSED');
    expect(diagram + (await page.getByTestId('lesson-page').textContent())).not.toContain('finished');
  });

  it('steps with → after a speed was chosen, and → and ← pause playback', async () => {
    await open('?step=3');
    await speedMenu().focus();
    await speedMenu().selectOption('0.5');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await page.keyboard.press('ArrowRight');
    expect(await counter()).toBe(`Step 4 of ${model.count}`);
    expect(await speedMenu().inputValue()).toBe('0.5');
    // ↑ and ↓ still pick a speed.
    await page.keyboard.press('ArrowDown');
    expect(await speedMenu().inputValue()).toBe('1');
    expect(await counter()).toBe(`Step 4 of ${model.count}`);

    await page.getByTestId('step-play').click();
    expect(await playLabel()).toBe('Pause');
    await page.keyboard.press('ArrowRight');
    expect(await playLabel()).toBe('Play');
    const paused = await counter();
    await page.waitForTimeout(1300); // longer than one step at 1×: nothing moves once paused
    expect(await counter()).toBe(paused);

    await page.getByTestId('step-play').click();
    await page.keyboard.press('ArrowLeft');
    expect(await playLabel()).toBe('Play');
  });

  it('rewrites an unusable ?seed= to the seed it ran, and says so', async () => {
    await open('?seed=abc&step=2');
    expect(await counter()).toBe(`Step 2 of ${model.count}`);
    expect(new URL(page.url()).searchParams.get('seed')).toBe('1');
    expect(await page.getByTestId('page-notice').textContent()).toContain('“abc” is not a seed');
    await open('?seed=1');
    expect(await page.getByTestId('page-notice').count()).toBe(0);
  });

  it('saves a screenshot of the step where client1 receives the greeting', async () => {
    const step = model.stepOfRecord[model.records.findIndex((r) => r.type === 'recv')]!;
    expect(recordAt(model, step).type).toBe('recv');
    await page.goto(`${server.url}?step=${step + 1}`);
    await page.getByTestId('lesson-page').waitFor();
    await page.waitForTimeout(700); // let the script boxes finish scrolling to their lines
    await mkdir(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
  });
});
