// Helpers for the lesson tests: run a scenario on either transport, and read a trace the way a learner would.
import { runScenario, scenarioOf, type ScenarioResult } from '../../lessons/run-scenario.ts';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork, type SimOptions } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';

export interface Ran extends ScenarioResult {
  records: TraceRecord[];
}

/** A scenario on the simulated network, its own network options and this seed. */
export async function runSim(lesson: LessonDefinition, scenarioId: string, seed = 1, extra: SimOptions = {}): Promise<Ran> {
  const scenario = scenarioOf(lesson, scenarioId);
  const net = createSimNetwork({ ...scenario.network, ...extra, seed });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0, lesson: lesson.id, scenario: scenario.id, seed });
  const result = await runScenario(lesson, scenario, { transport: net.transport(), trace, host: '127.0.0.1', port: 12345, settle: () => net.run() });
  return { ...result, records: trace.records };
}

/** The same scenario on real TCP, on loopback and a free port. */
export async function runTcp(lesson: LessonDefinition, scenarioId: string): Promise<Ran> {
  const scenario = scenarioOf(lesson, scenarioId);
  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), lesson: lesson.id, scenario: scenario.id });
  const result = await runScenario(lesson, scenario, { transport, trace, host: '127.0.0.1', port: 0 });
  return { ...result, records: trace.records };
}

const decoder = new TextDecoder();

/** Everything each actor sent, as text, in order. */
export function sentBy(records: readonly TraceRecord[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of records) if (r.type === 'send') out[r.actor] = (out[r.actor] ?? '') + decoder.decode(r.data);
  return out;
}

/** Each actor's states, in order. */
export function statesOf(records: readonly TraceRecord[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const r of records) if (r.type === 'microstep') (out[r.actor] ??= []).push(r.state);
  return out;
}

/** What each actor printed, in order. */
export function printsOf(records: readonly TraceRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) if (r.type === 'print') (out[r.actor] ??= []).push(r.text);
  return out;
}

/**
 * What each recv of `actor` returned, as text: the bytes are in the peer's
 * send records (a byte is stored once), found by connection and offset.
 */
export function recvPieces(records: readonly TraceRecord[], actor: string): string[] {
  const streams = new Map<string, Uint8Array[]>();
  for (const r of records) if (r.type === 'send') (streams.get(`${r.conn} ${r.end}`) ?? streams.set(`${r.conn} ${r.end}`, []).get(`${r.conn} ${r.end}`)!).push(r.data);
  const joined = new Map([...streams].map(([k, parts]) => [k, Uint8Array.from(parts.flatMap((p) => [...p]))]));
  const out: string[] = [];
  for (const r of records) {
    if (r.type !== 'recv' || r.actor !== actor || r.size === 0) continue;
    const other = r.end === 'acceptor' ? 'connector' : 'acceptor';
    const bytes = r.data ?? joined.get(`${r.conn} ${other}`)!.subarray(r.offset, r.offset + r.size);
    out.push(decoder.decode(bytes));
  }
  return out;
}

/** The order in which actors whose name starts with `prefix` finished. */
export function finishOrder(records: readonly TraceRecord[], prefix: string): string[] {
  return records.filter((r) => r.type === 'status' && r.actor.startsWith(prefix)).map((r) => (r as { actor: string }).actor);
}
