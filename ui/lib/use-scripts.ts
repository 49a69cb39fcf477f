/**
 * The Python scripts of some lessons, loaded (each its own small chunk)
 * when the page needs them: the lessons a live run or a trace file uses
 * are known only once its actors arrive.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import { loadScripts } from './lesson-files.ts';

export function useScripts(lessons: readonly LessonDefinition[]): Readonly<Record<string, string>> {
  const [scripts, setScripts] = useState<Record<string, string>>({});
  const key = lessons.map((l) => l.id).join('\u0000');
  useEffect(() => {
    let live = true;
    Promise.all(lessons.map((l) => loadScripts(l).catch(() => ({})))).then((all) => {
      if (live) setScripts(Object.assign({}, ...all));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return scripts;
}
