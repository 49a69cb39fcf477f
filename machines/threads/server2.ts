/**
 * Lesson 3's server: a thread per client. For each client it accepts, it
 * starts a conversation of its own (session2, the `handle` thread of
 * server2.py) and goes straight back to accept(): clients are served at the
 * same time, each on its own lane.
 *
 *   binding ──listen──▶ accepting ──accept, start threadN──▶ nextClient ──▶ accepting
 *                          ▲                                   │ MAX_SESSIONS running
 *                          └──── a thread ended ── waitingForThread ◀┘
 *                                                  after maxClients: closingListener ──▶ draining ──▶ done
 *
 *   Whenever a thread ends (in any state): stop its actor and count it out.
 *   A failure of the listening socket (listen, accept, closeListener) ──▶ failed
 *
 * A finished conversation's actor is stopped (stopChild) as soon as it
 * reaches its final state; otherwise a server that runs for days would keep
 * every one it ever started.
 */
import { assign, emit, enqueueActions, setup, stopChild } from 'xstate';
import { PORT } from '../commands/list-protocol.ts';
import { outputOf, socketActors, toSocketError, type AcceptOutput, type SocketError } from '../socket-calls.ts';
import { session2Machine } from './session2.ts';

/** At most this many conversations at once; further clients wait in the backlog until one ends. */
export const MAX_SESSIONS = 1000;

/**
 * A thread's name in the system, and so its lane in the trace: thread1,
 * thread2, ... (its `systemId`). Its XState id is its number ('1'): XState
 * copies a parent's `children` object on every spawn and stop, and with a
 * thousand children under names V8 made every copy an object of a new
 * shape and kept them all (the FTP listener found it first:
 * machines/ftp/server/listener.ts). Numbers are array elements, with no
 * shapes at all.
 */
const CHILD = 'thread';
const THREAD_ID = /^\d+$/;

export interface Server2Input {
  host?: string;
  port?: number;
  /** How many finished handshakes may wait for accept() (Python's `listen(5)`). Default 5. */
  backlog?: number;
  /** Stop accepting after this many clients, and end once they are served (a simulated run must end). */
  maxClients?: number;
  /** At most this many conversations at once. Default MAX_SESSIONS. */
  maxSessions?: number;
}

export interface Server2Context {
  host: string;
  port: number;
  backlog: number;
  maxClients: number | null;
  maxSessions: number;
  listener: string | null;
  accepted: number;
  /** The threads running now, by actor id. */
  threads: string[];
  /** How many threads run now. */
  running: number;
  /** The most that ever ran at once. */
  peak: number;
  served: number;
  error: SocketError | null;
}

/** The XState id of the actor an `xstate.done.actor.*` or `xstate.error.actor.*` event comes from. */
function childOf(event: { type: string }): string {
  return event.type.replace(/^xstate\.(done|error)\.actor\./, '');
}

export const server2Machine = setup({
  types: {
    context: {} as Server2Context,
    input: {} as Server2Input,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    listen: socketActors.listen,
    accept: socketActors.accept,
    closeListener: socketActors.closeListener,
    session: session2Machine,
  },
  actions: {
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    /** A thread ended: stop its actor, so finished ones do not pile up... */
    stopThread: stopChild(({ event }) => childOf(event)),
    /** ...and count it out. */
    countThreadOut: assign(({ context, event }) => {
      const threads = context.threads.filter((id) => id !== childOf(event));
      return { threads, running: threads.length, served: context.served + 1 };
    }),
  },
  guards: {
    /** The end of one of this server's running threads (and not, say, of its own accept call). */
    isThread: ({ context, event }) => {
      const id = childOf(event);
      return id !== event.type && THREAD_ID.test(id) && context.threads.includes(id);
    },
    noMoreClients: ({ context }) => context.maxClients !== null && context.accepted >= context.maxClients,
    allThreadsBusy: ({ context }) => context.running >= context.maxSessions,
    threadFree: ({ context }) => context.running < context.maxSessions,
    noThreadRunning: ({ context }) => context.running === 0,
  },
}).createMachine({
  id: 'server2',
  context: ({ input }) => ({
    host: input.host ?? '0.0.0.0',
    port: input.port ?? PORT,
    backlog: input.backlog ?? 5,
    maxClients: input.maxClients ?? null,
    maxSessions: input.maxSessions ?? MAX_SESSIONS,
    listener: null,
    accepted: 0,
    threads: [],
    running: 0,
    peak: 0,
    served: 0,
    error: null,
  }),
  // A thread may end whatever the server is doing.
  on: {
    'xstate.done.actor.*': { guard: 'isThread', actions: ['stopThread', 'countThreadOut'] },
    'xstate.error.actor.*': { guard: 'isThread', actions: ['stopThread', 'countThreadOut'] },
  },
  initial: 'binding',
  states: {
    binding: {
      invoke: {
        id: 'listen',
        src: 'listen',
        input: ({ context }) => ({ host: context.host, port: context.port, backlog: context.backlog }),
        onDone: {
          target: 'accepting',
          actions: [
            assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }),
            emit(({ event }) => ({ type: 'print' as const, text: `server2 listening on ${event.output.address.host} port ${event.output.address.port}` })),
          ],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    accepting: {
      invoke: {
        id: 'accept',
        src: 'accept',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: {
          target: 'nextClient',
          actions: [
            assign(({ context }) => {
              const threads = [...context.threads, String(context.accepted + 1)];
              return { accepted: context.accepted + 1, threads, running: threads.length, peak: Math.max(context.peak, threads.length) };
            }),
            emit(({ event }) => ({ type: 'print' as const, text: `client connected from ${event.output.remote.host} port ${event.output.remote.port}` })),
            // (Counted above: thread N is the Nth accepted.) An enqueued spawn, as a systemId cannot be computed otherwise.
            enqueueActions(({ context, event, enqueue }) => {
              const { conn, remote } = outputOf<AcceptOutput>(event);
              enqueue.spawnChild('session', { id: String(context.accepted), systemId: `${CHILD}${context.accepted}`, input: { conn, remote } });
            }),
          ],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    nextClient: {
      // Passed straight through: back to accept() at once, unless every thread is busy or the run is over.
      always: [
        { guard: 'noMoreClients', target: 'closingListener' },
        { guard: 'allThreadsBusy', target: 'waitingForThread' },
        { target: 'accepting' },
      ],
    },
    waitingForThread: {
      always: { guard: 'threadFree', target: 'accepting' },
    },
    closingListener: {
      invoke: {
        id: 'closeListener',
        src: 'closeListener',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: { target: 'draining', actions: assign({ listener: null }) },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    draining: {
      // No new clients: wait for the threads still running.
      always: { guard: 'noThreadRunning', target: 'done' },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ served: context.served, peak: context.peak, error: context.error }),
});
