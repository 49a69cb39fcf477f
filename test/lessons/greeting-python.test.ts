// Across languages, over real sockets: our machines against the lesson's Python scripts.
import { afterEach, describe, expect, it } from 'vitest';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import { startMachine, type RunningMachine } from '../../runtime/run-machine.ts';
import type { MicrostepRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { LESSON_01, run, start, type Started } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';

const python = needTool('python3', 'python3');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function states(trace: Trace, actor: string): unknown[] {
  return trace.records.filter((r): r is MicrostepRecord => r.type === 'microstep' && r.actor === actor).map((r) => r.state);
}

python.describe('lesson 1 across languages', () => {
  it('the client1 machine reads the greeting from server1.py', async () => {
    const server: Started = start('python3', [`${LESSON_01}server1.py`, '--host', '127.0.0.1', '--port', '0']);
    cleanups.push(() => server.stop());
    const [, port] = await server.waitFor(/listening on 127\.0\.0\.1 port (\d+)/);

    const transport = createTcpTransport();
    const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
    const client: RunningMachine = startMachine(client1Machine, {
      transport,
      trace,
      id: 'client1',
      input: { host: '127.0.0.1', port: Number(port) },
    });
    cleanups.push(() => client.stop());

    expect(await client.done).toEqual({ message: 'You are connected', error: null });
    expect(states(trace, 'client1')[0]).toBe('connecting');
    expect(states(trace, 'client1').at(-1)).toBe('done');
    expect(trace.records.some((r) => r.type === 'eof' && r.actor === 'client1')).toBe(true);
    await server.waitFor(/client connected from 127\.0\.0\.1/);
  });

  it('client1.py reads the greeting from the server1 machine', async () => {
    const transport = createTcpTransport();
    const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
    const server = startMachine(server1Machine, {
      transport,
      trace,
      id: 'server1',
      input: { host: '127.0.0.1', port: 0, maxClients: 1 },
    });
    cleanups.push(() => server.stop());
    const listening = await new Promise<number>((resolve) =>
      trace.subscribe((r) => r.type === 'listen' && resolve(r.addr.port)),
    );

    const client = await run('python3', [`${LESSON_01}client1.py`, '--host', '127.0.0.1', '--port', String(listening)]);
    expect(client.stderr).toBe('');
    expect(client.stdout).toBe('You are connected\n');
    expect(client.code).toBe(0);
    expect(await server.done).toEqual({ served: 1, dropped: 0, error: null });
    expect(states(trace, 'server1')).toEqual(['binding', 'accepting', 'sending', 'closingClient', 'nextClient', 'closingListener', 'done']);
  });

  it('client1.py says plainly when nothing listens', async () => {
    const transport = createTcpTransport();
    const l = await transport.listen({ host: '127.0.0.1', port: 0, backlog: 1 });
    const port = l.address.port;
    await l.close();
    const client = await run('python3', [`${LESSON_01}client1.py`, '--port', String(port)]);
    expect(client.code).toBe(1);
    expect(client.stderr).toMatch(/Nothing is listening on 127\.0\.0\.1 port \d+: start the server first\./);
  });
});
