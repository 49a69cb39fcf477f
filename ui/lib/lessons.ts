/**
 * What the lesson page needs of each lesson: its definition (machines,
 * scripts, line patterns), its text, its Python scripts and a way to run it
 * on the simulated network, here in the browser.
 */
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { greetingLesson } from '../../lessons/01-greeting/lesson.ts';
import { runGreetingSim } from '../../lessons/01-greeting/run.ts';
import greetingText from '../../lessons/01-greeting/lesson.md?raw';
import server1Script from '../../lessons/01-greeting/server1.py?raw';
import client1Script from '../../lessons/01-greeting/client1.py?raw';

export interface LessonPageContent {
  definition: LessonDefinition;
  /** The lesson text, Markdown. */
  text: string;
  /** Script file name → its source. */
  scripts: Record<string, string>;
  /** Run the lesson on the simulated network; the same seed gives the same trace. */
  run(seed: number): Promise<TraceRecord[]>;
}

export const greetingPage: LessonPageContent = {
  definition: greetingLesson,
  text: greetingText,
  scripts: { 'server1.py': server1Script, 'client1.py': client1Script },
  run: (seed) => runGreetingSim({ seed }),
};
