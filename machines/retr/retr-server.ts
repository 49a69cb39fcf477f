/**
 * Lesson 5's server, in three versions that differ only in how the file's
 * end is shown (retr-protocol.ts): server2a (the course's: nothing, the
 * client waits for 2 s of silence), server2b (it closes the connection),
 * server2c (it sends the size first). One client at a time.
 *
 *   binding ──▶ accepting ──▶ reading ──some bytes──▶ nextCommand ──RETR──▶ opening ──▶ sendingStatus ──▶ readingFile
 *                  ▲            ▲  │ b'' / failure       │ other ──▶ refusing ─┐          │ cannot open        │ ▲
 *                  │            │  ▼                     ▼                      │          ▼                    ▼ │ more
 *                  │            │  closingClient ◀──── (no line: reading) ◀─────┘     sendingError          sendingLine
 *                  │            │      │                                                   │                   │ end of file
 *                  │            └──────┼────── 2a, 2c: the next command ◀──────────────────┴──── closingFile ◀┘
 *                  │                   ▼                                      2b: closingClient ◀──┘
 *                  └────────────── nextClient ──after maxClients──▶ closingListener ──▶ done
 *
 *   A failed send or recv (the client went away) ──▶ droppingFile (if one is open) ──▶ droppingClient
 *   A failure of the listening socket ──▶ failed
 *
 * The file goes out line by line, each line with its own send loop, as
 * server2a.py's `for line in f: conn.sendall(line)`: the file is read in
 * pieces of FILE_READ_MAX bytes and cut into lines (fileLines).
 */
import { assign, emit, setup } from 'xstate';
import { fileActors, type OpenFileOutput } from '../file-calls.ts';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';
import { takeLines } from '../commands/line-buffer.ts';
import {
  errorStatus,
  FILE_READ_MAX,
  fileLines,
  lineBytes,
  NOT_TEXT,
  parseCommand,
  okStatus,
  TOO_LONG,
  UNKNOWN_COMMAND,
  type EndOfFile,
} from './retr-protocol.ts';

export interface RetrServerInput {
  host?: string;
  port?: number;
  /** Stop after this many clients (a simulated run must end); undefined serves forever. */
  maxClients?: number;
  /** The folder its files are in, relative to the run's folder. Default '.'. */
  folder?: string;
}

export interface RetrServerContext {
  host: string;
  port: number;
  backlog: number;
  maxClients: number | null;
  folder: string;
  listener: string | null;
  conn: string | null;
  /** '127.0.0.1 port 50000', for what it prints. */
  who: string;
  /** Command bytes without their end yet, complete lines not answered yet, and a line over the limit. */
  rest: Uint8Array;
  lines: Uint8Array[];
  tooLong: boolean;
  /**
   * The file being sent: its handle, its name, bytes of a line not complete
   * yet, the lines of the last read, and the next of them to send. (An index,
   * not a shorter copy of the list per line: a megabyte of 80-byte lines is
   * 13,000 of them, and copying the rest for each would cost 85 million moves.)
   */
  file: string | null;
  name: string;
  pending: Uint8Array;
  queue: Uint8Array[];
  next: number;
  atEnd: boolean;
  /** What is being sent now (a status line or a line of the file), and how much of it has gone. */
  out: Uint8Array;
  sent: number;
  /** Bytes of files sent in all, and files sent whole. */
  fileBytes: number;
  files: number;
  served: number;
  dropped: number;
  clientError: SocketError | null;
  error: SocketError | null;
}

const NO_BYTES = new Uint8Array(0);

/** Bytes read per recv() of a command, as server2a.py's `conn.recv(1024)`. */
export const COMMAND_RECV_MAX = 1024;

function errorOf(event: unknown): SocketError {
  return toSocketError((event as { error?: unknown }).error);
}

