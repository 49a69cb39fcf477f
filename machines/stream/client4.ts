/**
 * Lesson 4's reader: connect, call recv() until it returns no bytes (end
 * of data: the server closed its side), keep every piece, then join them
 * and print what arrived, line by line.
 *
 *   connecting ──connect──▶ receiving ──b''──▶ closing ──▶ done
 *                             │ ▲ a piece: keep it
 *                             └─┘
 *   too much (MAX_STREAM_BYTES) ──▶ closing ──▶ failed
 *   Any transport failure ──▶ failed
 *
 * Each recv() returns at most RECV_MAX bytes, and often fewer: whatever
 * has arrived. A piece may hold the end of one send and the start of the
 * next, or part of one. Only once the pieces are joined (reassembled) do
 * they read as the server's messages. client4.py:
 *
 *   chunks = []
 *   while True:
 *       chunk = sock.recv(1024)
 *       if not chunk:
 *           break
 *       chunks.append(chunk)
 *   data = b"".join(chunks)
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';
import { lineReport, MAX_STREAM_BYTES, RECV_MAX } from './messages.ts';

export interface Client4Input {
  host?: string;
  port?: number;
  /** Largest read per recv() call; default RECV_MAX. */
  recvMax?: number;
}

export interface Client4Context {
  host: string;
  port: number;
  recvMax: number;
  conn: string | null;
  /** Every piece recv() returned, in order. */
  chunks: Uint8Array[];
  received: number;
  text: string | null;
  error: SocketError | null;
}

/** The pieces joined into one: the stream as the server sent it. */
function reassemble(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const client4Machine = setup({
  types: {
    context: {} as Client4Context,
    input: {} as Client4Input,
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
    tooMuch: ({ context, event }) => context.received + outputOf<Uint8Array>(event).length > MAX_STREAM_BYTES,
    hadError: ({ context }) => context.error !== null,
  },
}).createMachine({
  id: 'client4',
  context: ({ input }) => ({
    host: input.host ?? '127.0.0.1',
    port: input.port ?? 12345,
    recvMax: input.recvMax ?? RECV_MAX,
    conn: null,
    chunks: [],
    received: 0,
    text: null,
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
        input: ({ context }) => ({ conn: context.conn!, max: context.recvMax }),
        onDone: [
          {
            guard: 'endOfData',
            target: 'closing',
            actions: [
              assign({ text: ({ context }) => new TextDecoder().decode(reassemble(context.chunks)) }),
              // What client4.py prints: how it went, then one line per line received.
              enqueueActions(({ context, enqueue }) => {
                enqueue.emit({ type: 'print', text: `${context.chunks.length} recv calls, ${context.received.toLocaleString('en-US')} bytes in all` });
                for (const text of lineReport(context.text ?? '')) enqueue.emit({ type: 'print', text });
              }),
            ],
          },
          {
            guard: 'tooMuch',
            target: 'closing',
            actions: assign({
              error: { code: 'ETOOBIG', message: `The server sent more than ${MAX_STREAM_BYTES} bytes, far more than lesson 4's server sends; check that this is the right server.` },
            }),
          },
          {
            target: 'receiving',
            reenter: true,
            actions: [
              emit(({ event }) => ({ type: 'print' as const, text: `recv: ${event.output.length} bytes` })),
              assign({
                chunks: ({ context, event }) => [...context.chunks, event.output],
                received: ({ context, event }) => context.received + event.output.length,
              }),
            ],
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
  output: ({ context }) => ({
    recvs: context.chunks.length,
    sizes: context.chunks.map((c) => c.length),
    text: context.text,
    error: context.error,
  }),
});
