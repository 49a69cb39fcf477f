// The run system: children get the run's sockets and lanes, timers run on the
// transport's clock, and leaving a state cancels the call it invoked.
import { describe, expect, it } from 'vitest';
import { assign, setup, spawnChild } from 'xstate';
import { socketActors, type AcceptOutput } from '../../machines/socket-calls.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import type { Transport } from '../../runtime/transport/types.ts';

const HELLO = new TextEncoder().encode('hello');

/** A session: send "hello" on the connection it was given, close it. */
const sessionMachine = setup({
  types: { input: {} as { conn: string }, context: {} as { conn: string } },
  actors: { send: socketActors.send, close: socketActors.close },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ conn: input.conn }),
  initial: 'greeting',
  states: {
    greeting: {
      invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: HELLO }), onDone: 'closing', onError: 'closing' },
    },
    closing: { invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'done', onError: 'done' } },
    done: { type: 'final' },
  },
});

/** A server that spawns a session per client, until it is stopped. */
const spawningServer = setup({
  types: { input: {} as { port: number }, context: {} as { port: number; listener: string; n: number } },
  actors: { listen: socketActors.listen, accept: socketActors.accept, session: sessionMachine },
}).createMachine({
  id: 'spawner',
  context: ({ input }) => ({ port: input.port, listener: '', n: 0 }),
  initial: 'binding',
  states: {
    binding: {
      invoke: {
        src: 'listen',
        input: ({ context }) => ({ host: '127.0.0.1', port: context.port, backlog: 5 }),
        onDone: { target: 'accepting', actions: assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }) },
      },
    },
    accepting: {
      invoke: {
        src: 'accept',
        input: ({ context }) => ({ listener: context.listener }),
        onDone: {
          target: 'accepting',
          reenter: true,
          actions: [
            assign({ n: ({ context }) => context.n + 1 }),
            spawnChild('session', {
              id: ({ context }) => `session${context.n}`,
              input: ({ event }) => ({ conn: (event.output as AcceptOutput).conn }),
            }),
          ],
        },
      },
    },
  },
});

/** A client that reads until end of data. */
const readerMachine = setup({
  types: { input: {} as { port: number }, context: {} as { port: number; conn: string; got: string } },
  actors: { connect: socketActors.connect, recv: socketActors.recv, close: socketActors.close },
}).createMachine({
  id: 'reader',
  context: ({ input }) => ({ port: input.port, conn: '', got: '' }),
  initial: 'connecting',
  states: {
    connecting: {
      invoke: {
        src: 'connect',
        input: ({ context }) => ({ host: '127.0.0.1', port: context.port }),
        onDone: { target: 'reading', actions: assign({ conn: ({ event }) => event.output.conn }) },
      },
    },
    reading: {
      invoke: {
        src: 'recv',
        input: ({ context }) => ({ conn: context.conn, max: 100 }),
        onDone: [
          { guard: ({ event }) => event.output.length === 0, target: 'closing' },
          { target: 'reading', reenter: true, actions: assign({ got: ({ context, event }) => context.got + new TextDecoder().decode(event.output) }) },
        ],
      },
    },
    closing: { invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'done' } },
    done: { type: 'final' },
  },
  output: ({ context }) => context.got,
});

/**
 * A reader that gives up waiting after 2 s (an `after` timeout leaves the
 * state, cancelling its recv), notes the timeout, and reads again.
 */
const patientReader = setup({
  types: {
    input: {} as { port: number; patienceMs: number },
    context: {} as { port: number; patienceMs: number; conn: string; got: string; timeouts: number },
  },
  actors: { connect: socketActors.connect, recv: socketActors.recv, close: socketActors.close },
  delays: { patience: ({ context }) => context.patienceMs },
}).createMachine({
  id: 'patient',
  context: ({ input }) => ({ ...input, conn: '', got: '', timeouts: 0 }),
  initial: 'connecting',
  states: {
    connecting: {
      invoke: {
        src: 'connect',
        input: ({ context }) => ({ host: '127.0.0.1', port: context.port }),
        onDone: { target: 'reading', actions: assign({ conn: ({ event }) => event.output.conn }) },
      },
    },
    reading: {
      after: { patience: { target: 'reading', reenter: true, actions: assign({ timeouts: ({ context }) => context.timeouts + 1 }) } },
      invoke: {
        src: 'recv',
        input: ({ context }) => ({ conn: context.conn, max: 100 }),
        onDone: [
          { guard: ({ event }) => event.output.length === 0, target: 'closing' },
          { target: 'reading', reenter: true, actions: assign({ got: ({ context, event }) => context.got + new TextDecoder().decode(event.output) }) },
        ],
      },
    },
    closing: { invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'done' } },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ got: context.got, timeouts: context.timeouts }),
});

