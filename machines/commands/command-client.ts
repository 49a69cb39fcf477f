/**
 * A client of lesson 2's protocol (list-protocol.ts): connect, read the
 * greeting, send each command and read its reply, close. client1a
 * (lesson 2) and client2 (lesson 3) are this machine under two names, so
 * each highlights the lines of its own script.
 *
 *   connecting ──▶ receiving ──a whole reply──▶ replying ──more commands──▶ [pausing] ──▶ sending ─┐
 *                    ▲  │ part of one              │  ▲                                              │
 *                    └──┘◀──── reply not whole ────┘  └──────────────── receiving ◀─────────────────┘
 *                                                  └── no more commands ──▶ closing ──▶ done
 *
 *   allAtOnce: connecting ──▶ sendingAll (every command in one send) ──▶ receiving ... closing
 *   A failed call, end of data before a reply, or a reply line over 4 KiB ──▶ closing ──▶ failed
 *
 * Replies arrive as bytes: one recv may hold half a reply, or a reply and
 * the next. Lines are cut by the same line buffer as the server's, and
 * `replyLength` says when a reply is whole (LIST's says how many names
 * follow). The client prints every line it receives and each command it
 * sends ("> LIST"), as the Python script does.
 */
import { assign, emit, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';
import { MAX_LINE_BYTES, takeLines } from './line-buffer.ts';
import { announcedNames, MAX_LISTED_NAMES, PORT, RECV_MAX, replyLength } from './list-protocol.ts';

export interface CommandClientInput {
  host?: string;
  port?: number;
  /** The commands to send, in order. Default LIST, then QUIT. */
  commands?: readonly string[];
  /** Wait this long (ms, on the transport's clock) before each command: a person typing. Default 0. */
  pauseMs?: number;
  /** Send every command at once, right after connecting, without waiting for replies ("typing ahead"). */
  allAtOnce?: boolean;
  /** End each command with "\r\n" instead of "\n". */
  crlf?: boolean;
}

/** One reply: the command it answers (null: the greeting) and its lines. */
export interface Reply {
  command: string | null;
  lines: string[];
}

export interface CommandClientContext {
  host: string;
  port: number;
  conn: string | null;
  commands: readonly string[];
  /** How many commands have been sent. */
  next: number;
  pauseMs: number;
  allAtOnce: boolean;
  lineEnd: string;
  /** What each reply still to come answers, oldest first (null: the greeting). */
  awaiting: (string | null)[];
  /** Bytes of a line whose end has not arrived yet, and whole lines not yet part of a reply. */
  rest: Uint8Array;
  lines: string[];
  replies: Reply[];
  /** What is being sent, and how much of it is sent. */
  out: Uint8Array;
  sent: number;
  error: SocketError | null;
}

export interface CommandClientOutput {
  replies: Reply[];
  error: SocketError | null;
}

const NO_BYTES = new Uint8Array(0);
const encoder = new TextEncoder();
// A server's text may hold bytes that are not UTF-8: shown as U+FFFD rather than stopping the client (Python's errors="replace").
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** How many lines the next whole reply takes, or null. */
function wholeReply(context: CommandClientContext): number | null {
  return context.awaiting.length === 0 ? null : replyLength(context.lines, context.awaiting[0]!);
}

/** The client machine under the id `id`: 'client1a' or 'client2'. */
export function createCommandClient(id: string) {
  return setup({
    types: {
      context: {} as CommandClientContext,
      input: {} as CommandClientInput,
      output: {} as CommandClientOutput,
      emitted: {} as { type: 'print'; text: string },
    },
    actors: {
      connect: socketActors.connect,
      send: socketActors.send,
      recv: socketActors.recv,
      close: socketActors.close,
    },
    delays: {
      pause: ({ context }) => context.pauseMs,
    },
    actions: {
      /** What the Python script prints. */
      print: emit((_, params: { text: string }) => ({ type: 'print' as const, text: params.text })),
      recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
      fail: assign((_, params: SocketError) => ({ error: params })),
      noteSent: assign({ sent: ({ context, event }) => context.sent + outputOf<number>(event) }),
      /** Move the first whole reply from `lines` to `replies`, printing its lines. */
      takeReply: assign(({ context }) => {
        const length = wholeReply(context) ?? 0;
        return {
          lines: context.lines.slice(length),
          awaiting: context.awaiting.slice(1),
          replies: [...context.replies, { command: context.awaiting[0]!, lines: context.lines.slice(0, length) }],
        };
      }),
      printReply: emit(({ context }) => ({ type: 'print' as const, text: context.replies.at(-1)!.lines.join('\n') })),
    },
    guards: {
      sentAll: ({ context, event }) => context.sent + outputOf<number>(event) >= context.out.length,
      endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
      hasWholeReply: ({ context }) => wholeReply(context) !== null,
      /** A LIST status line announcing more names than any server of ours sends. */
      tooManyNames: ({ context }) =>
        context.awaiting[0]?.toUpperCase() === 'LIST' && (announcedNames(context.lines[0] ?? '') ?? 0) > MAX_LISTED_NAMES,
      awaitingReply: ({ context }) => context.awaiting.length > 0,
      moreCommands: ({ context }) => context.next < context.commands.length,
      noPause: ({ context }) => context.pauseMs === 0,
      allAtOnce: ({ context }) => context.allAtOnce,
      hadError: ({ context }) => context.error !== null,
    },
  }).createMachine({
    id,
    context: ({ input }) => ({
      host: input.host ?? '127.0.0.1',
      port: input.port ?? PORT,
      conn: null,
      commands: input.commands ?? ['LIST', 'QUIT'],
      next: 0,
      pauseMs: input.pauseMs ?? 0,
      allAtOnce: input.allAtOnce ?? false,
      lineEnd: input.crlf === true ? '\r\n' : '\n',
      awaiting: [null],
      rest: NO_BYTES,
      lines: [],
      replies: [],
      out: NO_BYTES,
      sent: 0,
      error: null,
    }),
    initial: 'connecting',
    states: {
      connecting: {
        invoke: {
          id: 'connect',
          src: 'connect',
          input: ({ context }) => ({ host: context.host, port: context.port }),
          onDone: [
            {
              guard: 'allAtOnce',
              target: 'sendingAll',
              actions: [
                assign(({ context, event }) => ({
                  conn: event.output.conn,
                  out: encoder.encode(context.commands.map((c) => c + context.lineEnd).join('')),
                  sent: 0,
                  next: context.commands.length,
                  awaiting: [null, ...context.commands],
                })),
                { type: 'print', params: ({ context }) => ({ text: context.commands.map((c) => `> ${c}`).join('\n') }) },
              ],
            },
            { target: 'receiving', actions: assign({ conn: ({ event }) => event.output.conn }) },
          ],
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      sendingAll: {
        invoke: {
          id: 'send',
          src: 'send',
          input: ({ context }) => ({ conn: context.conn!, bytes: context.out.subarray(context.sent) }),
          onDone: [
            { guard: 'sentAll', target: 'receiving', actions: 'noteSent' },
            { target: 'sendingAll', reenter: true, actions: 'noteSent' },
          ],
          onError: { target: 'closing', actions: 'recordError' },
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
              actions: {
                type: 'fail',
                params: { code: 'ECLOSED', message: 'The server closed the connection before it answered everything.' },
              },
            },
            {
              target: 'replying',
              actions: assign(({ context, event }) => {
                const taken = takeLines(context.rest, event.output);
                if (taken.tooLong) {
                  return {
                    rest: NO_BYTES,
                    error: { code: 'ETOOBIG', message: `The server sent a line longer than ${MAX_LINE_BYTES} bytes; is this the right server?` },
                  };
                }
                return { rest: taken.rest, lines: [...context.lines, ...taken.lines.map((l) => decoder.decode(l))] };
              }),
            },
          ],
          onError: { target: 'closing', actions: 'recordError' },
        },
      },
      replying: {
        // Passed straight through: take every whole reply, then read, send or stop.
        always: [
          { guard: 'hadError', target: 'closing' },
          {
            guard: 'tooManyNames',
            target: 'closing',
            actions: {
              type: 'fail',
              params: { code: 'EPROTO', message: `The server announced more than ${MAX_LISTED_NAMES} names; is this the right server?` },
            },
          },
          { guard: 'hasWholeReply', target: 'replying', reenter: true, actions: ['takeReply', 'printReply'] },
          { guard: 'awaitingReply', target: 'receiving' },
          { guard: 'moreCommands', target: 'pausing' },
          { target: 'closing' },
        ],
      },
      pausing: {
        always: { guard: 'noPause', target: 'sending' },
        after: { pause: 'sending' },
        exit: assign(({ context }) => {
          const command = context.commands[context.next]!;
          return { out: encoder.encode(command + context.lineEnd), sent: 0, next: context.next + 1, awaiting: [command] };
        }),
      },
      sending: {
        entry: { type: 'print', params: ({ context }) => ({ text: `> ${context.awaiting[0]}` }) },
        invoke: {
          id: 'send',
          src: 'send',
          input: ({ context }) => ({ conn: context.conn!, bytes: context.out.subarray(context.sent) }),
          onDone: [
            { guard: 'sentAll', target: 'receiving', actions: 'noteSent' },
            { target: 'sendingRest', actions: 'noteSent' },
          ],
          onError: { target: 'closing', actions: 'recordError' },
        },
      },
      sendingRest: {
        // The rest of a command that did not fit in one send: the loop inside Python's sendall.
        invoke: {
          id: 'send',
          src: 'send',
          input: ({ context }) => ({ conn: context.conn!, bytes: context.out.subarray(context.sent) }),
          onDone: [
            { guard: 'sentAll', target: 'receiving', actions: 'noteSent' },
            { target: 'sendingRest', reenter: true, actions: 'noteSent' },
          ],
          onError: { target: 'closing', actions: 'recordError' },
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
    output: ({ context }) => ({ replies: context.replies, error: context.error }),
  });
}

export type CommandClientMachine = ReturnType<typeof createCommandClient>;
