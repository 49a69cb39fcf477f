// Lesson 3 on both transports: three clients served at once by server2 (a session per client, on
// its own lane), one after another by lesson 2's server1a; and the seed the lesson asks the learner
// to find, where client 3 finishes first, exists.
import { describe, expect, it } from 'vitest';
import lesson, { PAUSE_MS } from '../../lessons/03-thread-per-client/lesson.ts';
import { GREETING } from '../../machines/commands/list-protocol.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { finishOrder, runSim, runTcp, sentBy } from './run-helpers.ts';

const expectedReplies = {
  replies: [
    { command: null, lines: [GREETING] },
    { command: 'LIST', lines: ['+OK 4 names', 'hello.txt', 'notes.md', 'photos', 'todo.txt'] },
    { command: 'QUIT', lines: ['+OK bye'] },
  ],
  error: null,
};

/** When each actor's first and last record happened. */
function span(records: readonly TraceRecord[], actor: string): [number, number] {
  const mine = records.filter((r) => (r as { actor?: string }).actor === actor);
  return [mine[0]!.t, mine.at(-1)!.t];
}

/** Whether the conversations of these lanes ran at the same time: each started before every other ended. */
function overlapping(records: readonly TraceRecord[], actors: string[]): boolean {
  const spans = actors.map((a) => span(records, a));
  return Math.max(...spans.map((s) => s[0])) < Math.min(...spans.map((s) => s[1]));
}

describe('lesson 3: a thread per client', () => {
  it('server2 serves the three clients at once, each conversation on its own lane under the server (sim)', async () => {
    const { outputs, records } = await runSim(lesson, 'threads');
    for (const c of ['client1', 'client2', 'client3']) expect(outputs[c]).toEqual(expectedReplies);
    expect(outputs.server2).toEqual({ served: 3, peak: 3, error: null });
    const sessions = records.filter((r) => r.type === 'actor' && r.machine === 'session2');
    expect(sessions).toEqual(['thread1', 'thread2', 'thread3'].map((actor) => expect.objectContaining({ actor, parent: 'server2', role: 'session' })));
    expect(overlapping(records, ['thread1', 'thread2', 'thread3'])).toBe(true);
    // A thread's end reaches the server named as its lane is ('thread1 ✓' on the page), though XState's id for it is a number.
    const childEnd = /^xstate\.done\.actor\.(thread\d+|\d+)$/;
    const ends = records.flatMap((r) => (r.type === 'microstep' && r.actor === 'server2' && childEnd.test(r.event) ? [r.event] : []));
    expect(new Set(ends)).toEqual(new Set(['thread1', 'thread2', 'thread3'].map((t) => `xstate.done.actor.${t}`)));
    const events = records.flatMap((r) => (r.type === 'event' && r.actor === 'server2' && childEnd.test(r.event.type) ? [r.event.type] : []));
    expect(new Set(events)).toEqual(new Set(ends));
    // Every client is done about two pauses after it starts: nobody waited for anybody.
    for (const c of ['client1', 'client2', 'client3']) expect(span(records, c)[1]).toBeLessThan(2 * PAUSE_MS + 200);
  });

  it('lesson 2\'s server1a serves the same three clients one after another: the second and third wait', async () => {
    const { outputs, records } = await runSim(lesson, 'one-at-a-time');
    for (const c of ['client1', 'client2', 'client3']) expect(outputs[c]).toEqual(expectedReplies);
    expect(outputs.server1a).toEqual({ served: 3, error: null });
    expect(overlapping(records, ['handle1', 'handle2'])).toBe(false);
    expect(overlapping(records, ['handle2', 'handle3'])).toBe(false);
    // The clients finish about 2, 4 and 6 seconds in: each waits for the ones before it.
    const ends = ['client1', 'client2', 'client3'].map((c) => span(records, c)[1]).sort((a, b) => a - b);
    expect(ends[0]).toBeLessThan(2 * PAUSE_MS + 200);
    expect(ends[1]).toBeGreaterThan(4 * PAUSE_MS);
    expect(ends[2]).toBeGreaterThan(6 * PAUSE_MS);
  });

  it('seed 2 is one where client 3, the last to start, finishes first; seed 1 is not', async () => {
    expect(finishOrder((await runSim(lesson, 'threads', 2)).records, 'client')[0]).toBe('client3');
    expect(finishOrder((await runSim(lesson, 'threads', 1)).records, 'client')[0]).not.toBe('client3');
  });

  it('the seed changes the interleaving: the finishing order is not the same for every seed', async () => {
    const orders = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6, 7]) orders.add(finishOrder((await runSim(lesson, 'threads', seed)).records, 'client').join(' '));
    expect(orders.size).toBeGreaterThan(2);
  });

  it.each(['threads', 'one-at-a-time'])('%s on real TCP: the same replies and the same bytes as on the simulated network', async (id) => {
    const sim = await runSim(lesson, id);
    const tcp = await runTcp(lesson, id);
    expect(tcp.outputs).toEqual(sim.outputs);
    // Which client a conversation serves depends on arrival order; what was said does not.
    const said = (records: TraceRecord[]) => Object.values(sentBy(records)).sort();
    expect(said(tcp.records)).toEqual(said(sim.records));
    if (id === 'threads') expect(overlapping(tcp.records, ['thread1', 'thread2', 'thread3'])).toBe(true);
    else expect(overlapping(tcp.records, ['handle1', 'handle2'])).toBe(false);
  }, 20_000);
});
