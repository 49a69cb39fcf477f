/**
 * The lesson pages in a real browser: build them with Vite, serve the build
 * from a subfolder with a plain static server (and with our Express app),
 * open every lesson of the registry in Debian's Chromium, and check what a
 * learner must see: every step's caption and Python line (in view, and the
 * line of the call), labels that do not overlap, charts at one scale, hex
 * rows of 16 bytes beside their text, the outline and the live caption, the
 * lesson text's scroll hint, the program output and the end of the run,
 * scenarios, links and the back button, and trace files that cannot be read.
 * Screenshots at 800 and 1600 px go to test/artifacts/.
 *
 * Skipped without /usr/bin/chromium (Debian package `chromium`); with
 * REQUIRE_PEERS=1 a missing Chromium fails the run instead.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessons } from '../lessons/index.ts';
import type { LessonDefinition } from '../lessons/lesson-types.ts';
import { toJsonLines } from '../runtime/trace/json.ts';
import type { TraceRecord } from '../runtime/trace/records.ts';
import { buildChartLayouts } from '../tools/vite-chart-layouts.ts';
import { CHART_FONT, MIN_CHART_SCALE, type ChartLayouts } from '../ui/charts/chart-layout.ts';
import { scriptPath } from '../ui/lib/catalog.ts';
import { lessonListing } from '../lessons/front-matter.ts';
import { lineTable } from '../ui/lib/script-lines.ts';
import { captionAt } from '../ui/trace/step-context.ts';
import { buildSteps, recordAt, type StepModel } from '../ui/trace/steps.ts';
import { needTool } from './helpers/require-tool.ts';
import { buildUi, CHROMIUM, launchBrowser, ROOT, serveStatic, type Browser, type StaticServer } from './helpers/ui-page.ts';
import { contrast, parseColour } from './ui-fixtures/contrast.ts';
import { lessonTrace, refusedClientTrace } from './ui-fixtures/traces.ts';

const ARTIFACTS = path.join(ROOT, 'test/artifacts');
/** The build is served from a subfolder: every URL of the page must work from any folder. */
const PREFIX = '/course/sockstep/';
/** Lines a run never makes a socket call from. */
const NEVER = [/\bsocket\.socket\(/, /\.bind\(/, /^\s*print\(/, /^\s*#/];

interface StepView {
  step: number;
  caption: string;
  live: string | null;
  views: { name: string; line: number | null; text: string; inView: boolean }[];
}

/** Step through every step in the page, reading the caption and each script's highlighted line. */
function readEverySteps(page: Page, count: number): Promise<StepView[]> {
  return page.evaluate(async (count) => {
    const out: StepView[] = [];
    // Effects that keep things in view run after the step is painted: wait for them as a learner's eyes would.
    const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    for (let s = 0; s < count; s++) {
      await window.__sockstep!.measureStep(s);
      await painted();
      const caption = document.querySelector<HTMLElement>('[data-testid="step-caption"]')!;
      const views = [...document.querySelectorAll<HTMLElement>('section[data-testid^="script-"]')].map((section) => {
        const pre = section.querySelector('pre')!;
        const current = pre.querySelector<HTMLElement>('[aria-current="step"]');
        if (current === null) return { name: section.dataset.testid!.slice('script-'.length), line: null, text: '', inView: true };
        const box = pre.getBoundingClientRect();
        const rect = current.getBoundingClientRect();
        const top = box.top + pre.clientTop;
        return {
          name: section.dataset.testid!.slice('script-'.length),
          line: Number(current.dataset.line),
          text: current.querySelector('code')!.textContent ?? '',
          inView: rect.top >= top - 0.5 && rect.bottom <= top + pre.clientHeight + 0.5,
        };
      });
      out.push({ step: s, caption: caption.textContent ?? '', live: caption.getAttribute('aria-live'), views });
    }
    return out;
  }, count);
}

/** Text boxes in the sequence diagram that overlap one another. */
function sequenceOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts = [...document.querySelectorAll<SVGTextElement>('[data-testid="sequence"] text')].filter((t) => (t.textContent ?? '').trim() !== '');
    const boxes = texts.map((t) => ({ text: t.textContent!, r: t.getBoundingClientRect() }));
    const out: string[] = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!.r;
        const b = boxes[j]!.r;
        const apart = a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5;
        if (!apart) out.push(`“${boxes[i]!.text}” / “${boxes[j]!.text}”`);
      }
    }
    return out;
  });
}

