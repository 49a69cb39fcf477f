/**
 * Lesson 1's client: connect to (host, port), read until the server closes
 * the connection, decode the bytes as UTF-8, close.
 *
 *   connecting ──connect──▶ receiving ──end of data──▶ closing ──▶ done
 *                             │ ▲ some bytes              ▲
 *                             └─┘                          │
 *                             └──── too many bytes ────────┘ ──▶ failed
 *
 *   Any transport failure (refused, reset, ...) ──▶ failed
 *
 * One recv call may return part of the greeting, or all of it: TCP is a
 * byte stream, so the client keeps reading until recv returns no bytes,
 * which means the server has closed its side.
 */
import { assign, emit, setup } from 'xstate';
import { concatBytes } from '../bytes.ts';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';

/** Largest read per recv call, as in Python's `s.recv(1024)`. */
export const RECV_MAX = 1024;
/** A greeting is short; refuse to buffer more than this from a misbehaving server. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface Client1Input {
  host?: string;
  port?: number;
}

export interface Client1Context {
  host: string;
  port: number;
  conn: string | null;
  received: Uint8Array;
  message: string | null;
  error: SocketError | null;
}

export const client1Machine = setup({
  types: {
    context: {} as Client1Context,
    input: {} as Client1Input,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    connect: socketActors.connect,
    recv: socketActors.recv,
    close: socketActors.close,
  },
  actions: {
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
  },
  guards: {
    endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
    tooMuch: ({ context, event }) => context.received.length + outputOf<Uint8Array>(event).length > MAX_MESSAGE_BYTES,
    /** The run went wrong before the close: end in `failed`, not `done`. */
    hadError: ({ context }) => context.error !== null,
  },
}).createMachine({
  id: 'client1',
  context: ({ input }) => ({
    host: input.host ?? '127.0.0.1',
    port: input.port ?? 12345,
    conn: null,
    received: new Uint8Array(0),
    message: null,
    error: null,
  }),
  initial: 'connecting',
  states: {
    connecting: {
      invoke: {
        id: 'connect',
        src: 'connect',
        input: ({ context }) => ({ host: context.host, port: context.port }),
        onDone: { target: 'receiving', actions: assign({ conn: ({ event }) => event.output.conn }) },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    receiving: {
      invoke: {
        id: 'recv',
        src: 'recv',
        input: ({ context }) => ({ conn: context.conn!, max: RECV_MAX }),
        onDone: [
          {
            guard: 'endOfData',
            target: 'closing',
            actions: [
              assign({ message: ({ context }) => new TextDecoder().decode(context.received) }),
              // What client1.py prints: the greeting.
              emit(({ context }) => ({ type: 'print' as const, text: context.message ?? '' })),
            ],
          },
          {
            guard: 'tooMuch',
            target: 'closing',
            actions: assign({
              error: {
                code: 'ETOOBIG',
                message: `The server sent more than ${MAX_MESSAGE_BYTES} bytes, far more than a greeting; check that this is the right server.`,
              },
            }),
          },
          {
            target: 'receiving',
            reenter: true,
            actions: assign({ received: ({ context, event }) => concatBytes(context.received, event.output) }),
          },
        ],
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    closing: {
      invoke: {
        id: 'close',
        src: 'close',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: [
          { guard: 'hadError', target: 'failed', actions: assign({ conn: null }) },
          { target: 'done', actions: assign({ conn: null }) },
        ],
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ message: context.message, error: context.error }),
});
