/**
 * A long trace for the render benchmark, made from a real one: a run of the
 * registry's lesson with the most actors (lesson 3: a server, a session per
 * client, three clients) on the simulated network, repeated until the trace
 * has the records asked for. Each repetition is a new round of the same
 * conversation: its actors, connections and listeners renamed (server2 →
 * server2~2, thread1 → thread1~2, c1 → c1~2, ...) and its times shifted
 * after the round before, so the page sees what a server that has served
 * clients for a long time leaves: thousands of actors, seven or more at a
 * time, every byte stored once (recvs read their bytes from the sends).
 */
import { lessons } from '../../lessons/index.ts';
import type { LessonDefinition } from '../../lessons/lesson-types.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

/** The lesson whose first scenario runs the most actors at once: the shape to benchmark. */
export async function busiestLesson(): Promise<{ lesson: LessonDefinition; records: TraceRecord[]; actors: number }> {
  let best: { lesson: LessonDefinition; records: TraceRecord[]; actors: number } | null = null;
  for (const lesson of lessons) {
    const records = await runScenarioSim(lesson, undefined, { seed: 1 });
    const actors = records.filter((r) => r.type === 'actor').length;
    if (best === null || actors > best.actors) best = { lesson, records, actors };
  }
  return best!;
}

/** Fields that name an actor, a connection or a listener: renamed per round. */
const ACTOR_FIELDS = ['actor', 'parent', 'sender'] as const;
const CONN_FIELDS = ['conn', 'link'] as const;

export function repeatTrace(real: readonly TraceRecord[], records: number): TraceRecord[] {
  const [header, ...body] = real;
  if (header === undefined || body.length === 0) throw new Error('the trace to repeat has no records');
  const span = Math.max(1, body[body.length - 1]!.t + 1);
  const out: TraceRecord[] = [{ ...header, seq: 0 }];
  for (let round = 0; out.length < records; round++) {
    const suffix = round === 0 ? '' : `~${round + 1}`;
    for (const r of body) {
      if (out.length >= records) break;
      const copy: Record<string, unknown> = { ...r, seq: out.length, t: r.t + round * span };
      for (const f of ACTOR_FIELDS) if (typeof copy[f] === 'string') copy[f] = `${copy[f]}${suffix}`;
      for (const f of CONN_FIELDS) if (typeof copy[f] === 'string') copy[f] = `${copy[f]}${suffix}`;
      if (typeof copy.listener === 'string') copy.listener = `${copy.listener}${suffix}`;
      // Bytes are shared, not copied: a Uint8Array is written out once per record anyway.
      out.push(copy as unknown as TraceRecord);
    }
  }
  return out;
}

/** A trace of `records` records shaped like the busiest lesson's run. */
export async function syntheticTrace(records: number): Promise<{ lesson: LessonDefinition; records: TraceRecord[]; actorsPerRound: number }> {
  const { lesson, records: real, actors } = await busiestLesson();
  return { lesson, records: repeatTrace(real, records), actorsPerRound: actors };
}
