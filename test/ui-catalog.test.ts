/**
 * How the page finds lessons: the registry, each lesson's lesson.md front
 * matter (title, order, summary), its scripts, and the addresses of the
 * index and of each lesson. No lesson is named in ui/ or runtime/: the
 * page finds every lesson through the registry.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessons } from '../lessons/index.ts';
import type { LessonDefinition } from '../lessons/lesson-types.ts';
import { buildCatalog, fileOf, folderOf, nextLesson, scriptPath } from '../ui/lib/catalog.ts';
import { lessonListing } from '../lessons/front-matter.ts';
import { indexHref, lessonFile, lessonHref, parseLocation, relativeRoot, scenarioFromSearch } from '../ui/lib/routes.ts';
import { searchWithStep, stepFromUrl } from '../ui/lib/use-step.ts';
import { ROOT } from './helpers/ui-page.ts';

describe('lesson listing (the page and the CLI share lessons/front-matter.ts)', () => {
  it('gives a lesson its title, order and summary', () => {
    expect(lessonListing('02-x', '---\ntitle: T\norder: 2\nsummary: S\n---\nBody')).toEqual({
      meta: { title: 'T', order: 2, summary: 'S' },
      body: 'Body',
      problems: [],
    });
  });

  it('still lists a lesson whose front matter is broken, titled by its heading and placed by its folder, and says what is wrong', () => {
    const bare = lessonListing('07-y', '# Lesson 7 — Sockets\n\nFirst paragraph.');
    expect(bare.meta).toMatchObject({ title: 'Sockets', order: 7 });
    expect(bare.problems[0]).toContain('the front matter needs "title", "order", "summary"');
    const partial = lessonListing('03-z', '---\ntitle: Kept\norder: soon\nsummary: S\n---\n# Other');
    expect(partial.meta).toMatchObject({ title: 'Kept', order: 3, summary: 'S' });
    expect(partial.problems[0]).toContain('"order" must be a whole number');
    expect(lessonListing('04-w', undefined).problems).toEqual(['the lesson folder has no lesson.md']);
  });
});

describe('the catalog', () => {
  const def = (id: string) => ({ id, machines: [], scenarios: [] }) as LessonDefinition;

  it('joins the registry with each folder’s lesson.md and sorts by order', () => {
    const catalog = buildCatalog(
      [def('01-b'), def('02-a'), def('03-missing')],
      {
        '../../lessons/01-b/lesson.md': '---\ntitle: B\norder: 2\nsummary: b\n---\n# B\n',
        '../../lessons/02-a/lesson.md': '---\ntitle: A\norder: 1\nsummary: a\n---\n# A\n',
      },
      ['../../lessons/01-b/x.py', '../../lessons/02-a/y.py', '../../lessons/02-a/a.py'],
    );
    expect(catalog.map((l) => [l.number, l.id, l.meta.title])).toEqual([
      [1, '02-a', 'A'],
      [2, '01-b', 'B'],
      [3, '03-missing', '03-missing'],
    ]);
    expect(catalog[0]!.scriptNames).toEqual(['a.py', 'y.py']);
    expect(catalog[2]!.problems[0]).toBe('the lesson folder has no lesson.md');
    expect(nextLesson(catalog, '02-a')?.id).toBe('01-b');
    expect(nextLesson(catalog, '03-missing')).toBeNull();
  });

  it('numbers a lesson by its place in the course, gaps and all; by its place in the list when orders clash', () => {
    const text = (order: number) => `---\ntitle: T${order}\norder: ${order}\nsummary: s\n---\n# T\n`;
    const gaps = buildCatalog([def('01-a'), def('09-i')], { '../../lessons/01-a/lesson.md': text(1), '../../lessons/09-i/lesson.md': text(9) }, []);
    expect(gaps.map((l) => [l.number, l.id])).toEqual([
      [1, '01-a'],
      [9, '09-i'],
    ]);
    expect(nextLesson(gaps, '01-a')?.id).toBe('09-i');
    const clash = buildCatalog([def('01-a'), def('01-b')], { '../../lessons/01-a/lesson.md': text(1), '../../lessons/01-b/lesson.md': text(1) }, []);
    expect(clash.map((l) => l.number)).toEqual([1, 2]);
  });

  it('resolves a script path from a lesson folder, also into an earlier lesson’s folder', () => {
    expect(scriptPath('03-c', 'server2.py')).toBe('03-c/server2.py');
    expect(scriptPath('03-c', '../02-b/server1a.py')).toBe('02-b/server1a.py');
    expect(scriptPath('03-c', './x/../y.py')).toBe('03-c/y.py');
    expect([folderOf('../../lessons/01-a/lesson.md'), fileOf('../../lessons/01-a/lesson.md')]).toEqual(['01-a', 'lesson.md']);
  });

  it('finds every lesson of the registry with its lesson.md and every script its machines name', async () => {
    const texts: Record<string, string> = {};
    const scripts: string[] = [];
    for (const lesson of lessons) {
      const dir = path.join(ROOT, 'lessons', lesson.id);
      texts[`../../lessons/${lesson.id}/lesson.md`] = await readFile(path.join(dir, 'lesson.md'), 'utf8');
      for (const f of await readdir(dir)) if (f.endsWith('.py')) scripts.push(`../../lessons/${lesson.id}/${f}`);
    }
    const catalog = buildCatalog(lessons, texts, scripts);
    expect(catalog.map((l) => l.id).sort()).toEqual(lessons.map((l) => l.id).sort());
    for (const l of catalog) {
      expect(l.meta.title).not.toBe('');
      expect(l.meta.summary).not.toBe('');
      for (const m of l.definition.machines) {
        if (m.script === undefined) continue;
        expect(scripts, `${l.id}: ${m.machine.id}'s script ${m.script}`).toContain(`../../lessons/${scriptPath(l.id, m.script)}`);
      }
    }
  });
});

describe('addresses', () => {
  it('find the route and the folder the build is served from', () => {
    expect(parseLocation('/')).toEqual({ root: '/', route: { kind: 'index' } });
    expect(parseLocation('/index.html')).toEqual({ root: '/', route: { kind: 'index' } });
    expect(parseLocation('/course/sockstep/')).toEqual({ root: '/course/sockstep/', route: { kind: 'index' } });
    expect(parseLocation('/lessons/01-a/')).toEqual({ root: '/', route: { kind: 'lesson', id: '01-a' } });
    expect(parseLocation('/lessons/01-a')).toEqual({ root: '/', route: { kind: 'lesson', id: '01-a' } });
    expect(parseLocation('/lessons/01-a/index.html')).toEqual({ root: '/', route: { kind: 'lesson', id: '01-a' } });
    expect(parseLocation('/x/y/lessons/01%20a/')).toEqual({ root: '/x/y/', route: { kind: 'lesson', id: '01 a' } });
    expect(parseLocation('/lessons/%E0%A4%A/')).toEqual({ root: '/', route: { kind: 'lesson', id: '%E0%A4%A' } });
  });

  it('link to a lesson with its step, seed and scenario, from any root', () => {
    expect(lessonHref('/', '01-a')).toBe('/lessons/01-a/');
    expect(lessonHref('/sub/', '03-c', { step: 4, seed: 7, scenario: 'threads' })).toBe('/sub/lessons/03-c/?step=4&seed=7&scenario=threads');
    expect(indexHref('/sub/')).toBe('/sub/');
    for (const root of ['/', '/sub/dir/']) expect(parseLocation(lessonHref(root, '02-b', { seed: 3 }).split('?')[0]!)).toEqual({ root, route: { kind: 'lesson', id: '02-b' } });
  });

  it('name each route’s file in the build, and how it reaches the build’s root', () => {
    expect(lessonFile('01-a')).toBe('lessons/01-a/index.html');
    expect(relativeRoot('index.html')).toBe('');
    expect(relativeRoot('lessons/01-a/index.html')).toBe('../../');
  });

  it('pick a scenario, saying so when the address names one the lesson lacks', () => {
    const scenarios = [
      { id: 'threads', title: 'a thread per client' },
      { id: 'one', title: 'one at a time' },
    ];
    expect(scenarioFromSearch('', scenarios)).toEqual({ scenario: 'threads', notice: null });
    expect(scenarioFromSearch('?scenario=one', scenarios)).toEqual({ scenario: 'one', notice: null });
    expect(scenarioFromSearch('?scenario=two', scenarios)).toEqual({
      scenario: 'threads',
      notice: 'This lesson has no scenario “two” (it has “threads”, “one”), so this is “threads”.',
    });
  });

  it('keep the step in the address, from 1', () => {
    expect(stepFromUrl('?step=12')).toBe(11);
    expect(stepFromUrl('?step=x')).toBeNull();
    expect(searchWithStep('?seed=3', 4)).toBe('?seed=3&step=5');
  });
});

describe('no lesson is named outside its folder', () => {
  it('ui/ and tools/ never name a lesson folder (lessons are found through the registry)', async () => {
    const offenders: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (/\.(ts|tsx|css|html|md)$/.test(entry.name) && /lessons\/[0-9]{2}-/.test(await readFile(full, 'utf8'))) offenders.push(path.relative(ROOT, full));
      }
    };
    await walk(path.join(ROOT, 'ui'));
    await walk(path.join(ROOT, 'tools'));
    expect(offenders).toEqual([]);
  });
});
