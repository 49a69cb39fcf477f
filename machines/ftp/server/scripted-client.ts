/**
 * A scripted FTP client: what the lesson's simulated scenario runs against
 * the server (login, PWD, PASV LIST, RETR, STOR, QUIT), and what the pure
 * tests drive the server with. Not a full client: it does what its script
 * says, in order, and records every reply and every download.
 *
 *   connecting ──▶ greeting ──▶ next step ─┬─ command: send, read replies until a final one (1yz: keep reading)
 *                                           ├─ passive: PASV/EPSV, read 227/229, connect the data connection
 *                                           ├─ download: send, then JOIN: data until end ∥ replies until final
 *                                           ├─ upload: send, then JOIN: data sent and closed ∥ replies until final
 *                                           └─ raw: send bytes as they are (ABOR with Telnet signals)
 *
 * The transfer join is the client's half of RFC 959's rule: a transfer is
 * over when the data connection has ended AND the final reply has come,
 * whichever is first (basic-ftp and curl do the same).
 *
 * Pure: no `node:` import.
 */
import { assign, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type ConnectOutput, type SocketError } from '../../socket-calls.ts';
import { parseEpsvReply } from '../protocol/eprt-epsv.ts';
import { parsePasvReply } from '../protocol/port-pasv.ts';
import { REPLY_PARSER_START, parseReplies, type FtpReply, type ReplyParserState } from '../protocol/reply.ts';
import { encodeUtf8 } from '../protocol/text.ts';
import { concatBytes } from '../../bytes.ts';

export type ScriptStep =
  | { kind: 'command'; line: string }
  | { kind: 'passive'; line: 'PASV' | 'EPSV' }
  | { kind: 'download'; line: string }
  | { kind: 'upload'; line: string; bytes: Uint8Array }
  /** Bytes as they are; then read replies until `finals` final (not 1yz) replies have come (default 0). */
  | { kind: 'raw'; bytes: Uint8Array; finals?: number };

export interface ScriptedClientInput {
  host: string;
  port: number;
  /**
   * The steps, given as a function: a machine's input is recorded in the
   * trace (the xstate.init event) and functions are not, so a PASS line's
   * password never reaches the trace that way (the socket records mask it).
   */
  script: () => readonly ScriptStep[];
}

interface Context {
  host: string;
  port: number;
  script: readonly ScriptStep[];
  at: number;
  control: string | null;
  data: string | null;
  dataPort: number;
  parser: ReplyParserState;
  /** Replies parsed and not yet taken. */
  queue: FtpReply[];
  replies: FtpReply[];
  downloads: Uint8Array[];
  received: Uint8Array;
  out: Uint8Array;
  sent: number;
  /** Final replies still to read for this step. */
  want: number;
  dataDone: boolean;
  replyDone: boolean;
  error: SocketError | null;
}

const NO_BYTES = new Uint8Array(0);
const step = (c: Context): ScriptStep | undefined => c.script[c.at];
const lineBytes = (line: string) => encodeUtf8(`${line}\r\n`);

/** Read control replies until a final one (not 1yz) is queued; then `done`. */
function readingReplies(self: string, done: string) {
  return {
    always: { guard: 'finalQueued', target: done, actions: 'takeReplies' },
    invoke: {
      id: 'recv',
      src: 'recv',
      input: ({ context }: { context: Context }) => ({ conn: context.control!, max: 4096 }),
      onDone: [
        { guard: 'endOfData', target: '#ftpClient.closing', actions: assign({ error: { code: 'ECONNRESET', message: 'the server closed the control connection' } }) },
        { target: self, reenter: true, actions: 'parse' },
      ],
      onError: { target: '#ftpClient.closing', actions: 'recordError' },
    },
  };
}

