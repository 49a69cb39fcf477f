/**
 * The page parts of lessons 4 and 5 in Chromium: the knobs re-run the
 * simulation at once and the trace changes (partial sends appear with a
 * small send buffer; the presets set every knob); each recv row of the
 * byte view says, and draws, which sends its bytes came from, and jumps to
 * them; the Files panel shows the truncated afile.txt beside somefile.txt
 * when the sender stalls, and the whole file with the size first. Saves
 * screenshots at 800 and 1600 px in test/artifacts/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOMEFILE } from '../lessons/05-end-of-the-file/lesson.ts';
import { buildUi, CHROMIUM, launchBrowser, ROOT, serveStatic, type Browser, type StaticServer } from './helpers/ui-page.ts';
import { needTool } from './helpers/require-tool.ts';

const FIRST_FOUR = SOMEFILE.split('\n').slice(0, 4).join('\n') + '\n';
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');

needTool(CHROMIUM, 'chromium').describe('knobs, byte sources and files in Chromium', () => {
  let dist: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  const count = () => page.evaluate(() => (window as unknown as { __sockstep: { count(): number } }).__sockstep.count());
  const setStep = (s: number) => page.evaluate((step) => (window as unknown as { __sockstep: { setStep(s: number): void } }).__sockstep.setStep(step), s);
  const open = async (query: string) => {
    await page.goto(`${server.url}${query}`);
    await page.getByTestId('lesson-page').waitFor();
  };
  /** Wait until the page shows a run made with the address's knobs. */
  const rerun = async (expectUrl: RegExp) => {
    await page.waitForURL(expectUrl);
    await page.getByTestId('lesson-page').waitFor();
  };
  /** A panel that scrolled into view, laid out (panels out of view are not: content-visibility). */
  const inView = async (testId: string) => {
    const panel = page.getByTestId(testId);
    await panel.scrollIntoViewIfNeeded();
    await page.waitForTimeout(100);
    await panel.scrollIntoViewIfNeeded();
    return panel;
  };

  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-knobs-'));
    await buildUi(dist);
    server = await serveStatic(dist);
    browser = await launchBrowser({ width: 1600, height: 1000 });
    page = await browser.context.newPage();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dist !== undefined) await rm(dist, { recursive: true, force: true });
  });

  describe('lesson 4: the knobs', () => {
    it('offers the knobs its scenario names, each saying what it models and what it is set to now', async () => {
      await open('lessons/04-the-stream/');
      const knobs = page.getByTestId('knob');
      expect(await knobs.count()).toBe(6);
      for (const [id, words] of [
        ['sendBuffer', /send\(\) copies what fits/],
        ['receiveBuffer', /the window it offers/],
        ['segment', /cuts bytes into packets/],
        ['delay', /How long a packet takes/],
        ['jitter', /varies/],
        ['readDelay', /two sends read as one/],
      ] as const) {
        const knob = page.locator(`[data-knob="${id}"]`);
        expect(await knob.textContent()).toMatch(words);
      }
      expect(await page.locator('[data-knob="sendBuffer"] select').inputValue()).toBe('');
      expect(await page.locator('[data-knob="sendBuffer"] option').first().textContent()).toBe('4 MiB (the scenario’s)');
    });

    it('a smaller send buffer re-runs at once: the trace changes and send() takes part of the long line', async () => {
      await open('lessons/04-the-stream/?seed=1');
      const before = await count();
      const partialBefore = await page.getByTestId('byte-row').filter({ hasText: 'offered' }).count();
      expect(partialBefore).toBe(0);
      await page.locator('[data-knob="sendBuffer"] select').selectOption('32');
      await rerun(/sendBuffer=32/);
      await page.waitForFunction((n) => (window as unknown as { __sockstep: { count(): number } }).__sockstep.count() !== n, before);
      const after = await count();
      expect(after).toBeGreaterThan(before);
      // At the last step the byte view shows the newest rows; a partial send somewhere says "of N offered".
      let partial = 0;
      for (let s = 0; s < after && partial === 0; s += 7) {
        await setStep(s);
        partial = await page.getByTestId('byte-row').filter({ hasText: /of \d+ offered/ }).count();
      }
      expect(partial).toBeGreaterThan(0);
      expect(await page.locator('[data-knob="sendBuffer"] select').inputValue()).toBe('32');
    });

    it('the presets set every knob; the scenario\'s own takes them all back; each changes the run', async () => {
      await open('lessons/04-the-stream/?seed=2');
      const own = await count();
      await page.locator('[data-preset="hard"]').click();
      await rerun(/sendBuffer=32&receiveBuffer=64&segment=8&delay=1&jitter=5&readDelay=5/);
      expect(await page.locator('[data-preset="hard"]').getAttribute('aria-pressed')).toBe('true');
      const hard = await count();
      expect(hard).toBeGreaterThan(own * 3);
      await page.locator('[data-preset="linux"]').click();
      await rerun(/sendBuffer=4194304&receiveBuffer=131072&segment=65483&delay=1&jitter=1&readDelay=0/);
      expect(await page.locator('[data-preset="linux"]').getAttribute('aria-pressed')).toBe('true');
      expect(await count()).toBeLessThan(hard);
      await page.locator('[data-preset="reset"]').click();
      await page.waitForURL((url) => !url.search.includes('sendBuffer'));
      await page.getByTestId('lesson-page').waitFor();
      expect(await count()).toBe(own);
    });
  });

  describe('lesson 4: where a recv\'s bytes came from', () => {
    it('a recv row names the sends it read, draws a line from each, and jumps to one', async () => {
      await open('lessons/04-the-stream/?seed=1');
      // The step of the first recv: with seed 1 it reads "Hello, " and "world!\n" and more, at once.
      const first = await page.evaluate(() => {
        const hooks = (window as unknown as { __sockstep: { count(): number; setStep(s: number): void } }).__sockstep;
        return hooks.count();
      });
      let found = -1;
      for (let s = 0; s < first && found < 0; s++) {
        await setStep(s);
        if ((await page.getByTestId('byte-sources').count()) > 0) found = s;
      }
      expect(found).toBeGreaterThan(0);
      await inView('byte-view');
      const sources = page.getByTestId('byte-sources').first();
      expect(await sources.textContent()).toMatch(/^from 3 sends of server4, at/);
      const buttons = sources.getByTestId('byte-source');
      expect(await buttons.count()).toBe(3);
      expect(await buttons.nth(0).textContent()).toBe('step 14 (all 7, bytes 0–6 here)');
      expect(await buttons.nth(1).textContent()).toBe('step 18 (all 7, bytes 7–13 here)');
      // A line from each of the three send rows (all shown) to the recv row, strong: it is the current step.
      const links = page.getByTestId('byte-link');
      expect(await links.count()).toBe(3);
      const current = await page.locator('[data-testid="byte-link"][class*="current"]').count();
      expect(current).toBe(3);
      await buttons.nth(1).click();
      await page.waitForFunction(() => (window as unknown as { __sockstep: { step(): number } }).__sockstep.step() === 17);
    });
  });

  describe('lesson 5: the files', () => {
    it('a stall of 2.5 s: afile.txt holds four lines beside the whole somefile.txt, and the page says so', async () => {
      await open('lessons/05-end-of-the-file/?seed=1&scenario=timeout');
      expect(await page.getByTestId('knob').count()).toBe(1);
      await page.locator('[data-knob="stall"] select').selectOption('2500');
      await rerun(/stall=2500/);
      await setStep((await count()) - 1);
      const panel = await inView('files-panel');
      const afile = panel.locator('[data-testid="folder"][data-program="client2a"] [data-path="afile.txt"]');
      expect(await afile.getAttribute('data-state')).toBe('written');
      expect(Number(await afile.getAttribute('data-size'))).toBe(FIRST_FOUR.length);
      expect(await afile.getByTestId('file-content').textContent()).toBe(FIRST_FOUR);
      const somefile = panel.locator('[data-testid="folder"][data-program="server2a"] [data-path="somefile.txt"]');
      expect(await somefile.getByTestId('file-content').textContent()).toBe(SOMEFILE);
      const comparison = panel.getByTestId('file-comparison');
      expect(await comparison.getAttribute('data-kind')).toBe('prefix');
      expect(await comparison.textContent()).toBe(`afile.txt holds only the first ${FIRST_FOUR.length} bytes of server2a's somefile.txt (521 bytes): the rest never made it into the file.`);
    });

    it('with the same stall, the size first gets the whole file; the knob stays on across scenarios', async () => {
      await page.getByTestId('scenario-switch').locator('[data-scenario="size"]').click();
      await rerun(/scenario=size.*stall=2500|stall=2500.*scenario=size/);
      expect(await page.locator('[data-knob="stall"] select').inputValue()).toBe('2500');
      await setStep((await count()) - 1);
      const panel = await inView('files-panel');
      expect(await panel.getByTestId('file-comparison').getAttribute('data-kind')).toBe('same');
      expect(await panel.locator('[data-path="afile.txt"]').getAttribute('data-size')).toBe('521');
    });

    it('no such file: the client writes nothing, so its folder shows no file', async () => {
      await open('lessons/05-end-of-the-file/?seed=1&scenario=missing');
      expect(await page.getByTestId('knobs-panel').count()).toBe(0);
      await setStep((await count()) - 1);
      expect(await page.locator('[data-testid="folder"][data-program="client2a"]').count()).toBe(0);
      expect(await page.getByTestId('output-panel').textContent()).toContain('The server answered "-ERR no such file: somefile.txt", so afile.txt was not written.');
    });
  });

  it('saves screenshots at 800 and 1600 px of the knobs, the byte sources and the files', async () => {
    for (const width of [800, 1600]) {
      await page.setViewportSize({ width, height: 1000 });
      await open('lessons/04-the-stream/?seed=1&sendBuffer=32&receiveBuffer=64&segment=8&delay=1&jitter=5&readDelay=5');
      await (await inView('knobs-panel')).screenshot({ path: path.join(ARTIFACTS, `04-knobs-${width}.png`) });
      await setStep(300);
      await (await inView('byte-view')).screenshot({ path: path.join(ARTIFACTS, `04-byte-sources-${width}.png`) });
      await open('lessons/05-end-of-the-file/?seed=1&scenario=timeout&stall=2500');
      await setStep((await count()) - 1);
      await (await inView('files-panel')).screenshot({ path: path.join(ARTIFACTS, `05-files-${width}.png`) });
    }
    expect(errors).toEqual([]);
  });
});
