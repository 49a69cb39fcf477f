// Lesson 1 across languages, over real sockets: our machines (in a RunSystem on TCP) against the lesson's Python scripts.
import { afterEach, expect, it } from 'vitest';
import greeting from '../../lessons/01-greeting/lesson.ts';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { LESSON_01, run, start, type Started } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { liveRun } from './live-helpers.ts';
import { statesOf } from './run-helpers.ts';

const python = needTool('python3', 'python3');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

python.describe('lesson 1 across languages', () => {
  it('the client1 machine reads the greeting from server1.py', async () => {
    const server: Started = start('python3', [`${LESSON_01}server1.py`, '--host', '127.0.0.1', '--port', '0']);
    cleanups.push(() => server.stop());
    const [, port] = await server.waitFor(/listening on 127\.0\.0\.1 port (\d+)/);

    const live = await liveRun(greeting);
    cleanups.push(() => live.run.stop());
    const client = live.start(client1Machine, 'client1', { host: '127.0.0.1', port: Number(port) });

    expect(await client.done).toEqual({ message: 'You are connected', error: null });
    expect(statesOf(live.trace.records).client1).toEqual(['connecting', 'receiving', 'receiving', 'closing', 'done']);
    // The last recv returned end of data: the server closed its side. Its bytes came from outside the run, so the record holds them.
    const recvs = live.trace.records.filter((r) => r.type === 'recv' && r.actor === 'client1');
    expect(recvs.at(-1)).toMatchObject({ size: 0 });
    expect(recvs[0]).toMatchObject({ size: 17, data: new TextEncoder().encode('You are connected') });
    await server.waitFor(/client connected from 127\.0\.0\.1/);
  });

  it('client1.py reads the greeting from the server1 machine', async () => {
    const live = await liveRun(greeting);
    cleanups.push(() => live.run.stop());
    const server = live.start(server1Machine, 'server1', { host: '127.0.0.1', port: 0, maxClients: 1 });
    const port = await live.listening;

    const client = await run('python3', [`${LESSON_01}client1.py`, '--host', '127.0.0.1', '--port', String(port)]);
    expect(client.stderr).toBe('');
    expect(client.stdout).toBe('You are connected\n');
    expect(client.code).toBe(0);
    expect(await server.done).toEqual({ served: 1, dropped: 0, error: null });
    expect(statesOf(live.trace.records).server1).toEqual(['binding', 'accepting', 'sending', 'closingClient', 'nextClient', 'closingListener', 'done']);
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
