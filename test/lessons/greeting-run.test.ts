// One conversation, two transports: the same states visited and the same bytes exchanged.
import { describe, expect, it } from 'vitest';
import { runGreeting, runGreetingSim } from '../../lessons/01-greeting/run.ts';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import { startMachine } from '../../runtime/run-machine.ts';
import { fromBase64 } from '../../runtime/trace/bytes.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { TransportError } from '../../runtime/transport/errors.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import type { Transport } from '../../runtime/transport/types.ts';

/** What must not depend on the transport: each actor's states, and the bytes each way. */
function essence(records: TraceRecord[]) {
  const states: Record<string, unknown[]> = {};
  const bytes: Record<string, string> = { c2s: '', s2c: '' };
  for (const r of records) {
    if (r.type === 'microstep') (states[r.actor] ??= []).push(r.state);
    if (r.type === 'recv') bytes[r.dir] += new TextDecoder().decode(fromBase64(r.data));
  }
  const sockets = records
    .filter((r) => ['listen', 'connect', 'accept', 'eof', 'close'].includes(r.type))
    .map((r) => `${(r as { actor: string }).actor} ${r.type}`);
  return { states, bytes, sockets: sockets.sort() };
}

describe('lesson 1 conversation', () => {
  it('visits the same states and exchanges the same bytes on the simulated network and on real TCP', async () => {
    const net = createSimNetwork({ seed: 7, segmentation: { kind: 'whole' } });
    const simTrace = new Trace({ transport: 'sim', clock: () => net.now() });
    const simResult = await runGreeting({ transport: net.transport(), trace: simTrace, host: '127.0.0.1', port: 12345, settle: () => net.run() });

    const tcp = createTcpTransport();
    const tcpTrace = new Trace({ transport: 'tcp', clock: () => tcp.now() });
    const tcpResult = await runGreeting({ transport: tcp, trace: tcpTrace, host: '127.0.0.1', port: 0 });

    expect(simResult).toEqual({ server: { served: 1, dropped: 0, error: null }, client: { message: 'You are connected', error: null } });
    expect(tcpResult).toEqual(simResult);

    const sim = essence(simTrace.records);
    expect(sim.states.server1).toEqual(['binding', 'accepting', 'sending', 'closingClient', 'nextClient', 'closingListener', 'done']);
    expect(sim.states.client1).toEqual(['connecting', 'receiving', 'receiving', 'closing', 'done']);
    expect(sim.bytes).toEqual({ c2s: '', s2c: 'You are connected' });
    expect(essence(tcpTrace.records)).toEqual(sim);
  });

  it('the same seed gives a byte-identical trace; another seed cuts the bytes differently', async () => {
    const options = { seed: 42, segmentation: { kind: 'random', min: 1, max: 6 } as const };
    const a = JSON.stringify(await runGreetingSim(options));
    const b = JSON.stringify(await runGreetingSim(options));
    expect(a).toBe(b);
    const recvSizes = (json: string) =>
      (JSON.parse(json) as TraceRecord[]).filter((r) => r.type === 'recv').map((r) => fromBase64((r as { data: string }).data).length);
    const others = await Promise.all([1, 2, 3].map(async (seed) => recvSizes(JSON.stringify(await runGreetingSim({ ...options, seed })))));
    expect(others.some((sizes) => JSON.stringify(sizes) !== JSON.stringify(recvSizes(a)))).toBe(true);
  });

  it('records every kind of step with a connection id shared by both ends', async () => {
    const records = await runGreetingSim();
    expect(records[0]).toEqual({ seq: 0, t: 0, type: 'run', version: 1, transport: 'sim', lesson: '01-greeting', seed: 1 });
    const conns = new Set(records.flatMap((r) => ('conn' in r && r.conn !== undefined ? [r.conn] : [])));
    expect([...conns]).toEqual(['c1']);
    const types = new Set(records.map((r) => r.type));
    for (const t of ['actor', 'event', 'microstep', 'status', 'listen', 'connect', 'accept', 'send', 'recv', 'eof', 'close']) {
      expect(types, t).toContain(t);
    }
    records.forEach((r, i) => expect(r.seq).toBe(i));
    expect(JSON.parse(JSON.stringify(records))).toEqual(records);
  });

  it('server1 drops a client whose connection fails mid-greeting, and serves the next one', async () => {
    const net = createSimNetwork({ seed: 5 });
    const trace = new Trace({ transport: 'sim', clock: () => net.now() });
    // Fault injection: the first accepted connection fails its first send, as a reset would.
    const inner = net.transport();
    let accepted = 0;
    const faulty: Transport = {
      ...inner,
      now: () => inner.now(),
      connect: (o) => inner.connect(o),
      async listen(o) {
        const listener = await inner.listen(o);
        return {
          address: listener.address,
          close: () => listener.close(),
          async accept() {
            const conn = await listener.accept();
            if (++accepted > 1) return conn;
            return { ...conn, close: () => conn.close(), recv: (m, r) => conn.recv(m, r), reset: () => conn.reset(),
              send: () => Promise.reject(new TransportError('ECONNRESET', 'reset by the test')) };
          },
        };
      },
    };
    const server = startMachine(server1Machine, { transport: faulty, trace, id: 'server1', input: { host: '127.0.0.1', port: 12345, maxClients: 2 } });
    await net.run();
    const first = startMachine(client1Machine, { transport: inner, trace, id: 'first', input: { host: '127.0.0.1', port: 12345 } });
    await net.run();
    const second = startMachine(client1Machine, { transport: inner, trace, id: 'second', input: { host: '127.0.0.1', port: 12345 } });
    await net.run();

    expect(await first.done).toEqual({ message: '', error: null });
    expect(await second.done).toEqual({ message: 'You are connected', error: null });
    expect(await server.done).toEqual({ served: 1, dropped: 1, error: null });
    const serverStates = trace.records.flatMap((r) => (r.type === 'microstep' && r.actor === 'server1' ? [r.state] : []));
    expect(serverStates.slice(0, 5)).toEqual(['binding', 'accepting', 'sending', 'droppingClient', 'nextClient']);
    expect(trace.records.find((r) => r.type === 'error' && r.actor === 'server1')).toMatchObject({ op: 'send', code: 'ECONNRESET' });
  });
});
