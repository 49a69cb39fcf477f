/**
 * Lesson 4's server: take one client at a time and send it four messages,
 * each with send() calls of its own, then close: the stream's end.
 *
 *   binding ──listen──▶ accepting ──accept──▶ sending ──message sent──▶ nextMessage ──more──▶ sending
 *                          ▲                   │ ▲ part sent                 │ none left
 *                          │                   └─┘ (send the rest)           ▼
 *                          │            send failed ──▶ droppingClient ──▶ closingClient
 *                          │                                                 │
 *                          └──────────── nextClient ◀────────────────────────┘
 *                                           after maxClients: closingListener ──▶ done
 *
 *   A failure of the listening socket (listen, accept, closeListener) ──▶ failed
 *
 * send() takes what fits in the send buffer and says how much it took;
 * `sending` offers the rest again until the message is out: server4.py's
 *
 *   sent = 0
 *   while sent < len(message):
 *       sent += conn.send(message[sent:])
 *
 * (what Python's sendall() does for you). Each send prints how many bytes
 * it took of how many offered, as server4.py does.
 */
import { assign, emit, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';
import { messageBytes, MESSAGES } from './messages.ts';

export interface Server4Input {
  host?: string;
  port?: number;
  /** Stop after this many clients (a simulated run must end); undefined serves forever. */
  maxClients?: number;
  /** What to send; default MESSAGES. */
  messages?: readonly string[];
}

export interface Server4Context {
  host: string;
  port: number;
  backlog: number;
  maxClients: number | null;
  messages: Uint8Array[];
  listener: string | null;
  conn: string | null;
  /** The message being sent, and how much of it send() has taken. */
  message: number;
  sent: number;
  /** send() calls on this connection, and how many took only part of what they were offered. */
  sends: number;
  partial: number;
  served: number;
  dropped: number;
  clientError: SocketError | null;
  error: SocketError | null;
}

export const server4Machine = setup({
  types: {
    context: {} as Server4Context,
    input: {} as Server4Input,
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
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    recordClientError: assign({ clientError: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    /** One send() call: what it took, printed as server4.py prints it. */
    noteSent: assign(({ context, event }) => {
      const took = outputOf<number>(event);
      const offered = context.messages[context.message]!.length - context.sent;
      return { sent: context.sent + took, sends: context.sends + 1, partial: context.partial + (took < offered ? 1 : 0) };
    }),
    printSent: emit(({ context, event }) => {
      const took = outputOf<number>(event);
      return { type: 'print' as const, text: `send: ${took} of ${context.messages[context.message]!.length - context.sent} bytes` };
    }),
  },
  guards: {
    messageSent: ({ context, event }) => context.sent + outputOf<number>(event) >= context.messages[context.message]!.length,
    noMessageLeft: ({ context }) => context.message >= context.messages.length,
    noMoreClients: ({ context }) => context.maxClients !== null && context.served + context.dropped >= context.maxClients,
  },
}).createMachine({
  id: 'server4',
  context: ({ input }) => ({
    host: input.host ?? '0.0.0.0',
    port: input.port ?? 12345,
    backlog: 5,
    maxClients: input.maxClients ?? null,
    messages: messageBytes(input.messages ?? MESSAGES),
    listener: null,
    conn: null,
    message: 0,
    sent: 0,
    sends: 0,
    partial: 0,
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
            assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }),
            emit(({ event }) => ({ type: 'print' as const, text: `server4 listening on ${event.output.address.host} port ${event.output.address.port}` })),
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
          target: 'nextMessage',
          actions: [
            assign({ conn: ({ event }) => event.output.conn, message: 0, sent: 0, sends: 0, partial: 0, clientError: null }),
            emit(({ event }) => ({ type: 'print' as const, text: `client connected from ${event.output.remote.host} port ${event.output.remote.port}` })),
          ],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    nextMessage: {
      // Passed straight through: the next message, or the end of the stream.
      always: [{ guard: 'noMessageLeft', target: 'closingClient' }, { target: 'sending' }],
    },
    sending: {
      invoke: {
        id: 'send',
        src: 'send',
        input: ({ context }) => ({ conn: context.conn!, bytes: context.messages[context.message]!.subarray(context.sent) }),
        onDone: [
          {
            guard: 'messageSent',
            target: 'nextMessage',
            actions: ['printSent', 'noteSent', assign({ message: ({ context }) => context.message + 1, sent: 0 })],
          },
          // send() took part of it: offer the rest.
          { target: 'sending', reenter: true, actions: ['printSent', 'noteSent'] },
        ],
        onError: { target: 'droppingClient', actions: 'recordClientError' },
      },
    },
    closingClient: {
      // The end of the stream: the reader's next recv() returns b''.
      invoke: {
        id: 'close',
        src: 'close',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: { target: 'nextClient', actions: assign({ served: ({ context }) => context.served + 1 }) },
        onError: { target: 'nextClient', actions: ['recordClientError', assign({ served: ({ context }) => context.served + 1 })] },
      },
    },
    droppingClient: {
      // The client went away mid-stream: close what is left and take the next one.
      entry: emit(({ context }) => ({ type: 'print' as const, text: `client dropped: ${context.clientError?.message ?? 'the connection failed'}` })),
      invoke: {
        id: 'drop',
        src: 'close',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: { target: 'nextClient', actions: assign({ dropped: ({ context }) => context.dropped + 1 }) },
        onError: { target: 'nextClient', actions: assign({ dropped: ({ context }) => context.dropped + 1 }) },
      },
    },
    nextClient: {
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
  output: ({ context }) => ({ served: context.served, dropped: context.dropped, sends: context.sends, partial: context.partial, error: context.error }),
});
