/**
 * One client's conversation on the server side, the `handle(conn, addr,
 * root)` function of server1a.py and server2.py: greet, then read commands
 * through a line buffer and answer each one until QUIT, and close.
 *
 *   greeting ──▶ reading ──some bytes──▶ nextCommand ──LIST──▶ listing ──▶ sendingListing ─┐
 *                  ▲                      │  │  │  │                                        │
 *                  └──── no whole line ───┘  │  │  └─QUIT──▶ sayingGoodbye ──▶ closing ──▶ done
 *                                            │  └──other──▶ refusingCommand ─┐      ▲
 *                                            └──not UTF-8──▶ refusingBytes ──┤      │
 *                  nextCommand ◀─────────────────────────────────────────────┘      │
 *                  line over 4 KiB ──▶ refusingLongLine ────────────────────────────┤
 *                  end of data or a failed call (the client vanished) ──────────────┘
 *
 * A recv may return half a command or several (line-buffer.ts): lines that
 * are complete wait in `lines` and are answered in order before the next
 * recv. Each reply is sent with a loop (`send` may take part of it), the
 * machine version of Python's `sendall`; each kind of reply has its own
 * state because each is its own line of the Python script.
 *
 * Lesson 2's iterative server (server1a) and lesson 3's threaded one
 * (server2) run the same conversation under two names, session1a and
 * session2, so each highlights the lines of its own script.
 */
import { assign, emit, setup } from 'xstate';
import { fileActors, type ListOutput } from '../file-calls.ts';
import { outputOf, socketActors, toSocketError, type Endpoint, type SocketError } from '../socket-calls.ts';
import { takeLines } from './line-buffer.ts';
import {
  GOODBYE,
  GREETING,
  listErrorReply,
  listingReply,
  NOT_TEXT,
  parseCommand,
  RECV_MAX,
  replyBytes,
  TOO_LONG,
  UNKNOWN_COMMAND,
  type Command,
} from './list-protocol.ts';

export interface SessionInput {
  /** The accepted connection. */
  conn: string;
  /** The client's address, for what the server prints. */
  remote: Endpoint;
  /** The folder LIST lists, relative to the run's folder. Default '.'. */
  folder?: string;
}

/** How the conversation ended. */
export type SessionEnd = 'quit' | 'vanished' | 'tooLong' | 'failed';

export interface SessionContext {
  conn: string;
  /** '127.0.0.1 port 50000': who this is, in what the server prints. */
  who: string;
  folder: string;
  /** Bytes of a line whose end has not arrived yet. */
  rest: Uint8Array;
  /** Complete lines not answered yet, oldest first. */
  lines: Uint8Array[];
  /** A line over the limit follows `lines`. */
  tooLong: boolean;
  /** The reply being sent, and how much of it is sent. */
  reply: Uint8Array;
  sent: number;
  /** Commands answered. */
  commands: number;
  end: SessionEnd | null;
  error: SocketError | null;
}

export interface SessionOutput {
  commands: number;
  end: SessionEnd | null;
  error: SocketError | null;
}

const NO_BYTES = new Uint8Array(0);

/** The command on the first waiting line. */
function firstCommand(context: SessionContext): Command | null {
  const line = context.lines[0];
  return line === undefined ? null : parseCommand(line);
}

