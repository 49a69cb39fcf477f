// server2, a thread per client, in a run on the simulated network: one session actor per client,
// each on its own lane under the server, stopped when done; at most maxSessions at once.
import { describe, expect, it } from 'vitest';
import type { AnyActorRef } from 'xstate';
import { createCommandClient } from '../../machines/commands/command-client.ts';
import { server2Machine } from '../../machines/threads/server2.ts';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';

const client = createCommandClient('client2');

function simRun(seed = 1) {
  const net = createSimNetwork({ seed });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const run = new RunSystem({
    transport: net.transport(),
    trace,
    files: new MemoryFolder({ 'a.txt': '', 'b.txt': '' }),
    roles: { server2: 'server', session2: 'session', client2: 'client' },
  });
  return { net, trace, run };
}

/** The ids of the server's spawned conversations still held in its snapshot. */
const threadsHeld = (actor: AnyActorRef) => Object.keys(actor.getSnapshot().children as object).filter((id) => id.startsWith('thread'));

/** [first record time, last record time] of each lane. */
function spans(records: TraceRecord[]): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const r of records) {
    const actor = (r as { actor?: string }).actor;
    if (actor === undefined) continue;
    const span = (out[actor] ??= [r.t, r.t]);
    span[1] = r.t;
  }
  return out;
}

describe('server2', () => {
  it('serves three clients at once, each conversation on its own lane under the server', async () => {
    const { net, trace, run } = simRun();
    const server = run.start(server2Machine, { id: 'server2', input: { host: '127.0.0.1', port: 12345, maxClients: 3 } });
    await net.run();
    const clients = [1, 2, 3].map((i) => run.start(client, { id: `client${i}`, input: { port: 12345, pauseMs: 1000 } }));
    await net.run();
    for (const c of clients) expect(await c.done).toMatchObject({ error: null, replies: [{}, { lines: ['+OK 2 names', 'a.txt', 'b.txt'] }, { lines: ['+OK bye'] }] });
    expect(await server.done).toEqual({ served: 3, peak: 3, error: null });

    const actors = trace.records.filter((r) => r.type === 'actor' && r.machine === 'session2');
    expect(actors).toEqual([1, 2, 3].map((n) => expect.objectContaining({ actor: `thread${n}`, parent: 'server2', role: 'session' })));
    // Every call of a conversation is on its thread's lane, never on the server's.
    const serverCalls = trace.records.filter((r) => r.type === 'send' && r.actor === 'server2');
    expect(serverCalls).toEqual([]);
    // The three conversations overlap in time: each starts before any other ends.
    const s = spans(trace.records);
    const latestStart = Math.max(s.thread1![0], s.thread2![0], s.thread3![0]);
    const earliestEnd = Math.min(s.thread1![1], s.thread2![1], s.thread3![1]);
    expect(latestStart).toBeLessThan(earliestEnd);
    await run.stop();
    expect(run.sockets.openCount).toBe(0);
  });

  it('stops each conversation when it ends: 30 clients later, the server holds none', async () => {
    const { net, run } = simRun();
    const server = run.start(server2Machine, { id: 'server2', input: { host: '127.0.0.1', port: 12345 } });
    await net.run();
    for (let i = 1; i <= 30; i++) {
      const c = run.start(client, { id: `client${i}`, input: { port: 12345 } });
      await net.run();
      expect(await c.done).toMatchObject({ error: null });
      expect(threadsHeld(server.actor)).toEqual([]);
    }
    expect(server.actor.getSnapshot().context).toMatchObject({ accepted: 30, served: 30, running: 0, peak: 1 });
    expect(server.actor.getSnapshot().value).toBe('accepting');
    await run.stop();
  });

  it('runs at most maxSessions conversations: a further client waits until one ends', async () => {
    const { net, trace, run } = simRun();
    const server = run.start(server2Machine, { id: 'server2', input: { host: '127.0.0.1', port: 12345, maxClients: 3, maxSessions: 2 } });
    await net.run();
    const clients = [1, 2, 3].map((i) => run.start(client, { id: `client${i}`, input: { port: 12345, pauseMs: 1000 } }));
    await net.run();
    for (const c of clients) expect(await c.done).toMatchObject({ error: null });
    expect(await server.done).toEqual({ served: 3, peak: 2, error: null });
    const states = trace.records.filter((r) => r.type === 'microstep' && r.actor === 'server2').map((r) => (r as { state: unknown }).state);
    expect(states).toContain('waitingForThread');
    // The third conversation starts only after one of the first two has ended.
    const s = spans(trace.records);
    expect(s.thread3![0]).toBeGreaterThanOrEqual(Math.min(s.thread1![1], s.thread2![1]));
    await run.stop();
  });
});
