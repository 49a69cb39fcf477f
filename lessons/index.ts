/** Every lesson, in course order, and look-ups over them. Browser-safe. */
import type { LessonDefinition, LessonMachine } from './lesson-types.ts';
import * as registry from './registry.ts';

/**
 * In course order. A module namespace lists its exports by name, not in the
 * order registry.ts writes them ('endOfTheFile' before 'greeting'), so the
 * lessons are put back in order by their folder names, which are numbered
 * ('01-greeting', '05-end-of-the-file').
 */
export const lessons: readonly LessonDefinition[] = Object.values(registry).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

export function findLesson(id: string): LessonDefinition | undefined {
  return lessons.find((l) => l.id === id);
}

/** The lesson machine with this id ('server1', 'client2a', ...): the first lesson that defines it. */
export function findMachine(id: string): LessonMachine | undefined {
  for (const lesson of lessons) {
    const found = lesson.machines.find((m) => m.machine.id === id);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The machines `sockstep run` can start, in course order. */
export function runnableMachines(): { lesson: LessonDefinition; entry: LessonMachine }[] {
  const seen = new Set<string>();
  const out: { lesson: LessonDefinition; entry: LessonMachine }[] = [];
  for (const lesson of lessons) {
    for (const entry of lesson.machines) {
      if (entry.cli === undefined || seen.has(entry.machine.id)) continue;
      seen.add(entry.machine.id);
      out.push({ lesson, entry });
    }
  }
  return out;
}