/** The session machine under the id `id`: 'session1a' or 'session2'. */
export function createSessionMachine(id: string) {
  /** A state that sends `context.reply` in full, then goes to `next`; a failed send ends the conversation. */
  const sendingAll = (self: string, next: string) => ({
    invoke: {
      id: 'send',
      src: 'send' as const,
      input: ({ context }: { context: SessionContext }) => ({ conn: context.conn, bytes: context.reply.subarray(context.sent) }),
      onDone: [
        { guard: 'sentAll' as const, target: next, actions: 'noteSent' as const },
        // Part of the reply was taken: offer the rest again.
        { target: self, reenter: true, actions: 'noteSent' as const },
      ],
      onError: { target: 'closing', actions: ['recordError' as const, 'printDropped' as const] },
    },
  });
  return setup({
    types: {
      context: {} as SessionContext,
      input: {} as SessionInput,
      output: {} as SessionOutput,
      emitted: {} as { type: 'print'; text: string },
    },
    actors: {
      send: socketActors.send,
      recv: socketActors.recv,
      close: socketActors.close,
      list: fileActors.list,
    },
    actions: {
      /** What the Python script prints. */
      print: emit((_, params: { text: string }) => ({ type: 'print' as const, text: params.text })),
      /** Take the first waiting line as answered, with `reply` to send. */
      answer: assign(({ context }, params: { reply: string[] }) => ({
        lines: context.lines.slice(1),
        commands: context.commands + 1,
        reply: replyBytes(params.reply),
        sent: 0,
      })),
      noteSent: assign({ sent: ({ context, event }) => context.sent + outputOf<number>(event) }),
      /** The client vanished (a reset, say): what server1a.py prints when its conversation fails. */
      printDropped: emit(({ context, event }) => ({
        type: 'print' as const,
        text: `${context.who} dropped: ${toSocketError((event as { error?: unknown }).error).message}`,
      })),
      recordError: assign({
        error: ({ event }) => toSocketError((event as { error?: unknown }).error),
        end: 'failed' as const,
      }),
    },
    guards: {
      sentAll: ({ context, event }) => context.sent + outputOf<number>(event) >= context.reply.length,
      endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
      noLine: ({ context }) => context.lines.length === 0 && !context.tooLong,
      lineTooLong: ({ context }) => context.lines.length === 0 && context.tooLong,
      isList: ({ context }) => firstCommand(context) === 'list',
      isQuit: ({ context }) => firstCommand(context) === 'quit',
      isNotText: ({ context }) => firstCommand(context) === 'notText',
    },
  }).createMachine({
    id,
    context: ({ input }) => ({
      conn: input.conn,
      who: `${input.remote.host} port ${input.remote.port}`,
      folder: input.folder ?? '.',
      rest: NO_BYTES,
      lines: [],
      tooLong: false,
      reply: replyBytes([GREETING]),
      sent: 0,
      commands: 0,
      end: null,
      error: null,
    }),
    initial: 'greeting',
    states: {
      greeting: sendingAll('greeting', 'reading'),
      reading: {
        invoke: {
          id: 'recv',
          src: 'recv',
          input: ({ context }) => ({ conn: context.conn, max: RECV_MAX }),
          onDone: [
            {
              // End of data before QUIT: the client went away, mid-command or between commands.
              guard: 'endOfData',
              target: 'closing',
              actions: [assign({ end: 'vanished' }), { type: 'print', params: ({ context: c }) => ({ text: `${c.who} left without QUIT` }) }],
            },
            {
              target: 'nextCommand',
              actions: assign(({ context, event }) => {
                const taken = takeLines(context.rest, event.output);
                return { lines: [...context.lines, ...taken.lines], rest: taken.rest, tooLong: taken.tooLong };
              }),
            },
          ],
          onError: { target: 'closing', actions: ['recordError', 'printDropped'] },
        },
      },
      nextCommand: {
        // Passed straight through: answer the first waiting line, or read more.
        always: [
          { guard: 'noLine', target: 'reading' },
          {
            guard: 'lineTooLong',
            target: 'refusingLongLine',
            actions: [
              assign({ reply: replyBytes([TOO_LONG]), sent: 0, end: 'tooLong' }),
              { type: 'print', params: ({ context: c }) => ({ text: `${c.who}: a line over the limit; closing` }) },
            ],
          },
          { guard: 'isList', target: 'listing' },
          { guard: 'isQuit', target: 'sayingGoodbye', actions: [{ type: 'answer', params: { reply: [GOODBYE] } }, assign({ end: 'quit' }), { type: 'print', params: ({ context: c }) => ({ text: `${c.who}: QUIT` }) }] },
          { guard: 'isNotText', target: 'refusingBytes', actions: [{ type: 'answer', params: { reply: [NOT_TEXT] } }, { type: 'print', params: ({ context: c }) => ({ text: `${c.who}: a line that is not UTF-8` }) }] },
          { target: 'refusingCommand', actions: [{ type: 'answer', params: { reply: [UNKNOWN_COMMAND] } }, { type: 'print', params: ({ context: c }) => ({ text: `${c.who}: unknown command` }) }] },
        ],
      },
      listing: {
        invoke: {
          id: 'list',
          src: 'list',
          input: ({ context }) => ({ path: context.folder }),
          onDone: {
            target: 'sendingListing',
            actions: [{ type: 'answer', params: ({ event }) => ({ reply: listingReply(outputOf<ListOutput>(event).names) }) }, { type: 'print', params: ({ context: c }) => ({ text: `${c.who}: LIST` }) }],
          },
          onError: {
            // The folder cannot be read: the client hears why, and the conversation goes on.
            target: 'sendingListing',
            actions: [
              { type: 'answer', params: ({ event }) => ({ reply: listErrorReply(toSocketError(event.error).code) }) },
              { type: 'print', params: ({ context: c }) => ({ text: `${c.who}: LIST, but the folder cannot be read` }) },
            ],
          },
        },
      },
      sendingListing: sendingAll('sendingListing', 'nextCommand'),
      refusingCommand: sendingAll('refusingCommand', 'nextCommand'),
      refusingBytes: sendingAll('refusingBytes', 'nextCommand'),
      refusingLongLine: sendingAll('refusingLongLine', 'closing'),
      sayingGoodbye: sendingAll('sayingGoodbye', 'closing'),
      closing: {
        invoke: {
          id: 'close',
          src: 'close',
          input: ({ context }) => ({ conn: context.conn }),
          onDone: 'done',
          // Closing a connection the client already reset can fail; either way it is gone.
          onError: 'done',
        },
      },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ commands: context.commands, end: context.end, error: context.error }),
  });
}

export type SessionMachine = ReturnType<typeof createSessionMachine>;
