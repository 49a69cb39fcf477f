/**
 * Traces for the page's tests, made by real machines on the simulated
 * network (fast and deterministic), so they never drift from what the page
 * shows:
 *   lessonTrace(lesson, scenario, seed)  a lesson of the registry, as the page runs it
 *   greetingTrace(seed)                  lesson 1 (the first lesson of the registry)
 *   refusedClientTrace()                 lesson 1's client alone, nothing listening: it ends in `failed`
 *   threadedFixture()                    a multi-actor run of our own (threaded-lesson.ts)
 */
import { lessons } from '../../lessons/index.ts';
import { rolesOf, type LessonDefinition } from '../../lessons/lesson-types.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { threadedLesson } from './threaded-lesson.ts';

export function lessonTrace(lesson: LessonDefinition, scenario?: string, seed = 1): Promise<TraceRecord[]> {
  return runScenarioSim(lesson, scenario, { seed });
}

/** The first lesson of the course. */
export const firstLesson = lessons[0]!;

export function greetingTrace(seed = 1): Promise<TraceRecord[]> {
  return lessonTrace(firstLesson, undefined, seed);
}

/** Lesson 1's client connects to a port nobody listens on: connect fails with ECONNREFUSED. */
export async function refusedClientTrace(): Promise<TraceRecord[]> {
  const net = createSimNetwork({ seed: 1 });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0, lesson: firstLesson.id, seed: 1 });
  const run = new RunSystem({ transport: net.transport(), trace, roles: rolesOf(firstLesson) });
  const client = firstLesson.machines.find((m) => m.role === 'client')!.machine;
  const running = run.start(client, { id: client.id, input: { host: '127.0.0.1', port: 12345 } });
  try {
    await net.run();
    await running.done;
  } finally {
    await run.stop();
  }
  return trace.records;
}

/** Our multi-actor fixture: a server with a session per client and three clients, or the same clients one at a time. */
export function threadedFixture(scenario: 'threads' | 'iterative' = 'threads', seed = 1): Promise<TraceRecord[]> {
  return lessonTrace(threadedLesson, scenario, seed);
}
