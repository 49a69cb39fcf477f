/**
 * Lesson 1's server: listen on a port with a backlog of 5, take one client
 * at a time, send it "You are connected" in UTF-8, close that connection and
 * go back for the next client.
 *
 *   binding ──listen──▶ accepting ──accept──▶ sending ──all sent──▶ closingClient
 *                          ▲                   │ ▲ part sent             │
 *                          │                   │ └─┘                     │
 *                          │           send failed                      │
 *                          │                   ▼                         ▼
 *                          │            droppingClient ─────────────▶ nextClient
 *                          └──────────────────────────────────────────────┤
 *                                          after maxClients: closingListener ──▶ done
 *
 *   A failure of the listening socket (listen, accept, closeListener) ──▶ failed
 *
 * `send` may take only part of the bytes (TCP flow control), so `sending`
 * loops until every byte is accepted: the machine version of Python's
 * `sendall`.
 *
 * A client that vanishes (its connection reset while we send) is that
 * client's problem, not the server's: `droppingClient` closes its socket and
 * the server goes back to accepting. Only a failure of the listening socket
 * itself ends the server in `failed`.
 */
import { assign, emit, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';

export const GREETING = 'You are connected';
const GREETING_BYTES = new TextEncoder().encode(GREETING);

export interface Server1Input {
  /** Address to bind; '0.0.0.0' accepts from any interface, like Python's ''. */
  host?: string;
  /** Port to listen on; 0 lets the operating system choose. */
  port?: number;
  /** Stop after this many clients (a simulated run must end); undefined serves forever. */
  maxClients?: number;
}

export interface Server1Context {
  host: string;
  port: number;
  backlog: number;
  maxClients: number | null;
  listener: string | null;
  conn: string | null;
  /** Bytes of the greeting already accepted on the current connection. */
  sent: number;
  /** Clients greeted in full. */
  served: number;
  /** Clients lost to a transport failure before their greeting was complete. */
  dropped: number;
  /** The last client's failure, if it had one. */
  clientError: SocketError | null;
  /** Why the server itself stopped, if it failed. */
  error: SocketError | null;
}

export const server1Machine = setup({
  types: {
    context: {} as Server1Context,
    input: {} as Server1Input,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    listen: socketActors.listen,
    accept: socketActors.accept,
    send: socketActors.send,
    close: socketActors.close,
    closeListener: socketActors.closeListener,
  },
  actions: {
    /** What server1.py prints. */
    print: emit((_, params: { text: string }) => ({ type: 'print' as const, text: params.text })),
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    recordClientError: assign({ clientError: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
  },
  guards: {
    sentEverything: ({ context, event }) => context.sent + outputOf<number>(event) >= GREETING_BYTES.length,
    /** The server has handled as many clients as it was asked to. */
    noMoreClients: ({ context }) =>
      context.maxClients !== null && context.served + context.dropped >= context.maxClients,
  },
}).createMachine({
  id: 'server1',
  context: ({ input }) => ({
    host: input.host ?? '0.0.0.0',
    port: input.port ?? 12345,
    backlog: 5,
    maxClients: input.maxClients ?? null,
    listener: null,
    conn: null,
    sent: 0,
    served: 0,
    dropped: 0,
    clientError: null,
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
            assign({
              listener: ({ event }) => event.output.listener,
              port: ({ event }) => event.output.address.port,
            }),
            {
              type: 'print',
              params: ({ event }) => ({ text: `server1 listening on ${event.output.address.host} port ${event.output.address.port}` }),
            },
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
          target: 'sending',
          actions: [
            assign({ conn: ({ event }) => event.output.conn, sent: 0, clientError: null }),
            {
              type: 'print',
              params: ({ event }) => ({ text: `client connected from ${event.output.remote.host} port ${event.output.remote.port}` }),
            },
          ],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    sending: {
      invoke: {
        id: 'send',
        src: 'send',
        input: ({ context }) => ({ conn: context.conn!, bytes: GREETING_BYTES.subarray(context.sent) }),
        onDone: [
          {
            guard: 'sentEverything',
            target: 'closingClient',
            actions: assign({
              sent: ({ context, event }) => context.sent + event.output,
              served: ({ context }) => context.served + 1,
            }),
          },
          {
            // A partial send: offer the rest again.
            target: 'sending',
            reenter: true,
            actions: assign({ sent: ({ context, event }) => context.sent + event.output }),
          },
        ],
        onError: {
          target: 'droppingClient',
          actions: [
            'recordClientError',
            assign({ dropped: ({ context }) => context.dropped + 1 }),
            { type: 'print', params: ({ context }) => ({ text: `client dropped: ${context.clientError?.message ?? 'connection lost'}` }) },
          ],
        },
      },
    },
    closingClient: {
      invoke: {
        id: 'close',
        src: 'close',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: 'nextClient',
        // The greeting is out; a failing close cannot take it back.
        onError: { target: 'nextClient', actions: 'recordClientError' },
      },
    },
    droppingClient: {
      // Close what is left of the failed connection; if even that fails, it is gone anyway.
      invoke: {
        id: 'drop',
        src: 'close',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: 'nextClient',
        onError: 'nextClient',
      },
    },
    nextClient: {
      // Passed straight through: take the next client, or stop after the last one.
      entry: assign({ conn: null }),
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
  output: ({ context }) => ({ served: context.served, dropped: context.dropped, error: context.error }),
});