/** Send `context.out` in full, then `next`. */
function sendingAll(self: string, next: string, conn: 'control' | 'data') {
  return {
    invoke: {
      id: 'send',
      src: 'send',
      input: ({ context }: { context: Context }) => ({ conn: context[conn]!, bytes: context.out.subarray(context.sent) }),
      onDone: [
        { guard: 'sentAll', target: next, actions: 'noteSent' },
        { target: self, reenter: true, actions: 'noteSent' },
      ],
      onError: { target: '#ftpClient.closing', actions: 'recordError' },
    },
  };
}

export const ftpClientMachine = setup({
  types: { context: {} as Context, input: {} as ScriptedClientInput },
  actors: { connect: socketActors.connect, send: socketActors.send, recv: socketActors.recv, close: socketActors.close },
  actions: {
    recordError: assign({ error: ({ event }) => toSocketError((event as { error?: unknown }).error) }),
    noteSent: assign({ sent: ({ context, event }) => context.sent + outputOf<number>(event) }),
    parse: assign(({ context, event }) => {
      const parsed = parseReplies(context.parser, outputOf<Uint8Array>(event));
      const good = parsed.replies.flatMap((r) => (r.ok ? [r.value] : []));
      return { parser: parsed.rest, queue: [...context.queue, ...good] };
    }),
    /** Take every queued reply up to and including the first final one. */
    takeReplies: assign(({ context }) => {
      const i = context.queue.findIndex((r) => r.code >= 200);
      return { replies: [...context.replies, ...context.queue.slice(0, i + 1)], queue: context.queue.slice(i + 1), want: context.want - 1 };
    }),
    sendLine: assign(({ context }) => {
      const s = step(context)!;
      return { out: s.kind === 'raw' ? s.bytes : lineBytes(s.line), sent: 0, want: s.kind === 'raw' ? (s.finals ?? 0) : 1, dataDone: false, replyDone: false, received: NO_BYTES };
    }),
    next: assign({ at: ({ context }) => context.at + 1 }),
  },
  guards: {
    finalQueued: ({ context }) => context.queue.some((r) => r.code >= 200),
    endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
    sentAll: ({ context, event }) => context.sent + outputOf<number>(event) >= context.out.length,
    scriptDone: ({ context }) => step(context) === undefined,
    is: ({ context }, params: { kind: ScriptStep['kind'] }) => step(context)?.kind === params.kind,
    gotPassivePort: ({ context }) => context.dataPort > 0,
    wantMore: ({ context }) => context.want > 0,
  },
}).createMachine({
  id: 'ftpClient',
  context: ({ input }) => ({
    host: input.host,
    port: input.port,
    script: input.script(),
    at: 0,
    control: null,
    data: null,
    dataPort: 0,
    parser: REPLY_PARSER_START,
    queue: [],
    replies: [],
    downloads: [],
    received: NO_BYTES,
    out: NO_BYTES,
    sent: 0,
    want: 0,
    dataDone: false,
    replyDone: false,
    error: null,
  }),
  initial: 'connecting',
  states: {
    connecting: {
      invoke: {
        id: 'connect',
        src: 'connect',
        input: ({ context }) => ({ host: context.host, port: context.port, label: 'control' }),
        onDone: { target: 'greeting', actions: assign({ control: ({ event }) => event.output.conn }) },
        onError: { target: 'failed', actions: 'recordError' },
      },
    },
    greeting: readingReplies('greeting', 'nextStep') as never,
    nextStep: {
      always: [
        { guard: 'scriptDone', target: 'closing' },
        { guard: { type: 'is', params: { kind: 'raw' } }, target: 'sendingRaw', actions: 'sendLine' },
        { guard: { type: 'is', params: { kind: 'passive' } }, target: 'sendingPassive', actions: 'sendLine' },
        { guard: { type: 'is', params: { kind: 'download' } }, target: 'sendingTransfer', actions: 'sendLine' },
        { guard: { type: 'is', params: { kind: 'upload' } }, target: 'sendingTransfer', actions: 'sendLine' },
        { target: 'sendingCommand', actions: 'sendLine' },
      ],
    },
    sendingRaw: sendingAll('sendingRaw', 'counted', 'control') as never,
    sendingCommand: sendingAll('sendingCommand', 'awaitingReply', 'control') as never,
    awaitingReply: readingReplies('awaitingReply', 'counted') as never,
    counted: { always: [{ guard: 'wantMore', target: 'awaitingReply' }, { target: 'stepDone' }] },
    sendingPassive: sendingAll('sendingPassive', 'awaitingPassive', 'control') as never,
    awaitingPassive: readingReplies('awaitingPassive', 'passiveAnswered') as never,
    passiveAnswered: {
      entry: assign({
        dataPort: ({ context }) => {
          const last = context.replies.at(-1)!;
          const text = last.lines.join(' ');
          const parsed = last.code === 229 ? parseEpsvReply(text) : last.code === 227 ? parsePasvReply(text) : null;
          return parsed?.ok === true ? parsed.value.port : 0;
        },
      }),
      always: [{ guard: 'gotPassivePort', target: 'connectingData' }, { target: 'stepDone' }],
    },
    connectingData: {
      invoke: {
        id: 'connect',
        src: 'connect',
        input: ({ context }) => ({ host: context.host, port: context.dataPort, label: 'data', link: context.control! }),
        onDone: { target: 'stepDone', actions: assign({ data: ({ event }) => outputOf<ConnectOutput>(event).conn, dataPort: 0 }) },
        onError: { target: 'stepDone', actions: ['recordError', assign({ dataPort: 0 })] },
      },
    },
    sendingTransfer: sendingAll('sendingTransfer', 'transfer', 'control') as never,
    transfer: {
      type: 'parallel',
      states: {
        data: {
          initial: 'start',
          states: {
            start: {
              always: [
                { guard: ({ context }) => context.data === null, target: 'ended' },
                { guard: { type: 'is', params: { kind: 'upload' } }, target: 'uploading', actions: assign({ out: ({ context }) => (step(context) as { bytes: Uint8Array }).bytes, sent: 0 }) },
                { target: 'downloading' },
              ],
            },
            downloading: {
              invoke: {
                id: 'recvData',
                src: 'recv',
                input: ({ context }) => ({ conn: context.data!, max: 65536 }),
                onDone: [
                  { guard: 'endOfData', target: 'closingData' },
                  { target: 'downloading', reenter: true, actions: assign({ received: ({ context, event }) => concatBytes(context.received, event.output) }) },
                ],
                onError: { target: 'closingData', actions: 'recordError' },
              },
            },
            uploading: {
              always: { guard: ({ context }) => context.sent >= context.out.length, target: 'closingData' },
              invoke: {
                id: 'sendData',
                src: 'send',
                input: ({ context }) => ({ conn: context.data!, bytes: context.out.subarray(context.sent) }),
                onDone: { target: 'uploading', reenter: true, actions: 'noteSent' },
                onError: { target: 'closingData', actions: 'recordError' },
              },
            },
            closingData: {
              invoke: { id: 'closeData', src: 'close', input: ({ context }) => ({ conn: context.data! }), onDone: 'ended', onError: 'ended' },
            },
            ended: { type: 'final', entry: assign({ dataDone: true, data: null }) },
          },
        },
        control: {
          initial: 'reading',
          states: {
            reading: readingReplies('reading', 'answered') as never,
            answered: { type: 'final', entry: assign({ replyDone: true }) },
          },
        },
      },
      onDone: {
        target: 'stepDone',
        actions: assign(({ context }) => ({ downloads: step(context)?.kind === 'download' ? [...context.downloads, context.received] : context.downloads })),
      },
    },
    stepDone: { always: { target: 'nextStep', actions: 'next' } },
    closing: {
      invoke: { id: 'close', src: 'close', input: ({ context }) => ({ conn: context.control! }), onDone: 'done', onError: 'done' },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) => ({ replies: context.replies, downloads: context.downloads, error: context.error }),
});

/** A script line that reads like the command: `command('USER anonymous')`. */
export const command = (line: string): ScriptStep => ({ kind: 'command', line });