/** Each chart's transition-label size on screen, in CSS pixels. */
function chartLabelSizes(page: Page): Promise<{ machine: string; px: number }[]> {
  return page.evaluate((labelSize) => {
    return [...document.querySelectorAll<SVGSVGElement>('figure[data-testid^="chart-"] svg')].map((svg) => ({
      machine: svg.closest('figure')!.dataset.testid!.slice('chart-'.length),
      px: (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width) * labelSize,
    }));
  }, CHART_FONT.labelSize);
}

/** Headings in document order, as levels. */
function headingLevels(page: Page): Promise<number[]> {
  return page.evaluate(() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => (h as HTMLElement).offsetParent !== null || h.tagName === 'H1').map((h) => Number(h.tagName[1])));
}

function expectOutline(levels: number[]): void {
  expect(levels[0]).toBe(1);
  expect(levels.filter((l) => l === 1)).toHaveLength(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i], `heading ${i + 1} of ${levels.join(',')}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
}

needTool(CHROMIUM, 'chromium').describe('the lesson pages in Chromium', () => {
  let dist: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  let layouts: ChartLayouts;
  const errors: string[] = [];
  const titles = new Map<string, string>();

  const open = async (url: string) => {
    await page.goto(url);
    await page.getByTestId(url.includes('/lessons/') ? 'lesson-page' : 'lesson-index').waitFor();
  };
  const lessonUrl = (lesson: LessonDefinition, query = '') => `${server.url}lessons/${lesson.id}/${query}`;
  const counter = () => page.getByTestId('step-counter').textContent();

  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), 'sockstep-ui-'));
    await buildUi(dist);
    server = await serveStatic(dist, PREFIX);
    browser = await launchBrowser({ width: 1280, height: 900 });
    page = await browser.context.newPage();
    // Instant scrolling, so that "in view" is checked where the page leaves it, not half-way.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    layouts = await buildChartLayouts(lessons);
    for (const lesson of lessons) {
      const md = await readFile(path.join(ROOT, 'lessons', lesson.id, 'lesson.md'), 'utf8');
      titles.set(lesson.id, lessonListing(lesson.id, md).meta.title);
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dist !== undefined) await rm(dist, { recursive: true, force: true });
  });

  it('pre-renders every route into the build, with asset URLs that work from its folder', async () => {
    for (const lesson of lessons) {
      const html = await readFile(path.join(dist, 'lessons', lesson.id, 'index.html'), 'utf8');
      expect(html).toContain(`<title>Sockstep — Lesson `);
      expect(html).toContain(titles.get(lesson.id)!.replaceAll('&', '&amp;').replaceAll("'", '&#39;'));
      expect(html).toMatch(/src="\.\.\/\.\.\/assets\/[^"]+\.js"/);
      expect(html).not.toMatch(/(src|href)="\.\/assets/);
    }
    // Without JavaScript, a lesson's text is there.
    const noJs = await browser.context.browser()?.newContext({ javaScriptEnabled: false });
    if (noJs !== undefined) {
      const p = await noJs.newPage();
      await p.goto(lessonUrl(lessons[0]!));
      expect(await p.locator('h1').first().textContent()).toContain(titles.get(lessons[0]!.id)!);
      await noJs.close();
    }
  });

  it('lists every lesson of the registry on the index, and links work with the back button', async () => {
    await open(server.url);
    const items = page.getByTestId('lesson-link');
    expect(await items.count()).toBe(lessons.length);
    for (const lesson of lessons) expect(await page.getByTestId('lesson-index').textContent()).toContain(titles.get(lesson.id)!);
    expectOutline(await headingLevels(page));
    // A link opens the lesson without reloading the page (the history API), and back returns.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await items.nth(0).locator('a').click();
    await page.getByTestId('lesson-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`${PREFIX}lessons/${lessons[0]!.id}/`);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.title()).toContain(titles.get(lessons[0]!.id)!);
    await page.goBack();
    await page.getByTestId('lesson-index').waitFor();
    expect(new URL(page.url()).pathname).toBe(PREFIX);
    await page.goForward();
    await page.getByTestId('lesson-page').waitFor();
  });

  for (const lesson of lessons) {
    describe(`lesson ${lesson.id}`, () => {
      for (const scenario of lesson.scenarios) {
        it(`steps through every step of “${scenario.id}”: caption, and each script's line in view and right`, async () => {
          const records = await lessonTrace(lesson, scenario.id, 1);
          const model = buildSteps(records);
          const query = lesson.scenarios.length > 1 ? `?scenario=${scenario.id}` : '';
          await open(lessonUrl(lesson, query));
          expect(await counter()).toBe(`Step 1 of ${model.count}`);
          const seen = await readEverySteps(page, model.count);

          // What each script's highlighted line may be: one of the lines its machines list.
          const tables = new Map<string, { script: string; table: Map<string, number>; source: string[] }>();
          for (const m of lesson.machines) {
            if (m.script === undefined || m.lines === undefined) continue;
            const file = scriptPath(lesson.id, m.script);
            const source = await readFile(path.join(ROOT, 'lessons', file), 'utf8');
            tables.set(m.machine.id, { script: path.basename(file), table: new Map(lineTable(source, m.lines).table), source: source.split('\n') });
          }
          const allowed = new Map<string, Set<number>>();
          for (const t of tables.values()) allowed.set(t.script, new Set([...(allowed.get(t.script) ?? []), ...t.table.values()]));

          const edges = (machine: string) => layouts[machine]?.edges ?? null;
          const lines = new Set<string>();
          for (const view of seen) {
            expect(view.live).toBe('polite');
            expect(view.caption.endsWith(captionAt(model, view.step, edges)), `step ${view.step + 1}: ${view.caption}`).toBe(true);
            expect(view.caption.startsWith(`Step ${view.step + 1} of ${model.count}: `)).toBe(true);
            for (const v of view.views) {
              if (v.line === null) continue;
              lines.add(`${v.name}:${v.line}`);
              expect(v.inView, `step ${view.step + 1}: ${v.name} line ${v.line} is out of view`).toBe(true);
              expect(allowed.get(v.name)?.has(v.line), `step ${view.step + 1}: ${v.name} line ${v.line} (${v.text}) is no call's line`).toBe(true);
              for (const never of NEVER) expect(v.text).not.toMatch(never);
            }
            // At the step of a call from a listed state, its script shows that call's line.
            const r = recordAt(model, view.step) as { actor?: string; at?: string };
            const machine = r.actor === undefined ? undefined : model.byActor.get(r.actor)?.machine;
            const t = machine === undefined || machine === null ? undefined : tables.get(machine);
            if (t !== undefined && r.at !== undefined && t.table.has(r.at)) {
              const v = view.views.find((x) => x.name === t.script)!;
              expect(v.line, `step ${view.step + 1}: ${r.actor}'s call from ${r.at}`).toBe(t.table.get(r.at));
            }
          }
          expect(lines.size).toBeGreaterThan(1);
          expect(errors).toEqual([]);
        }, 180_000);
      }

      it('draws labels that never overlap, charts at one scale, and a legend', async () => {
        const records = await lessonTrace(lesson, undefined, 1);
        const count = buildSteps(records).count;
        await open(lessonUrl(lesson));
        for (let s = 0; s < count; s += Math.max(1, Math.floor(count / 12))) {
          await page.evaluate((s) => window.__sockstep!.measureStep(s), s);
          expect(await sequenceOverlaps(page), `step ${s + 1}`).toEqual([]);
        }
        for (const width of [800, 1280, 1600]) {
          await page.setViewportSize({ width, height: 900 });
          await page.waitForTimeout(100);
          const sizes = await chartLabelSizes(page);
          expect(sizes.length).toBeGreaterThan(0);
          for (const s of sizes) {
            expect(s.px, `${s.machine} at ${width} px`).toBeCloseTo(sizes[0]!.px, 1);
            expect(s.px).toBeGreaterThanOrEqual(CHART_FONT.labelSize * MIN_CHART_SCALE - 0.01);
          }
        }
        await page.setViewportSize({ width: 1280, height: 900 });
        expect(await page.getByTestId('chart-legend').textContent()).toMatch(/succeeded.*failed.*dashed.*always.*final/s);
      }, 120_000);

      it('ends the run with each program’s output and a summary linking to the next lesson', async () => {
        const records = await lessonTrace(lesson, undefined, 1);
        const prints = records.filter((r) => r.type === 'print');
        await open(lessonUrl(lesson, '?step=99999'));
        const end = page.getByTestId('run-end-bar');
        expect(await end.textContent()).toContain('End of the run.');
        expect(await page.getByTestId('run-summary').textContent()).toMatch(/\d+ bytes? sent/);
        // Each line is in its program's console: a session prints into its server's, as a thread does.
        const parentOf = new Map(records.flatMap((r) => (r.type === 'actor' && r.parent !== undefined ? [[r.actor, r.parent] as const] : [])));
        const programOf = (actor: string): string => (parentOf.has(actor) ? programOf(parentOf.get(actor)!) : actor);
        for (const p of prints) expect(await page.getByTestId(`output-${programOf(p.actor)}`).textContent()).toContain(p.text);
        const index = lessons.indexOf(lesson);
        const next = lessons.slice().sort((a, b) => lessons.indexOf(a) - lessons.indexOf(b))[index + 1];
        if (next !== undefined) {
          await end.getByTestId('next-lesson').click();
          await page.getByTestId('lesson-page').waitFor();
          expect(new URL(page.url()).pathname).toBe(`${PREFIX}lessons/${next.id}/`);
          await page.goBack();
          await page.getByTestId('lesson-page').waitFor();
          expect(new URL(page.url()).pathname).toBe(`${PREFIX}lessons/${lesson.id}/`);
        } else {
          expect(await end.textContent()).toContain('last lesson');
        }
      });

      it('keeps an outline without jumps, and says what the seed is', async () => {
        await open(lessonUrl(lesson));
        expectOutline(await headingLevels(page));
        expect(await page.getByTestId('seed-help').textContent()).toMatch(/seed .*simulated network.*same seed replays the same run/is);
      });

      if (lesson.scenarios.length > 1) {
        it('switches scenarios, sets them side by side, and goes back with the back button', async () => {
          const [first, second] = lesson.scenarios;
          await open(lessonUrl(lesson));
          const compare = page.getByTestId('scenario-compare');
          for (const s of lesson.scenarios) expect(await compare.textContent()).toContain(s.title);
          expect(await page.getByTestId(`compare-facts-${first!.id}`).textContent()).toMatch(/Last client done at \d+/);
          await page.getByTestId('scenario-switch').locator(`[data-scenario="${second!.id}"]`).click();
          await expect.poll(() => new URL(page.url()).searchParams.get('scenario')).toBe(second!.id);
          await page.getByTestId('lesson-page').waitFor();
          expect(await page.getByTestId('scenario-switch').locator('[aria-pressed="true"]').textContent()).toBe(second!.title);
          const other = buildSteps(await lessonTrace(lesson, second!.id, 1)).count;
          expect(await counter()).toBe(`Step 1 of ${other}`);
          await page.goBack();
          await expect.poll(() => page.getByTestId('scenario-switch').locator('[aria-pressed="true"]').textContent()).toBe(first!.title);
        });
      }
    });
  }

  it('follows the current step’s actor where several run one machine, tags the others, and lets the learner pick one', async () => {
    // The first lesson of the registry where one machine runs in several actors at once.
    let found: { lesson: LessonDefinition; machine: string; actors: string[]; step: number } | null = null;
    for (const lesson of lessons) {
      const model = buildSteps(await lessonTrace(lesson));
      for (let s = 0; s < model.count && found === null; s++) {
        const byMachine = new Map<string, string[]>();
        for (const a of model.actors) if (a.first <= s && (a.end < 0 || a.end >= s) && a.machine !== null) byMachine.set(a.machine, [...(byMachine.get(a.machine) ?? []), a.actor]);
        const r = recordAt(model, s) as { actor?: string };
        const machine = r.actor === undefined ? null : model.byActor.get(r.actor)?.machine;
        if (machine != null && (byMachine.get(machine)?.length ?? 0) > 1) found = { lesson, machine, actors: byMachine.get(machine)!, step: s };
      }
      if (found !== null) break;
    }
    expect(found, 'a lesson with several actors of one machine').not.toBeNull();
    const { lesson, machine, actors, step } = found!;
    await open(lessonUrl(lesson, `?step=${step + 1}`));
    const chart = page.getByTestId(`chart-${machine}`);
    const current = (recordAt(buildSteps(await lessonTrace(lesson)), step) as { actor: string }).actor;
    expect(await chart.getAttribute('data-actor')).toBe(current);
    // The others running now are tagged on the chart, and listed as buttons.
    const others = actors.filter((a) => a !== current);
    for (const other of others) expect(await chart.locator(`[data-other="${other}"]`).count()).toBe(1);
    const picker = page.getByTestId(`picker-${machine}`);
    await picker.locator(`[data-actor="${others[0]}"]`).click();
    expect(await chart.getAttribute('data-actor')).toBe(others[0]);
    // Picked, it stays followed while stepping.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await chart.getAttribute('data-actor')).toBe(others[0]);
    await picker.getByRole('button', { name: 'auto' }).click();
    await page.evaluate((s) => window.__sockstep!.measureStep(s), step);
    expect(await chart.getAttribute('data-actor')).toBe(current);
  });

  it('keeps every hex row at 16 bytes, beside its text, at every width from 800 to 1600 px', async () => {
    // The lesson with the most bytes at its end.
    let best = lessons[0]!;
    let most = 0;
    for (const lesson of lessons) {
      const bytes = (await lessonTrace(lesson)).reduce((n, r) => n + (r.type === 'send' ? r.accepted : 0), 0);
      if (bytes > most) [best, most] = [lesson, bytes];
    }
    await open(lessonUrl(best, '?step=99999'));
    for (let width = 800; width <= 1600; width += 100) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(50);
      const rows = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="byte-dump"]')].flatMap((dump) => {
          const hex = [...dump.querySelectorAll<HTMLElement>('[data-testid="hex-line"]')];
          const text = [...dump.querySelectorAll<HTMLElement>('[data-testid="text-line"]')];
          return hex.map((h, i) => ({
            bytes: (h.textContent ?? '').split(' ').length,
            last: i === hex.length - 1,
            lines: h.getClientRects().length,
            height: h.getBoundingClientRect().height,
            lineHeight: parseFloat(getComputedStyle(h).lineHeight),
            hexTop: h.getBoundingClientRect().top,
            textTop: text[i]!.getBoundingClientRect().top,
          }));
        }),
      );
      expect(rows.length).toBeGreaterThan(1);
      for (const row of rows) {
        if (!row.last) expect(row.bytes, `${width} px`).toBe(16);
        expect(row.height, `${width} px: a hex row wraps`).toBeLessThan(row.lineHeight * 1.5);
        expect(Math.abs(row.hexTop - row.textTop), `${width} px`).toBeLessThan(1);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('says when the lesson text goes on below, and scrolls on', async () => {
    await page.setViewportSize({ width: 1280, height: 700 });
    await open(lessonUrl(lessons[0]!));
    const scroll = page.getByTestId('lesson-scroll');
    const { scrollHeight, clientHeight } = await scroll.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    expect(scrollHeight).toBeGreaterThan(clientHeight);
    expect(await page.getByTestId('lesson-more').isVisible()).toBe(true);
    await page.getByTestId('lesson-more').click();
    await expect.poll(() => scroll.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    await scroll.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(() => page.getByTestId('lesson-more').count()).toBe(0);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('gives every piece of text 4.5:1 contrast on its background', async () => {
    const lesson = lessons.at(-1)!;
    await open(lessonUrl(lesson, '?step=40'));
    const pairs = await page.evaluate(() => {
      const opaque = (c: string) => !/rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent';
      const backgroundOf = (el: Element | null): string => {
        for (let e = el; e !== null; e = e.parentElement) {
          const bg = getComputedStyle(e).backgroundColor;
          if (opaque(bg)) return bg;
        }
        return 'rgb(255, 255, 255)';
      };
      const out: { text: string; fg: string; bg: string }[] = [];
      const walker = document.createTreeWalker(document.querySelector('[data-testid="lesson-page"]')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
        const el = n.parentElement!;
        if ((n.textContent ?? '').trim() === '' || el.closest('svg, button:disabled, .visually-hidden') !== null) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
        out.push({ text: n.textContent!.trim().slice(0, 30), fg: style.color, bg: backgroundOf(el) });
      }
      // Statechart labels: their fill on the label's own box.
      for (const t of document.querySelectorAll('figure svg g[data-edge] text')) {
        const rect = t.parentElement!.querySelector('rect')!;
        out.push({ text: `edge ${t.textContent}`, fg: getComputedStyle(t).fill, bg: getComputedStyle(rect).fill });
      }
      return out;
    });
    expect(pairs.length).toBeGreaterThan(50);
    const low = pairs.filter((p) => contrast(parseColour(p.fg), parseColour(p.bg)) < 4.5).map((p) => `${p.text}: ${p.fg} on ${p.bg}`);
    expect([...new Set(low)]).toEqual([]);
  });

  it('shows a client that ends in its failed state as failed, in red, with what to try', async () => {
    await open(lessonUrl(lessons[0]!));
    const records = await refusedClientTrace();
    await page.evaluate((json) => window.__sockstep!.loadTrace(json), toJsonLines(records));
    await page.getByTestId('trace-file-note').waitFor();
    await page.keyboard.press('End');
    const count = buildSteps(records).count;
    expect(await counter()).toBe(`Step ${count} of ${count}`);
    const client = lessons[0]!.machines.find((m) => m.role === 'client')!.machine.id;
    const outcome = page.getByTestId(`outcome-${client}`);
    expect(await outcome.textContent()).toBe('failed ✗ ECONNREFUSED');
    expect(await outcome.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(185, 28, 28)'); // --error
    expect(await page.getByTestId(`outcome-hint-${client}`).textContent()).toContain('Nothing is listening on that port');
    expect(await page.getByTestId('sequence').textContent()).toContain('failed ✗ ECONNREFUSED');
  });

  it('opens a saved trace file on the trace page, and says clearly why one cannot be shown', async () => {
    const lesson = lessons[0]!;
    await open(lessonUrl(lesson));
    const pick = (name: string, text: string) => page.getByTestId('trace-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    // The lesson page's "Open a trace file…" hands the file to the trace page.
    await pick('old.jsonl', '{"seq":0,"t":0,"type":"run","version":1,"transport":"sim"}\n');
    await page.getByTestId('trace-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`${PREFIX}trace/`);
    await expect.poll(() => page.getByTestId('trace-problem').textContent()).toContain('“old.jsonl” cannot be shown: this trace is version 1');
    await pick('broken.jsonl', 'not json at all\n');
    await expect.poll(() => page.getByTestId('trace-problem').textContent()).toContain('“broken.jsonl” cannot be shown: line 1 is not JSON');
    // A good trace, with a record type this page does not know: shown, never a blank page.
    const records: TraceRecord[] = await lessonTrace(lesson, undefined, 3);
    const odd = { seq: records.length, t: 99, type: 'hologram', actor: records[1]!.type === 'actor' ? records[1]!.actor : 'x' } as unknown as TraceRecord;
    await pick('run.jsonl', toJsonLines([...records, odd]));
    await expect.poll(() => page.getByTestId('trace-info').textContent()).toMatch(/\d+ steps/);
    expect(await page.getByTestId('trace-problem').count()).toBe(0);
    await page.keyboard.press('End');
    expect(await page.getByTestId('step-caption').textContent()).toContain('“hologram” record');
    // Back to the lesson.
    await page.goBack();
    await page.getByTestId('lesson-page').waitFor();
    await page.getByTestId('seed-input').waitFor();
  });

  it('reruns with another seed from the header, and keeps the seed in the address', async () => {
    const lesson = lessons[0]!;
    await open(lessonUrl(lesson));
    await page.getByTestId('seed-input').fill('7');
    await page.getByTestId('seed-input').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe('7');
    await page.getByTestId('lesson-page').waitFor();
    expect(await page.getByTestId('seed-help').textContent()).toContain('same seed replays');
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe(null);
    await open(lessonUrl(lesson, '?seed=abc&step=2'));
    expect(new URL(page.url()).searchParams.get('seed')).toBe('1');
    expect(await page.getByTestId('page-notice').textContent()).toContain('“abc” is not a seed');
  });

  it('reopens the step named in the address, clamps one past the end, and steps with the keys', async () => {
    const lesson = lessons[0]!;
    const model: StepModel = buildSteps(await lessonTrace(lesson));
    await open(lessonUrl(lesson, '?step=5'));
    expect(await counter()).toBe(`Step 5 of ${model.count}`);
    await page.reload();
    await page.getByTestId('lesson-page').waitFor();
    expect(await counter()).toBe(`Step 5 of ${model.count}`);
    await page.keyboard.press('ArrowRight');
    expect(await counter()).toBe(`Step 6 of ${model.count}`);
    await expect.poll(() => new URL(page.url()).searchParams.get('step')).toBe('6');
    await open(lessonUrl(lesson, '?step=99999'));
    expect(await counter()).toBe(`Step ${model.count} of ${model.count}`);
    // A static server has no page for a lesson that is not in the build; the app, reached by a link, says so.
    await page.evaluate(() => {
      history.pushState(null, '', 'lessons/no-such-lesson/'.replace(/^/, location.pathname.replace(/lessons\/[^/]+\/$/, '')));
      dispatchEvent(new PopStateEvent('popstate'));
    });
    expect(await page.getByTestId('app-status').textContent()).toContain('There is no lesson “no-such-lesson”');
  });

  it('serves every route from our Express app too, with or without the final slash', async () => {
    const { createApp, listen } = await import('../runtime/server/app.ts');
    const app = createApp({ distDir: dist });
    const express: Server = await listen(app, '127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${(express.address() as AddressInfo).port}/`;
      for (const lesson of lessons) {
        await page.goto(`${base}lessons/${lesson.id}?step=3`);
        await page.getByTestId('lesson-page').waitFor();
        expect(await counter()).toMatch(/^Step 3 of/);
      }
      await page.goto(base);
      await page.getByTestId('lesson-index').waitFor();
    } finally {
      await (app as unknown as { close?: () => Promise<void> }).close?.();
      await new Promise<void>((resolve) => {
        express.close(() => resolve());
        express.closeAllConnections();
      });
    }
  });

  it('saves screenshots at 800 and 1600 px of the index and every lesson', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    for (const width of [800, 1600]) {
      await page.setViewportSize({ width, height: 1000 });
      await open(server.url);
      await page.screenshot({ path: path.join(ARTIFACTS, `index-${width}.png`), fullPage: true });
      for (const lesson of lessons) {
        // A step in the middle of the run: something on every panel.
        const count = buildSteps(await lessonTrace(lesson)).count;
        await open(lessonUrl(lesson, `?step=${Math.ceil(count * 0.45)}`));
        // As tall as the page: panels off screen skip their rendering (content-visibility) and would be blank.
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        await page.setViewportSize({ width, height: Math.min(height, 16_000) });
        await page.waitForTimeout(150);
        await page.screenshot({ path: path.join(ARTIFACTS, `${lesson.id}-${width}.png`), fullPage: true });
        await page.setViewportSize({ width, height: 1000 });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  }, 120_000);

  // `UPDATE_DOCS=1 npx vitest run test/ui-browser.test.ts` refreshes the README's pictures.
  it.runIf(process.env.UPDATE_DOCS === '1')('refreshes the README screenshots in docs/', async () => {
    const docs = path.join(ROOT, 'docs');
    await page.setViewportSize({ width: 1440, height: 1100 });
    const first = lessons[0]!;
    const records = await lessonTrace(first);
    const model = buildSteps(records);
    const recv = model.stepOfRecord[records.findIndex((r) => r.type === 'recv')]!;
    await open(lessonUrl(first, `?step=${recv + 1}`));
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(docs, 'lesson-01.png') });
    // The lesson with the most clients at once (lesson 3): its scenarios side by side, its lanes.
    const many = [...lessons].sort((a, b) => (b.scenarios[0]?.clients.length ?? 0) - (a.scenarios[0]?.clients.length ?? 0))[0]!;
    if (many.scenarios.length > 1) {
      const count = buildSteps(await lessonTrace(many)).count;
      await open(lessonUrl(many, `?step=${Math.ceil(count * 0.45)}`));
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(docs, `lesson-${String(lessons.indexOf(many) + 1).padStart(2, '0')}.png`) });
      await page.locator('section[aria-labelledby="sequence-heading"]').screenshot({ path: path.join(docs, 'sequence-diagram.png') });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 60_000);
});
