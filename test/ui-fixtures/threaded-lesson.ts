/**
 * A multi-actor lesson of our own, so that the page's models are tested on
 * the shape of lesson 3 (a server, a session per client, three clients,
 * and the same clients against an iterative server) whatever the real
 * lessons become:
 *
 *   fxserver ──accept──▶ spawns fxsession per client ──▶ accepting again
 *   fxsession: send "hi\n", recv one line, send it back, close; print what it did
 *   fxclient: connect, recv until end of data, send "yo\n" after the greeting, close; print the reply
 *   fxiterative: the same conversation, one client at a time, no child
 *
 * The listener is labelled `control`, so its connections carry a label.
 */
import { assign, emit, setup, spawnChild } from 'xstate';
import { defineLesson, type Program } from '../../lessons/lesson-types.ts';
import { socketActors, type AcceptOutput } from '../../machines/socket-calls.ts';

const HI = new TextEncoder().encode('hi\n');
const YO = new TextEncoder().encode('yo\n');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const sessionMachine = setup({
  types: { input: {} as { conn: string }, context: {} as { conn: string; got: string }, emitted: {} as { type: 'print'; text: string } },
  actors: { send: socketActors.send, recv: socketActors.recv, close: socketActors.close },
}).createMachine({
  id: 'fxsession',
  context: ({ input }) => ({ conn: input.conn, got: '' }),
  initial: 'greeting',
  states: {
    greeting: { invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: HI }), onDone: 'reading', onError: 'closing' } },
    reading: {
      invoke: {
        src: 'recv',
        input: ({ context }) => ({ conn: context.conn, max: 64 }),
        onDone: [
          { guard: ({ event }) => event.output.length === 0, target: 'closing' },
          {
            guard: ({ context, event }) => (context.got + text(event.output)).includes('\n'),
            target: 'echoing',
            actions: assign({ got: ({ context, event }) => context.got + text(event.output) }),
          },
          { target: 'reading', reenter: true, actions: assign({ got: ({ context, event }) => context.got + text(event.output) }) },
        ],
        onError: 'closing',
      },
    },
    echoing: {
      entry: emit(({ context }) => ({ type: 'print' as const, text: `echo ${context.got.trim()}` })),
      invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: new TextEncoder().encode(context.got) }), onDone: 'closing', onError: 'closing' },
    },
    closing: { invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'done', onError: 'done' } },
    done: { type: 'final' },
  },
});

const serverMachine = setup({
  types: { input: {} as { host: string; port: number }, context: {} as { host: string; port: number; listener: string; n: number } },
  actors: { listen: socketActors.listen, accept: socketActors.accept, session: sessionMachine },
}).createMachine({
  id: 'fxserver',
  context: ({ input }) => ({ ...input, listener: '', n: 0 }),
  initial: 'binding',
  states: {
    binding: {
      invoke: {
        src: 'listen',
        input: ({ context }) => ({ host: context.host, port: context.port, backlog: 5, label: 'control' }),
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
            spawnChild('session', { id: ({ context }) => `session${context.n}`, input: ({ event }) => ({ conn: (event.output as AcceptOutput).conn }) }),
          ],
        },
      },
    },
  },
});

/** One client at a time, the session's conversation done in line. */
const iterativeMachine = setup({
  types: { input: {} as { host: string; port: number }, context: {} as { host: string; port: number; listener: string; conn: string; got: string } },
  actors: { listen: socketActors.listen, accept: socketActors.accept, send: socketActors.send, recv: socketActors.recv, close: socketActors.close },
}).createMachine({
  id: 'fxiterative',
  context: ({ input }) => ({ ...input, listener: '', conn: '', got: '' }),
  initial: 'binding',
  states: {
    binding: {
      invoke: {
        src: 'listen',
        input: ({ context }) => ({ host: context.host, port: context.port, backlog: 5, label: 'control' }),
        onDone: { target: 'accepting', actions: assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }) },
      },
    },
    accepting: {
      invoke: {
        src: 'accept',
        input: ({ context }) => ({ listener: context.listener }),
        onDone: { target: 'greeting', actions: assign({ conn: ({ event }) => event.output.conn, got: '' }) },
      },
    },
    greeting: { invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: HI }), onDone: 'reading', onError: 'closing' } },
    reading: {
      invoke: {
        src: 'recv',
        input: ({ context }) => ({ conn: context.conn, max: 64 }),
        onDone: [
          { guard: ({ event }) => event.output.length === 0, target: 'closing' },
          {
            guard: ({ context, event }) => (context.got + text(event.output)).includes('\n'),
            target: 'echoing',
            actions: assign({ got: ({ context, event }) => context.got + text(event.output) }),
          },
          { target: 'reading', reenter: true, actions: assign({ got: ({ context, event }) => context.got + text(event.output) }) },
        ],
        onError: 'closing',
      },
    },
    echoing: { invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: new TextEncoder().encode(context.got) }), onDone: 'closing', onError: 'closing' } },
    closing: { invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'accepting', onError: 'accepting' } },
  },
});