/** A server that waits `delayMs` (a machine timer) before it sends "hello" and closes. */
const slowServer = setup({
  types: { input: {} as { port: number; delayMs: number }, context: {} as { port: number; delayMs: number; listener: string; conn: string } },
  actors: { listen: socketActors.listen, accept: socketActors.accept, send: socketActors.send, close: socketActors.close, closeListener: socketActors.closeListener },
  delays: { pause: ({ context }) => context.delayMs },
}).createMachine({
  id: 'slow',
  context: ({ input }) => ({ ...input, listener: '', conn: '' }),
  initial: 'binding',
  states: {
    binding: {
      invoke: {
        src: 'listen',
        input: ({ context }) => ({ host: '127.0.0.1', port: context.port, backlog: 1 }),
        onDone: { target: 'accepting', actions: assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }) },
      },
    },
    accepting: {
      invoke: { src: 'accept', input: ({ context }) => ({ listener: context.listener }), onDone: { target: 'waiting', actions: assign({ conn: ({ event }) => event.output.conn }) } },
    },
    waiting: { after: { pause: 'sending' } },
    sending: { invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: HELLO }), onDone: 'closing' } },
    closing: { invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'stopping' } },
    stopping: { invoke: { src: 'closeListener', input: ({ context }) => ({ listener: context.listener }), onDone: 'done' } },
    done: { type: 'final' },
  },
});

function simRun() {
  const net = createSimNetwork({ seed: 3 });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  return { net, trace, run: new RunSystem({ transport: net.transport(), trace, roles: { spawner: 'server', session: 'session', reader: 'client' } }) };
}

describe('RunSystem', () => {
  it('gives spawned children the run sockets, a lane each and their parent', async () => {
    const { net, trace, run } = simRun();
    run.start(spawningServer, { id: 'server', input: { port: 7000 } });
    await net.run();
    const a = run.start(readerMachine, { id: 'a', input: { port: 7000 } });
    const b = run.start(readerMachine, { id: 'b', input: { port: 7000 } });
    await net.run();
    expect(await a.done).toBe('hello');
    expect(await b.done).toBe('hello');
    const actors = trace.records.filter((r) => r.type === 'actor');
    expect(actors).toContainEqual(expect.objectContaining({ actor: 'session1', machine: 'session', parent: 'server', role: 'session' }));
    expect(actors).toContainEqual(expect.objectContaining({ actor: 'session2', parent: 'server' }));
    // Each session's send is on its own lane, with the state that made it.
    const sends = trace.records.filter((r) => r.type === 'send');
    expect(sends.map((r) => r.actor).sort()).toEqual(['session1', 'session2']);
    expect(sends[0]).toMatchObject({ at: 'session.greeting' });
    await run.stop();
    expect(run.sockets.openCount).toBe(0);
  });

  it('runs machine timers on the virtual clock: a 2-second wait costs no wall time, and run() waits for it', async () => {
    const { net, trace, run } = simRun();
    run.start(slowServer, { id: 'slow', input: { port: 7001, delayMs: 2000 } });
    await net.run();
    const reader = run.start(readerMachine, { id: 'reader', input: { port: 7001 } });
    const wall = performance.now();
    await net.run();
    expect(performance.now() - wall).toBeLessThan(1000);
    expect(await reader.done).toBe('hello');
    const send = trace.records.find((r) => r.type === 'send')!;
    expect(send.t).toBeGreaterThanOrEqual(2000);
    await run.stop();
  });

  it('stores each byte once: the recv record points into the stream the send record holds', async () => {
    const { net, trace, run } = simRun();
    run.start(slowServer, { id: 'slow', input: { port: 7002, delayMs: 0 } });
    await net.run();
    run.start(readerMachine, { id: 'reader', input: { port: 7002 } });
    await net.run();
    // The first read holds all 5 bytes or, when the seed cuts the write, the first part of them.
    const recv = trace.records.find((r) => r.type === 'recv' && r.size > 0);
    expect(recv).toMatchObject({ offset: 0, size: expect.any(Number) });
    expect(recv).not.toHaveProperty('data');
    await run.stop();
  });
});

/** The patient reader (timeout `patienceMs`) against a server that answers after `delayMs`: it times out, then gets every byte. */
async function timeoutThenRead(transport: Transport, drive: (until: Promise<unknown>) => Promise<void>, delayMs: number, patienceMs: number) {
  const trace = new Trace({ transport: transport.kind, clock: () => transport.now() });
  const run = new RunSystem({ transport, trace });
  try {
    const listening = new Promise<void>((resolve) => trace.subscribe((r) => r.type === 'listen' && resolve()));
    const server = run.start(slowServer, { id: 'slow', input: { port: 0, delayMs } });
    await drive(listening);
    const port = trace.records.find((r) => r.type === 'listen')!.address.port;
    const reader = run.start(patientReader, { id: 'patient', input: { port, patienceMs } });
    await drive(reader.done);
    await drive(server.done);
    return { output: (await reader.done) as { got: string; timeouts: number }, trace };
  } finally {
    await run.stop();
  }
}

describe('leaving a state cancels the call it invoked', () => {
  it('on the simulated network: a recv cut short by a timeout loses no bytes', async () => {
    const net = createSimNetwork({ seed: 5 });
    const { output, trace } = await timeoutThenRead(net.transport(), () => net.run(), 5000, 2000);
    expect(output).toEqual({ got: 'hello', timeouts: 2 });
    expect(trace.records.filter((r) => r.type === 'cancel' && r.op === 'recv')).toHaveLength(2);
    expect(trace.records.filter((r) => r.type === 'error')).toHaveLength(0);
  });

  it('on real TCP: the same, in real time', async () => {
    const { output, trace } = await timeoutThenRead(createTcpTransport(), (p) => p.then(() => undefined), 1250, 500);
    expect(output).toEqual({ got: 'hello', timeouts: 2 });
    expect(trace.records.filter((r) => r.type === 'cancel' && r.op === 'recv')).toHaveLength(2);
    expect(trace.records.filter((r) => r.type === 'error')).toHaveLength(0);
  }, 15_000);
});

