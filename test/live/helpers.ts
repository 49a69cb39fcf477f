/**
 * What the live page's browser tests share: the page built once into a
 * temporary folder, a `sockstep` process with the environment the tests
 * need (no browser opened, the built page, a runtime folder of their own so
 * that no learner's app is joined), Python scripts found through the
 * registry, and a few waits.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runnableMachines } from '../../lessons/index.ts';
import { CLI, ROOT, run, start, type Started } from '../helpers/processes.ts';

export interface CliEnv {
  uiDir: string;
  runtimeDir: string;
}

/** `sockstep <args>` with SOCKSTEP_NO_OPEN=1, the test's build and runtime folder. */
export function sockstep(args: string[], env: CliEnv): Started {
  return start('node', [CLI, ...args], ROOT, { SOCKSTEP_NO_OPEN: '1', SOCKSTEP_UI_DIR: env.uiDir, SOCKSTEP_RUNTIME_DIR: env.runtimeDir });
}

/** A runnable machine's Python script, found through the registry. */
export function scriptOf(machineId: string): string {
  const found = runnableMachines().find(({ entry }) => entry.machine.id === machineId);
  if (found?.entry.script === undefined) throw new Error(`no runnable machine ${machineId} with a script`);
  return join(ROOT, 'lessons', found.lesson.id, found.entry.script);
}

/** Run a Python script to its end; its output. */
export function python(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return run('python3', [script, ...args]);
}

/** Where the browser tests leave their screenshots, to be looked at. */
export const ARTIFACTS = join(ROOT, 'test/artifacts');

/**
 * Whole-page screenshots of `page` at 800 and 1600 px wide, as `<name>-<width>.png` in ARTIFACTS.
 * The viewport is made as tall as the page first: panels off screen skip their rendering
 * (content-visibility), and a full-page screenshot of a short viewport would show them blank.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const viewport = page.viewportSize()!;
  for (const width of [800, 1600]) {
    await page.setViewportSize({ width, height: 1000 });
    await page.waitForTimeout(150);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width, height: Math.min(height, 16_000) });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize(viewport);
}
