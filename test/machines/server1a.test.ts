// server1a, the iterative server, in a run on the simulated network: one conversation at a time,
// each a child it starts and waits for; the next client waits in the backlog meanwhile.
import { describe, expect, it } from 'vitest';
import { client1aMachine } from '../../machines/commands/client1a.ts';
import { server1aMachine } from '../../machines/commands/server1a.ts';
import { MemoryFolder } from '../../runtime/files/memory-folder.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';

function simRun() {
  const net = createSimNetwork({ seed: 2 });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const run = new RunSystem({ transport: net.transport(), trace, files: new MemoryFolder({ 'x.txt': '' }), roles: { server1a: 'server', session1a: 'session' } });
  return { net, trace, run };
}

describe('server1a', () => {
  it('holds one conversation at a time: the second client is greeted only after the first is closed', async () => {
    const { net, trace, run } = simRun();
    const server = run.start(server1aMachine, { id: 'server1a', input: { host: '127.0.0.1', port: 12345, maxClients: 2 } });
    await net.run();
    const a = run.start(client1aMachine, { id: 'a', input: { port: 12345, pauseMs: 500 } });
    const b = run.start(client1aMachine, { id: 'b', input: { port: 12345, pauseMs: 500 } });
    await net.run();
    expect(await a.done).toMatchObject({ error: null });
    expect(await b.done).toMatchObject({ error: null });
    expect(await server.done).toEqual({ served: 2, error: null });

    const actors = trace.records.filter((r) => r.type === 'actor' && r.machine === 'session1a');
    expect(actors).toEqual([expect.objectContaining({ actor: 'handle1', parent: 'server1a', role: 'session' }), expect.objectContaining({ actor: 'handle2', parent: 'server1a' })]);
    const firstClose = trace.records.find((r) => r.type === 'close' && r.actor === 'handle1')!;
    const secondGreeting = trace.records.find((r) => r.type === 'send' && r.actor === 'handle2')!;
    expect(secondGreeting.seq).toBeGreaterThan(firstClose.seq);
    expect(secondGreeting.t).toBeGreaterThanOrEqual(1000); // the first client paused twice for 500 ms before the second was taken
    const serverStates = trace.records.filter((r) => r.type === 'microstep' && r.actor === 'server1a').map((r) => (r as { state: unknown }).state);
    expect(serverStates).toEqual(['binding', 'accepting', 'serving', 'nextClient', 'accepting', 'serving', 'nextClient', 'closingListener', 'done']);
    expect(Object.keys(server.actor.getSnapshot().children as object)).toEqual([]);
    await run.stop();
    expect(run.sockets.openCount).toBe(0);
  });
});
