/** Every lesson, in course order. Browser-safe. */
import { greetingLesson } from './01-greeting/lesson.ts';
import type { LessonDefinition, LessonMachine } from './lesson-types.ts';

export const lessons: LessonDefinition[] = [greetingLesson];

/** The machine a lesson runs under this actor name ('server1', 'client1', ...). */
export function findMachine(actor: string): LessonMachine | undefined {
  for (const lesson of lessons) {
    const found = lesson.machines.find((m) => m.actor === actor);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function machineNames(): string[] {
  return lessons.flatMap((l) => l.machines.map((m) => m.actor));
}