const clientMachine = setup({
  types: {
    input: {} as { host: string; port: number },
    context: {} as { host: string; port: number; conn: string; got: string; answered: boolean },
    emitted: {} as { type: 'print'; text: string },
  },
  actors: { connect: socketActors.connect, recv: socketActors.recv, send: socketActors.send, close: socketActors.close },
}).createMachine({
  id: 'fxclient',
  context: ({ input }) => ({ ...input, conn: '', got: '', answered: false }),
  initial: 'connecting',
  states: {
    connecting: {
      invoke: {
        src: 'connect',
        input: ({ context }) => ({ host: context.host, port: context.port }),
        onDone: { target: 'receiving', actions: assign({ conn: ({ event }) => event.output.conn }) },
        onError: 'failed',
      },
    },
    receiving: {
      invoke: {
        src: 'recv',
        input: ({ context }) => ({ conn: context.conn, max: 64 }),
        onDone: [
          { guard: ({ event }) => event.output.length === 0, target: 'closing' },
          {
            guard: ({ context, event }) => !context.answered && (context.got + text(event.output)).includes('\n'),
            target: 'answering',
            actions: assign({ got: ({ context, event }) => context.got + text(event.output) }),
          },
          { target: 'receiving', reenter: true, actions: assign({ got: ({ context, event }) => context.got + text(event.output) }) },
        ],
        onError: 'failed',
      },
    },
    answering: {
      invoke: { src: 'send', input: ({ context }) => ({ conn: context.conn, bytes: YO }), onDone: { target: 'receiving', actions: assign({ answered: true }) }, onError: 'failed' },
    },
    closing: {
      entry: emit(({ context }) => ({ type: 'print' as const, text: context.got.trim().replace(/\n/g, ' | ') })),
      invoke: { src: 'close', input: ({ context }) => ({ conn: context.conn }), onDone: 'done', onError: 'failed' },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ got: context.got }),
});

const clients: Program[] = [1, 2, 3].map((n) => ({
  actor: `fxclient${n}`,
  machine: clientMachine,
  startAfterMs: n - 1,
  input: ({ host, port }) => ({ host, port }),
}));

/** Fake Python for the line tests: each machine's calls on their own lines. */
export const FIXTURE_SCRIPTS = {
  'fxserver.py': [
    '# fxserver: a thread per client',
    'import socket, threading',
    'listening = socket.socket()',
    'listening.bind(("", 12345))',
    'listening.listen(5)',
    'while True:',
    '    conn, addr = listening.accept()  # a new socket',
    '    threading.Thread(target=handle, args=(conn,)).start()',
    'def handle(conn):',
    '    conn.sendall(b"hi\\n")',
    '    line = conn.recv(64)',
    '    print("echo", line)',
    '    conn.sendall(line)',
    '    conn.close()',
  ].join('\n'),
  'fxclient.py': [
    'import socket',
    'sock = socket.socket()',
    'sock.connect(("127.0.0.1", 12345))',
    'data = sock.recv(64)',
    'sock.sendall(b"yo\\n")',
    'print(data)',
    'sock.close()',
  ].join('\n'),
} as const;

export const threadedLesson = defineLesson({
  id: 'fx-threaded',
  machines: [
    {
      machine: serverMachine,
      role: 'server',
      script: 'fxserver.py',
      lines: { 'fxserver.binding': 'listening.listen(5)', 'fxserver.accepting': 'listening.accept()' },
    },
    {
      machine: sessionMachine,
      role: 'session',
      script: 'fxserver.py',
      lines: {
        'fxsession.greeting': 'conn.sendall(b"hi',
        'fxsession.reading': 'conn.recv(64)',
        'fxsession.echoing': 'conn.sendall(line)',
        'fxsession.closing': 'conn.close()',
      },
    },
    {
      machine: clientMachine,
      role: 'client',
      script: 'fxclient.py',
      lines: {
        'fxclient.connecting': 'sock.connect(',
        'fxclient.receiving': 'sock.recv(64)',
        'fxclient.answering': 'sock.sendall(',
        'fxclient.closing': 'sock.close()',
      },
    },
    { machine: iterativeMachine, role: 'server' },
  ],
  scenarios: [
    { id: 'threads', title: 'a session per client', servers: [{ actor: 'fxserver', machine: serverMachine, input: ({ host, port }) => ({ host, port }) }], clients },
    {
      id: 'iterative',
      title: 'one at a time',
      servers: [{ actor: 'fxiterative', machine: iterativeMachine, input: ({ host, port }) => ({ host, port }) }],
      clients,
    },
  ],
});
