/**
 * Every lesson the page can show, found through the registry
 * (lessons/index.ts) with its text and scripts from its folder: no lesson
 * is named here, so adding a lesson folder and its registry line is all it
 * takes for the page to list it, route to it and pre-render it.
 *
 * Pure: the files come in as text keyed by path, so that this is tested in
 * Node; `lesson-files.ts` finds them with `import.meta.glob`.
 */
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import { lessonListing, type LessonMeta } from '../../lessons/front-matter.ts';

export interface CatalogLesson {
  id: string;
  definition: LessonDefinition;
  meta: LessonMeta;
  /** What is wrong with its lesson.md, for the lesson's author (shown on the page); empty when nothing is. */
  problems: string[];
  /** Its place in the course, from 1 (lessons sorted by `order`). */
  number: number;
  /** The lesson text (Markdown), without its front matter. */
  text: string;
  /** The Python scripts beside it, by file name. */
  scriptNames: string[];
}

/** The lesson folder a file path is in: '../../lessons/<folder>/lesson.md' → '<folder>'. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  return parts[parts.length - 2] ?? '';
}

/**
 * A machine's script as a path from the lessons folder: `script` is
 * relative to its lesson's folder ('server2.py', '../<folder>/server1a.py').
 */
export function scriptPath(lessonId: string, script: string): string {
  const parts: string[] = [lessonId];
  for (const part of script.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The file name of a path. */
export function fileOf(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * The lessons in course order, each with its text. A lesson whose folder
 * has no lesson.md still lists (titled by its id), with a problem saying so.
 */
export function buildCatalog(
  definitions: readonly LessonDefinition[],
  texts: Readonly<Record<string, string>>,
  scriptPaths: readonly string[],
): CatalogLesson[] {
  const textOf = new Map(Object.entries(texts).map(([path, text]) => [folderOf(path), text]));
  const lessons = definitions.map((definition, registryIndex) => {
    const { meta, body, problems } = lessonListing(definition.id, textOf.get(definition.id));
    const scriptNames = scriptPaths.filter((p) => folderOf(p) === definition.id).map(fileOf).sort();
    return { lesson: { id: definition.id, definition, meta, problems, number: 0, text: body, scriptNames }, registryIndex };
  });
  lessons.sort((a, b) => a.lesson.meta.order - b.lesson.meta.order || a.registryIndex - b.registryIndex);
  // A lesson's number is its place in the course (its order), as its folder, its text and the CLI
  // call it: the FTP server is lesson 9 while lessons 6 to 8 are still to be written. Orders that
  // clash, or a folder without a number, number the lessons by their place in the list instead.
  const orders = lessons.map(({ lesson }) => lesson.meta.order);
  const byOrder = new Set(orders).size === orders.length && orders.every((o) => o < Number.MAX_SAFE_INTEGER);
  return lessons.map(({ lesson }, i) => ({ ...lesson, number: byOrder ? lesson.meta.order : i + 1 }));
}

/** The lesson after this one in the course, or null for the last. */
export function nextLesson(catalog: readonly CatalogLesson[], id: string): CatalogLesson | null {
  const i = catalog.findIndex((l) => l.id === id);
  return i < 0 ? null : (catalog[i + 1] ?? null);
}