/** The server of one end-of-file rule, under its lesson 5 name. */
export function createRetrServer(id: string, endOfFile: EndOfFile) {
  /** A state that sends `out` in full, then goes to `next` (`whole`: the action once all of it went). */
  const sendingAll = (self: string, next: string, whole: 'noteSent' | 'noteLineSent' = 'noteSent') => ({
    invoke: {
      id: 'send',
      src: 'send' as const,
      input: ({ context }: { context: RetrServerContext }) => ({ conn: context.conn!, bytes: context.out.subarray(context.sent) }),
      onDone: [
        { guard: 'sentAll' as const, target: next, actions: whole },
        // send() took part of it: offer the rest.
        { target: self, reenter: true, actions: 'noteSent' as const },
      ],
      onError: { target: 'dropping', actions: 'recordClientError' as const },
    },
  });
  const afterFile = endOfFile === 'close' ? 'closingClient' : 'nextCommand';

  return setup({
    types: {
      context: {} as RetrServerContext,
      input: {} as RetrServerInput,
      emitted: {} as { type: 'print'; text: string },
    },
    actors: {
      listen: socketActors.listen,
      accept: socketActors.accept,
      recv: socketActors.recv,
      send: socketActors.send,
      close: socketActors.close,
      closeListener: socketActors.closeListener,
      openFile: fileActors.openFile,
      readFile: fileActors.readFile,
      closeFile: fileActors.closeFile,
    },
    actions: {
      recordError: assign({ error: ({ event }) => errorOf(event) }),
      recordClientError: assign({ clientError: ({ event }) => errorOf(event) }),
      noteSent: assign({ sent: ({ context, event }) => context.sent + outputOf<number>(event) }),
      print: emit((_, params: { text: string }) => ({ type: 'print' as const, text: params.text })),
      /** Answer the first waiting line with `reply`. */
      reply: assign(({ context }, params: { line: string }) => ({ lines: context.lines.slice(1), out: lineBytes(params.line), sent: 0 })),
      /** The next line of the file to send. */
      takeLine: assign(({ context }) => ({ out: context.queue[context.next]!, next: context.next + 1, sent: 0 })),
      /** A line went out whole: one assign for both counts, as it happens for every line of the file. */
      noteLineSent: assign(({ context, event }) => ({ sent: context.sent + outputOf<number>(event), fileBytes: context.fileBytes + context.out.length })),
    },
    guards: {
      sentAll: ({ context, event }) => context.sent + outputOf<number>(event) >= context.out.length,
      endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
      noLine: ({ context }) => context.lines.length === 0 && !context.tooLong,
      lineTooLong: ({ context }) => context.lines.length === 0 && context.tooLong,
      isRetr: ({ context }) => parseCommand(context.lines[0]!).kind === 'retr',
      isNotText: ({ context }) => parseCommand(context.lines[0]!).kind === 'notText',
      lineWaiting: ({ context }) => context.next < context.queue.length,
      fileDone: ({ context }) => context.atEnd && context.next >= context.queue.length,
      fileOpen: ({ context }) => context.file !== null,
      noMoreClients: ({ context }) => context.maxClients !== null && context.served + context.dropped >= context.maxClients,
    },
  }).createMachine({
    id,
    context: ({ input }) => ({
      host: input.host ?? '0.0.0.0',
      port: input.port ?? 12345,
      backlog: 5,
      maxClients: input.maxClients ?? null,
      folder: input.folder ?? '.',
      listener: null,
      conn: null,
      who: '',
      rest: NO_BYTES,
      lines: [],
      tooLong: false,
      file: null,
      name: '',
      pending: NO_BYTES,
      queue: [],
      next: 0,
      atEnd: false,
      out: NO_BYTES,
      sent: 0,
      fileBytes: 0,
      files: 0,
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
              emit(({ event }) => ({ type: 'print' as const, text: `${id} listening on ${event.output.address.host} port ${event.output.address.port}` })),
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
            target: 'reading',
            actions: [
              assign({
                conn: ({ event }) => event.output.conn,
                who: ({ event }) => `${event.output.remote.host} port ${event.output.remote.port}`,
                rest: NO_BYTES,
                lines: [],
                tooLong: false,
                clientError: null,
              }),
              { type: 'print', params: ({ event }) => ({ text: `client connected from ${event.output.remote.host} port ${event.output.remote.port}` }) },
            ],
          },
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      reading: {
        invoke: {
          id: 'recv',
          src: 'recv',
          input: ({ context }) => ({ conn: context.conn!, max: COMMAND_RECV_MAX }),
          onDone: [
            // End of data: the client is done (2a's and 2c's clients close once they have the file).
            { guard: 'endOfData', target: 'closingClient', actions: { type: 'print', params: ({ context }) => ({ text: `${context.who} closed the connection` }) } },
            {
              target: 'nextCommand',
              actions: assign(({ context, event }) => {
                const taken = takeLines(context.rest, event.output);
                return { lines: [...context.lines, ...taken.lines], rest: taken.rest, tooLong: taken.tooLong };
              }),
            },
          ],
          onError: { target: 'droppingClient', actions: 'recordClientError' },
        },
      },
      nextCommand: {
        // Passed straight through: answer the first waiting line, or read more.
        always: [
          { guard: 'noLine', target: 'reading' },
          { guard: 'lineTooLong', target: 'refusingLongLine', actions: assign({ out: lineBytes(TOO_LONG), sent: 0 }) },
          {
            guard: 'isRetr',
            target: 'opening',
            actions: [
              assign(({ context }) => {
                const command = parseCommand(context.lines[0]!) as { name: string };
                return { name: command.name, lines: context.lines.slice(1), pending: NO_BYTES, queue: [], next: 0, atEnd: false };
              }),
              { type: 'print', params: ({ context }) => ({ text: `${context.who}: RETR ${context.name}` }) },
            ],
          },
          { guard: 'isNotText', target: 'refusing', actions: { type: 'reply', params: { line: NOT_TEXT } } },
          { target: 'refusing', actions: { type: 'reply', params: { line: UNKNOWN_COMMAND } } },
        ],
      },
      refusing: sendingAll('refusing', 'nextCommand'),
      refusingLongLine: sendingAll('refusingLongLine', 'closingClient'),
      opening: {
        invoke: {
          id: 'openFile',
          src: 'openFile',
          input: ({ context }) => ({ path: context.folder === '.' ? context.name : `${context.folder}/${context.name}`, mode: 'read' as const }),
          onDone: {
            target: 'sendingStatus',
            actions: assign(({ event }) => {
              const opened = outputOf<OpenFileOutput>(event);
              return { file: opened.file, out: lineBytes(okStatus(endOfFile, opened.size)), sent: 0 };
            }),
          },
          onError: {
            target: 'sendingError',
            actions: [
              assign(({ context, event }) => ({ out: lineBytes(errorStatus(context.name, errorOf(event).code)), sent: 0 })),
              { type: 'print', params: ({ context, event }) => ({ text: `${context.who}: ${errorStatus(context.name, errorOf(event).code)}` }) },
            ],
          },
        },
      },
      // The error line is the whole answer; 2b closes after it as after a file.
      sendingError: sendingAll('sendingError', afterFile),
      sendingStatus: sendingAll('sendingStatus', 'readingFile'),
      readingFile: {
        invoke: {
          id: 'readFile',
          src: 'readFile',
          input: ({ context }) => ({ file: context.file!, max: FILE_READ_MAX }),
          onDone: {
            target: 'nextLine',
            actions: assign(({ context, event }) => {
              const chunk = outputOf<Uint8Array>(event);
              if (chunk.length === 0) {
                // The end of the file: what is left is its last line, without a "\n".
                return { atEnd: true, queue: context.pending.length > 0 ? [context.pending] : [], next: 0, pending: NO_BYTES };
              }
              const cut = fileLines(context.pending, chunk);
              return { queue: cut.lines, next: 0, pending: cut.rest };
            }),
          },
          onError: { target: 'dropping', actions: 'recordClientError' },
        },
      },
      nextLine: {
        always: [
          { guard: 'lineWaiting', target: 'sendingLine', actions: 'takeLine' },
          { guard: 'fileDone', target: 'closingFile' },
          { target: 'readingFile' },
        ],
      },
      sendingLine: sendingAll('sendingLine', 'nextLine', 'noteLineSent'),
      closingFile: {
        invoke: {
          id: 'closeFile',
          src: 'closeFile',
          input: ({ context }) => ({ file: context.file! }),
          onDone: {
            target: afterFile,
            actions: [
              assign({ file: null, files: ({ context }) => context.files + 1 }),
              { type: 'print', params: ({ context }) => ({ text: `${context.who}: sent ${context.name}` }) },
            ],
          },
          onError: { target: afterFile, actions: assign({ file: null }) },
        },
      },
      dropping: {
        // The client went away (or the file failed): close the file first, if one is open, then the connection.
        always: [{ guard: 'fileOpen', target: 'droppingFile' }, { target: 'droppingClient' }],
      },
      droppingFile: {
        invoke: {
          id: 'dropFile',
          src: 'closeFile',
          input: ({ context }) => ({ file: context.file! }),
          onDone: { target: 'droppingClient', actions: assign({ file: null }) },
          onError: { target: 'droppingClient', actions: assign({ file: null }) },
        },
      },
      droppingClient: {
        entry: { type: 'print', params: ({ context }) => ({ text: `${context.who} dropped: ${context.clientError?.message ?? 'the connection failed'}` }) },
        invoke: {
          id: 'drop',
          src: 'close',
          input: ({ context }) => ({ conn: context.conn! }),
          onDone: { target: 'nextClient', actions: assign({ dropped: ({ context }) => context.dropped + 1 }) },
          onError: { target: 'nextClient', actions: assign({ dropped: ({ context }) => context.dropped + 1 }) },
        },
      },
      closingClient: {
        invoke: {
          id: 'close',
          src: 'close',
          input: ({ context }) => ({ conn: context.conn! }),
          onDone: { target: 'nextClient', actions: assign({ served: ({ context }) => context.served + 1 }) },
          onError: { target: 'nextClient', actions: assign({ served: ({ context }) => context.served + 1 }) },
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
    output: ({ context }) => ({
      served: context.served,
      dropped: context.dropped,
      files: context.files,
      fileBytes: context.fileBytes,
      clientError: context.clientError,
      error: context.error,
    }),
  });
}

export type RetrServerMachine = ReturnType<typeof createRetrServer>;
