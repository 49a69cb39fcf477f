/**
 * Lesson 2's server: an iterative server. It takes one client, holds the
 * whole conversation with it (session1a: LIST and QUIT), and only then
 * takes the next; clients that arrive meanwhile wait in the backlog.
 *
 *   binding ──listen──▶ accepting ──accept──▶ serving ──session done──▶ nextClient ──▶ accepting
 *                                              (session1a, waited for)       └── after maxClients: closingListener ──▶ done
 *
 *   A failure of the listening socket (listen, accept, closeListener) ──▶ failed
 *
 * The conversation is a child machine, started for each client and waited
 * for: Python's `handle(conn, addr, root)`, called in the accept loop. In
 * lesson 3, server2 starts the same child and does not wait.
 */
import { assign, emit, setup, spawnChild, stopChild } from 'xstate';
import { outputOf, socketActors, toSocketError, type AcceptOutput, type SocketError } from '../socket-calls.ts';
import { PORT } from './list-protocol.ts';
import { session1aMachine } from './session1a.ts';

/** The prefix of each conversation's actor id: handle1, handle2, ... */
const CHILD = 'handle';
const DONE_PREFIX = `xstate.done.actor.${CHILD}`;
const ERROR_PREFIX = `xstate.error.actor.${CHILD}`;

export interface Server1aInput {
  /** Address to bind; '0.0.0.0' accepts from any interface, like Python's ''. */
  host?: string;
  /** Port to listen on; 0 lets the operating system choose. */
  port?: number;
  /** How many finished handshakes may wait for accept() (Python's `listen(5)`). Default 5. */
  backlog?: number;
  /** Stop after this many clients (a simulated run must end); undefined serves forever. */
  maxClients?: number;
}

export interface Server1aContext {
  host: string;
  port: number;
  backlog: number;
  maxClients: number | null;
  listener: string | null;
  /** Clients accepted so far: names the next conversation. */
  accepted: number;
  /** Conversations finished. */
  served: number;
  error: SocketError | null;
}

/** The id of the child whose done or error event this is. */
function childOf(event: { type: string }): string {
  return event.type.slice(event.type.indexOf(CHILD));
}

export const server1aMachine = setup({
  types: {
    context: {} as Server1aContext,
    input: {} as Server1aInput,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    listen: socketActors.listen,
    accept: socketActors.accept,
    closeListener: socketActors.closeListener,
    session: session1aMachine,
  },
  actions: {
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    /** The conversation is over: stop its actor, so finished ones do not pile up. */
    endConversation: stopChild(({ event }) => childOf(event)),
  },
  guards: {
    noMoreClients: ({ context }) => context.maxClients !== null && context.served >= context.maxClients,
    /** The end of the conversation going on now (the latest one started). */
    isConversation: ({ context, event }) =>
      (event.type.startsWith(DONE_PREFIX) || event.type.startsWith(ERROR_PREFIX)) && childOf(event) === `${CHILD}${context.accepted}`,
  },
}).createMachine({
  id: 'server1a',
  context: ({ input }) => ({
    host: input.host ?? '0.0.0.0',
    port: input.port ?? PORT,
    backlog: input.backlog ?? 5,
    maxClients: input.maxClients ?? null,
    listener: null,
    accepted: 0,
    served: 0,
    error: null,
  }),
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
            emit(({ event }) => ({ type: 'print' as const, text: `server1a listening on ${event.output.address.host} port ${event.output.address.port}` })),
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
          target: 'serving',
          actions: [
            assign({ accepted: ({ context }) => context.accepted + 1 }),
            emit(({ event }) => ({ type: 'print' as const, text: `client connected from ${event.output.remote.host} port ${event.output.remote.port}` })),
            spawnChild('session', {
              id: ({ context }) => `${CHILD}${context.accepted}`,
              input: ({ event }) => ({ conn: outputOf<AcceptOutput>(event).conn, remote: outputOf<AcceptOutput>(event).remote }),
            }),
          ],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    serving: {
      // Wait for the conversation to end: nobody else is accepted meanwhile.
      on: {
        'xstate.done.actor.*': {
          guard: 'isConversation',
          target: 'nextClient',
          actions: ['endConversation', assign({ served: ({ context }) => context.served + 1 })],
        },
        'xstate.error.actor.*': {
          guard: 'isConversation',
          target: 'nextClient',
          actions: ['endConversation', assign({ served: ({ context }) => context.served + 1 })],
        },
      },
    },
    nextClient: {
      // Passed straight through: take the next client, or stop after the last one.
      always: [{ guard: 'noMoreClients', target: 'closingListener' }, { target: 'accepting' }],
    },
    closingListener: {
      invoke: {
        id: 'closeListener',
        src: 'closeListener',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: { target: 'done', actions: assign({ listener: null }) },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ served: context.served, error: context.error }),
});
