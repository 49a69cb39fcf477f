/**
 * A lesson's folder on disk, found from its id (the folder's name), and the
 * heading `sockstep run --list` shows for it, from its lesson.md front matter.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLessonMarkdown } from '../../lessons/front-matter.ts';
import { lessons } from '../../lessons/index.ts';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LESSONS_DIR = join(PROJECT_ROOT, 'lessons');

/** The lesson's folder: `lessons/<id>/`, absolute. */
export function lessonFolder(lesson: LessonDefinition): string {
  return join(LESSONS_DIR, lesson.id);
}

/** A path as the user reads it: relative to the project when inside it. */
export function shownPath(path: string): string {
  const inside = relative(PROJECT_ROOT, path);
  return inside.startsWith('..') ? path : inside;
}

/**
 * 'Lesson 1 — A first server and a first client', from the front matter.
 * A lesson.md that cannot be read still gets a heading (its place in the
 * course and its id), with the reason, so that one broken file does not
 * hide every other lesson's machines.
 */
export function lessonHeading(lesson: LessonDefinition): string {
  const place = lessons.indexOf(lesson) + 1;
  let text: string;
  try {
    text = readFileSync(join(lessonFolder(lesson), 'lesson.md'), 'utf8');
  } catch (error) {
    return `Lesson ${place} — ${lesson.id} (its lesson.md cannot be read: ${(error as Error).message})`;
  }
  const parsed = parseLessonMarkdown(text);
  if (!parsed.ok) return `Lesson ${place} — ${lesson.id} (lesson.md: ${parsed.error})`;
  return `Lesson ${parsed.meta.order} — ${parsed.meta.title}`;
}
