/**
 * Lesson 4's mistake, on purpose: a reader that calls recv() once and takes
 * what it gets for the whole message. It works when everything has arrived
 * by then, as it often has on loopback, and silently gets part of the
 * stream otherwise: a piece of the first send, the first two joined, the
 * first 1,024 bytes. client4_once.py:
 *
 *   data = sock.recv(1024)     # WRONG: at most 1024 bytes of whatever has arrived
 *   print(f"got {len(data)} bytes: {data...!r}")
 *
 *   connecting ──connect──▶ receiving ──any bytes──▶ closing ──▶ done
 *   Any transport failure ──▶ failed
 *
 * Closing with bytes still unread makes the connection end in a reset
 * (RFC 2525 section 2.17): the server may see ECONNRESET.
 */
import { assign, emit, setup } from 'xstate';
import { socketActors, toSocketError, type SocketError } from '../socket-calls.ts';
import { pythonRepr, RECV_MAX, SHOWN_CHARS } from './messages.ts';

export interface Client4OnceInput {
  host?: string;
  port?: number;
}

export interface Client4OnceContext {
  host: string;
  port: number;
  conn: string | null;
  received: Uint8Array | null;
  error: SocketError | null;
}

/** What client4_once.py prints of what it got. */
export function gotReport(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  const chars = [...text];
  const shown = chars.length > SHOWN_CHARS ? `${chars.slice(0, SHOWN_CHARS).join('')}…` : text;
  return `got ${bytes.length} bytes: ${pythonRepr(shown)}`;
}

export const client4onceMachine = setup({
  types: {
    context: {} as Client4OnceContext,
    input: {} as Client4OnceInput,
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
}).createMachine({
  id: 'client4once',
  context: ({ input }) => ({ host: input.host ?? '127.0.0.1', port: input.port ?? 12345, conn: null, received: null, error: null }),
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
        onDone: {
          target: 'closing',
          actions: [assign({ received: ({ event }) => event.output }), emit(({ event }) => ({ type: 'print' as const, text: gotReport(event.output) }))],
        },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    closing: {
      invoke: {
        id: 'close',
        src: 'close',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: { target: 'done', actions: assign({ conn: null }) },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({
    size: context.received?.length ?? 0,
    text: context.received === null ? null : new TextDecoder().decode(context.received),
    error: context.error,
  }),
});
