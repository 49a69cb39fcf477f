// Lesson 1 on the new core: one conversation, two transports, the same states and bytes (runScenario);
// the trace records every kind of step; server1 survives a client that fails mid-greeting.
import { describe, expect, it } from 'vitest';
import greeting from '../../lessons/01-greeting/lesson.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { parseJsonLines, toJsonLines } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { TransportError } from '../../runtime/transport/errors.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import type { Transport } from '../../runtime/transport/types.ts';
import { runSim, runTcp, sentBy, statesOf } from './run-helpers.ts';

/** What must not depend on the transport: each actor's states, the bytes each actor sent, the socket calls made. */
function essence(records: TraceRecord[]) {
  const sockets = records
    .filter((r) => ['listen', 'connect', 'accept', 'close', 'closeListener'].includes(r.type))
    .map((r) => `${(r as { actor: string }).actor} ${r.type}`)
    .sort();
  return { states: statesOf(records), sent: sentBy(records), sockets };
}

describe('lesson 1 conversation', () => {
  it('visits the same states and exchanges the same bytes on the simulated network and on real TCP', async () => {
    const sim = await runSim(greeting, 'greeting');
    const tcp = await runTcp(greeting, 'greeting');
    expect(sim.outputs).toEqual({ server1: { served: 1, dropped: 0, error: null }, client1: { message: 'You are connected', error: null } });
    expect(tcp.outputs).toEqual(sim.outputs);
    const e = essence(sim.records);
    expect(e.states.server1).toEqual(['binding', 'accepting', 'sending', 'closingClient', 'nextClient', 'closingListener', 'done']);
    expect(e.states.client1).toEqual(['connecting', 'receiving', 'receiving', 'closing', 'done']);
    expect(e.sent).toEqual({ server1: 'You are connected' });
    expect(essence(tcp.records)).toEqual(e);
  });

  it('the same seed gives a byte-identical trace; another seed cuts the bytes differently', async () => {
    const options = { seed: 42, segmentation: { kind: 'random', min: 1, max: 6 } as const };
    const a = toJsonLines(await runScenarioSim(greeting, 'greeting', options));
    expect(toJsonLines(await runScenarioSim(greeting, 'greeting', options))).toBe(a);
    const recvSizes = (records: TraceRecord[]) => records.flatMap((r) => (r.type === 'recv' ? [r.size] : []));
    const mine = recvSizes(parseJsonLines(a));
    const others = await Promise.all([1, 2, 3].map(async (seed) => recvSizes(await runScenarioSim(greeting, 'greeting', { ...options, seed }))));
    expect(others.some((sizes) => JSON.stringify(sizes) !== JSON.stringify(mine))).toBe(true);
  });

  it('records every kind of step, with a connection id shared by both ends, and survives JSON lines', async () => {
    const records = await runScenarioSim(greeting, 'greeting');
    expect(records[0]).toEqual({ seq: 0, t: 0, type: 'run', version: 2, transport: 'sim', startedAt: 0, lesson: '01-greeting', scenario: 'greeting', seed: 1 });
    const conns = new Set(records.flatMap((r) => ('conn' in r && r.conn !== undefined ? [r.conn] : [])));
    expect([...conns]).toEqual(['c1']);
    const types = new Set(records.map((r) => r.type));
    for (const t of ['actor', 'event', 'microstep', 'status', 'listen', 'connect', 'accept', 'send', 'recv', 'close', 'closeListener']) expect(types, t).toContain(t);
    records.forEach((r, i) => expect(r.seq).toBe(i));
    expect(parseJsonLines(toJsonLines(records))).toEqual(records);
    // The client's recv records point into the server's send: the bytes are stored once.
    expect(records.filter((r) => r.type === 'recv' && r.size > 0).every((r) => !('data' in r))).toBe(true);
  });

  it('server1 drops a client whose connection fails mid-greeting, and serves the next one', async () => {
    const net = createSimNetwork({ seed: 5 });
    const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
    // Fault injection: the first accepted connection fails its first send, as a reset would.
    const inner = net.transport();
    let accepted = 0;
    const faulty: Transport = {
      ...inner,
      async listen(o) {
        const listener = await inner.listen(o);
        return {
          address: listener.address,
          close: () => listener.close(),
          async accept(options) {
            const conn = await listener.accept(options);
            if (++accepted > 1) return conn;
            return {
              local: conn.local,
              remote: conn.remote,
              recv: (m, r) => conn.recv(m, r),
              shutdown: () => conn.shutdown(),
              close: () => conn.close(),
              reset: () => conn.reset(),
              send: () => Promise.reject(new TransportError('ECONNRESET', 'reset by the test')),
            };
          },
        };
      },
    };
    const serverRun = new RunSystem({ transport: faulty, trace });
    const clientRun = new RunSystem({ transport: inner, trace });
    const server = serverRun.start(server1Machine, { id: 'server1', input: { host: '127.0.0.1', port: 12345, maxClients: 2 } });
    await net.run();
    const first = clientRun.start(client1Machine, { id: 'first', input: { host: '127.0.0.1', port: 12345 } });
    await net.run();
    const second = clientRun.start(client1Machine, { id: 'second', input: { host: '127.0.0.1', port: 12345 } });
    await net.run();

    expect(await first.done).toEqual({ message: '', error: null });
    expect(await second.done).toEqual({ message: 'You are connected', error: null });
    expect(await server.done).toEqual({ served: 1, dropped: 1, error: null });
    expect(statesOf(trace.records).server1!.slice(0, 5)).toEqual(['binding', 'accepting', 'sending', 'droppingClient', 'nextClient']);
    expect(trace.records.find((r) => r.type === 'error' && r.actor === 'server1')).toMatchObject({ op: 'send', code: 'ECONNRESET', at: 'server1.sending' });
    await serverRun.stop();
    await clientRun.stop();
  });
});
