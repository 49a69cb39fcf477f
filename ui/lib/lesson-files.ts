/**
 * The lesson folders' files, found by Vite at build time: every
 * `lesson.md` (text and front matter) and every Python script. Each is its
 * own small chunk, loaded when needed: the index loads the texts, a lesson
 * page also loads its machines' scripts.
 */
import { lessons } from '../../lessons/index.ts';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import { buildCatalog, scriptPath, type CatalogLesson } from './catalog.ts';

type Loaders = Record<string, () => Promise<string>>;

const textFiles = import.meta.glob('../../lessons/*/lesson.md', { query: '?raw', import: 'default' }) as Loaders;
const scriptFiles = import.meta.glob('../../lessons/*/*.py', { query: '?raw', import: 'default' }) as Loaders;

/** Where the glob keeps a file: '<folder>/<file>' → its key. */
const GLOB_PREFIX = '../../lessons/';

/** Every lesson of the registry with its text, in course order. */
export async function loadCatalog(): Promise<CatalogLesson[]> {
  const entries = await Promise.all(Object.entries(textFiles).map(async ([path, load]) => [path, await load()] as const));
  return buildCatalog(lessons, Object.fromEntries(entries), Object.keys(scriptFiles));
}

/**
 * The scripts a lesson's machines stand for, by their path from the lesson
 * folders ('<folder>/server1a.py'): a machine may name a script of an
 * earlier lesson ('../<folder>/server1a.py'). A missing script is left out.
 */
export async function loadScripts(definition: LessonDefinition): Promise<Record<string, string>> {
  const paths = new Set<string>();
  for (const m of definition.machines) if (m.script !== undefined) paths.add(scriptPath(definition.id, m.script));
  const loaded = await Promise.all(
    [...paths].map(async (path) => {
      const load = scriptFiles[GLOB_PREFIX + path];
      return load === undefined ? null : ([path, await load()] as const);
    }),
  );
  return Object.fromEntries(loaded.filter((e) => e !== null));
}
