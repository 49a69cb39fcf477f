/**
 * Text on the page meets WCAG AA: a contrast of at least 4.5:1 between
 * each text colour and every background it is drawn on, computed from the
 * colours in ui/styles.css (WCAG 2.x relative luminance). Graphics that
 * carry meaning (statechart edges and arrowheads) reach 3:1. The browser
 * test checks the same on the rendered page.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrast, parseColour } from './ui-fixtures/contrast.ts';
import { ROOT } from './helpers/ui-page.ts';

const css = await readFile(path.join(ROOT, 'ui/styles.css'), 'utf8');
const vars = new Map<string, string>();
for (const m of css.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{3,8})\s*;/g)) vars.set(m[1]!, m[2]!);
const colour = (name: string) => {
  const value = vars.get(name);
  if (value === undefined) throw new Error(`${name} is not a hex colour in ui/styles.css`);
  return parseColour(value);
};

const LIGHT = ['--panel', '--bg', '--code-bg'];
const ROLES = ['server', 'session', 'client'];

describe('colours in ui/styles.css', () => {
  it('give every text colour 4.5:1 on every background it is drawn on', () => {
    const pairs: [string, string[]][] = [
      ['--ink', [...LIGHT, '--current-soft', '--line', ...ROLES.flatMap((r) => [`--${r}-soft`, `--${r}-faint`])]],
      ['--muted', [...LIGHT, '--current-soft', '--line', ...ROLES.flatMap((r) => [`--${r}-soft`, `--${r}-faint`])]],
      ['--error', [...LIGHT, '--current-soft']],
      ['--ok', LIGHT],
      ['--current', [...LIGHT, '--current-soft']],
      ['--wire', LIGHT],
      ...ROLES.map((r): [string, string[]] => [`--${r}-text`, [...LIGHT, `--${r}-soft`, `--${r}-faint`, '--current-soft']]),
    ];
    const failures: string[] = [];
    for (const [text, backgrounds] of pairs) {
      for (const bg of backgrounds) {
        const ratio = contrast(colour(text), colour(bg));
        if (ratio < 4.5) failures.push(`${text} on ${bg}: ${ratio.toFixed(2)}:1`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('draw statechart edges at 3:1 or more, and keep the decoration-only colour off text', async () => {
    expect(contrast(colour('--edge'), colour('--panel'))).toBeGreaterThanOrEqual(3);
    // --faint is 2.6:1: borders only. No component may colour text with it.
    const offenders: string[] = [];
    for (const dir of ['components']) {
      const { readdir } = await import('node:fs/promises');
      for (const name of await readdir(path.join(ROOT, 'ui', dir))) {
        const file = path.join(ROOT, 'ui', dir, name, 'style.module.css');
        const text = await readFile(file, 'utf8').catch(() => '');
        for (const rule of text.split('}')) {
          // WCAG exempts disabled controls (1.4.3, "inactive user interface components").
          if (/:disabled/.test(rule.split('{')[0]!)) continue;
          if (/(^|\s|;|\{)(color|fill)\s*:\s*var\(--faint\)/.test(rule)) offenders.push(`${name}: ${rule.trim().split('{')[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('computes contrast as WCAG does', () => {
    expect(contrast(parseColour('#000'), parseColour('#fff'))).toBeCloseTo(21, 5);
    expect(contrast(parseColour('#94a3b8'), parseColour('#ffffff'))).toBeCloseTo(2.56, 2);
    expect(contrast(parseColour('rgb(100, 116, 139)'), parseColour('#fff'))).toBeCloseTo(4.76, 2);
  });
});
