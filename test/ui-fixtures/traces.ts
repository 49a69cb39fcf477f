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

/**
 * Lesson 1's server and two of its clients as three runs with a trace each,
 * on one simulated network: what the live page merges when a learner
 * watches a server and clients started separately (the page, the CLI).
 * Every trace starts at the same virtual time, so their clocks agree.
 */
export async function separateRunTraces(seed = 1, clients = 2): Promise<{ server: TraceRecord[]; clients: TraceRecord[][] }> {
  const net = createSimNetwork({ seed });
  const roles = rolesOf(firstLesson);
  const traceOf = () => new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0, lesson: firstLesson.id });
  const serverEntry = firstLesson.machines.find((m) => m.role === 'server')!;
  const clientEntry = firstLesson.machines.find((m) => m.role === 'client')!;
  const serverTrace = traceOf();
  const clientTraces = Array.from({ length: clients }, traceOf);
  const serverRun = new RunSystem({ transport: net.transport(), trace: serverTrace, roles });
  const clientRuns = clientTraces.map((trace) => new RunSystem({ transport: net.transport(), trace, roles }));
  try {
    serverRun.start(serverEntry.machine, { id: serverEntry.machine.id, input: { host: '127.0.0.1', port: 12345 } });
    await net.run();
    const running = clientRuns.map((run) => run.start(clientEntry.machine, { id: clientEntry.machine.id, input: { host: '127.0.0.1', port: 12345 } }));
    await net.run();
    await Promise.all(running.map((r) => r.done));
  } finally {
    await Promise.all([serverRun.stop(), ...clientRuns.map((r) => r.stop())]);
  }
  return { server: serverTrace.records, clients: clientTraces.map((t) => t.records) };
}
