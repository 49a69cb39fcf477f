/**
 * Lesson 5's client, in three versions, one per end-of-file rule
 * (retr-protocol.ts): client2a (the course's: 2 seconds without data is
 * the end), client2b (end of data is the end), client2c (the size sent
 * first). Each sends `RETR somefile.txt`, reads the status line, and only
 * after "+OK" opens `afile.txt` and writes what follows into it.
 *
 *   connecting ──▶ sendingCommand ──▶ readingStatus ──"+OK"──▶ openingFile ──▶ writingFile ◀──▶ receiving
 *                                        │ "-ERR ..." / not this protocol              │            │ the end (2a: 2 s quiet,
 *                                        ▼                                              │            │ 2b: b'', 2c: size bytes)
 *                                     closing ──▶ failed                                │            ▼
 *                                                                                       │       closingFile ──▶ closing ──▶ done
 *                  the connection fails, or ends too soon (2c) ──▶ discardingFile ──▶ closing ──▶ failed
 *
 * afile.txt is written under a temporary name and takes its name when the
 * file is closed (file-calls.ts: 'replace'), so a transfer that fails
 * leaves the old afile.txt as it was: discardingFile throws the new bytes
 * away. An error line is never written: nothing is opened before "+OK".
 */
import { assign, emit, setup } from 'xstate';
import { fileActors } from '../file-calls.ts';
import { outputOf, socketActors, toSocketError, type SocketError } from '../socket-calls.ts';
import {
  LOCAL_FILE,
  MAX_COMMAND_LINE,
  parseStatus,
  QUIET_MS,
  RECV_MAX,
  REMOTE_FILE,
  retrCommand,
  type EndOfFile,
} from './retr-protocol.ts';

export interface RetrClientInput {
  host?: string;
  port?: number;
  /** The file to ask for; default REMOTE_FILE. */
  name?: string;
  /** Where to save it, relative to the program's folder; default LOCAL_FILE. */
  saveAs?: string;
}

/** How the transfer ended, as the client saw it. */
export type RetrEnd = 'quiet' | 'closed' | 'size' | null;

export interface RetrClientContext {
  host: string;
  port: number;
  name: string;
  saveAs: string;
  conn: string | null;
  out: Uint8Array;
  sent: number;
  /** Bytes before the end of the status line. */
  head: Uint8Array;
  /** The size the status line announced (2c). */
  size: bigint | null;
  file: string | null;
  /** Bytes to write next: what came after the status line, then each recv's. */
  pending: Uint8Array;
  written: number;
  end: RetrEnd;
  /** Set when the client must not keep the file (an error line, a failure). */
  error: SocketError | null;
}

const NO_BYTES = new Uint8Array(0);

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function errorOf(event: unknown): SocketError {
  return toSocketError((event as { error?: unknown }).error);
}

/** The client of one end-of-file rule, under its lesson 5 name. */
export function createRetrClient(id: string, endOfFile: EndOfFile) {
  const quiet = endOfFile === 'timeout' ? { timeoutMs: QUIET_MS } : {};
  /** Bytes of `bytes` that belong to the file: all of them, or up to the announced size (2c). */
  const fileBytes = (context: RetrClientContext, bytes: Uint8Array): Uint8Array => {
    if (context.size === null) return bytes;
    const left = Number(context.size) - context.written;
    return bytes.length > left ? bytes.subarray(0, Math.max(0, left)) : bytes;
  };

  return setup({
    types: {
      context: {} as RetrClientContext,
      input: {} as RetrClientInput,
      emitted: {} as { type: 'print'; text: string },
    },
    actors: {
      connect: socketActors.connect,
      send: socketActors.send,
      recv: socketActors.recv,
      close: socketActors.close,
      openFile: fileActors.openFile,
      writeFile: fileActors.writeFile,
      closeFile: fileActors.closeFile,
    },
    actions: {
      recordError: assign({ error: ({ event }) => errorOf(event) }),
      print: emit((_, params: { text: string }) => ({ type: 'print' as const, text: params.text })),
    },
    guards: {
      sentAll: ({ context, event }) => context.sent + outputOf<number>(event) >= context.out.length,
      endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
      timedOut: ({ event }) => errorOf(event).code === 'ETIMEDOUT',
      statusComplete: ({ context }) => context.head.indexOf(0x0a) !== -1,
      statusTooLong: ({ context }) => context.head.length >= MAX_COMMAND_LINE,
      nothingToWrite: ({ context }) => context.pending.length === 0,
      /** 2c: every announced byte is written. */
      sizeReached: ({ context }) => context.size !== null && BigInt(context.written) >= context.size,
      hadError: ({ context }) => context.error !== null,
      endedShort: ({ context, event }) => endOfFile === 'size' && outputOf<Uint8Array>(event).length === 0,
      quietEnd: ({ event }) => endOfFile === 'timeout' && errorOf(event).code === 'ETIMEDOUT',
    },
  }).createMachine({
    id,
    context: ({ input }) => {
      const name = input.name ?? REMOTE_FILE;
      return {
        host: input.host ?? '127.0.0.1',
        port: input.port ?? 12345,
        name,
        saveAs: input.saveAs ?? LOCAL_FILE,
        conn: null,
        out: retrCommand(name),
        sent: 0,
        head: NO_BYTES,
        size: null,
        file: null,
        pending: NO_BYTES,
        written: 0,
        end: null,
        error: null,
      };
    },
    initial: 'connecting',
    states: {
      connecting: {
        invoke: {
          id: 'connect',
          src: 'connect',
          input: ({ context }) => ({ host: context.host, port: context.port }),
          onDone: { target: 'sendingCommand', actions: assign({ conn: ({ event }) => event.output.conn }) },
          onError: { target: 'failed', actions: 'recordError' },
        },
      },
      sendingCommand: {
        entry: { type: 'print', params: ({ context }) => ({ text: `> RETR ${context.name}` }) },
        invoke: {
          id: 'send',
          src: 'send',
          input: ({ context }) => ({ conn: context.conn!, bytes: context.out.subarray(context.sent) }),
          onDone: [
            { guard: 'sentAll', target: 'readingStatus', actions: assign({ sent: ({ context, event }) => context.sent + event.output }) },
            { target: 'sendingCommand', reenter: true, actions: assign({ sent: ({ context, event }) => context.sent + event.output }) },
          ],
          onError: { target: 'closing', actions: 'recordError' },
        },
      },
      readingStatus: {
        invoke: {
          id: 'recv',
          src: 'recv',
          input: ({ context }) => ({ conn: context.conn!, max: RECV_MAX, ...quiet }),
          onDone: [
            {
              guard: 'endOfData',
              target: 'closing',
              actions: assign({ error: { code: 'EPROTO', message: 'The server closed the connection without answering RETR.' } }),
            },
            { target: 'status', actions: assign({ head: ({ context, event }) => concat(context.head, event.output) }) },
          ],
          onError: [
            {
              guard: 'timedOut',
              target: 'closing',
              actions: assign({ error: { code: 'ETIMEDOUT', message: `The server did not answer RETR within ${QUIET_MS / 1000} s.` } }),
            },
            { target: 'closing', actions: 'recordError' },
          ],
        },
      },
      status: {
        // Passed straight through: a whole status line decides; else read on.
        always: [
          {
            guard: 'statusComplete',
            target: 'statusRead',
            actions: assign(({ context }) => {
              const lf = context.head.indexOf(0x0a);
              const line = context.head.subarray(0, lf > 0 && context.head[lf - 1] === 0x0d ? lf - 1 : lf);
              const status = parseStatus(line, endOfFile);
              const after = context.head.slice(lf + 1);
              if (status.ok === true) return { size: status.size, pending: after, head: NO_BYTES };
              const message =
                status.ok === false
                  ? `The server answered "${status.message}", so ${context.saveAs} was not written.`
                  : `The server's first line is not this lesson's protocol: "${status.problem}"; is it the right server?`;
              return { head: NO_BYTES, error: { code: status.ok === false ? 'ERR' : 'EPROTO', message } };
            }),
          },
          {
            guard: 'statusTooLong',
            target: 'closing',
            actions: assign({ error: { code: 'EPROTO', message: `The server's first line is longer than ${MAX_COMMAND_LINE} bytes; is it the right server?` } }),
          },
          { target: 'readingStatus' },
        ],
      },
      statusRead: {
        always: [
          { guard: 'hadError', target: 'closing', actions: { type: 'print', params: ({ context }) => ({ text: context.error!.message }) } },
          { target: 'openingFile' },
        ],
      },
      openingFile: {
        invoke: {
          id: 'openFile',
          src: 'openFile',
          input: ({ context }) => ({ path: context.saveAs, mode: 'replace' as const }),
          onDone: { target: 'nextWrite', actions: assign({ file: ({ event }) => event.output.file }) },
          onError: { target: 'closing', actions: ['recordError', { type: 'print', params: ({ context }) => ({ text: `cannot write ${context.saveAs}` }) }] },
        },
      },
      nextWrite: {
        // Passed straight through: write what is waiting, finish, or read more.
        always: [
          { guard: 'sizeReached', target: 'closingFile', actions: assign({ end: 'size' }) },
          { guard: 'nothingToWrite', target: 'receiving' },
          { target: 'writingFile' },
        ],
      },
      writingFile: {
        invoke: {
          id: 'writeFile',
          src: 'writeFile',
          input: ({ context }) => ({ file: context.file!, bytes: fileBytes(context, context.pending) }),
          onDone: {
            target: 'nextWrite',
            actions: assign({ written: ({ context, event }) => context.written + event.output, pending: NO_BYTES }),
          },
          onError: { target: 'discardingFile', actions: 'recordError' },
        },
      },
      receiving: {
        invoke: {
          id: 'recv',
          src: 'recv',
          // 2c asks for no more than the file has left: the bytes after it are not the file's.
          input: ({ context }) => ({
            conn: context.conn!,
            max: context.size === null ? RECV_MAX : Math.min(RECV_MAX, Number(context.size) - context.written),
            ...quiet,
          }),
          onDone: [
            {
              // 2c: the end of data before the announced size is a transfer cut short.
              guard: 'endedShort',
              target: 'discardingFile',
              actions: assign(({ context }) => ({
                error: { code: 'ESHORT', message: `The server closed the connection after ${context.written} of the ${context.size} bytes it announced` },
              })),
            },
            // 2a, 2b: the server closed, so the file is over.
            { guard: 'endOfData', target: 'closingFile', actions: assign({ end: 'closed' }) },
            { target: 'nextWrite', actions: assign({ pending: ({ event }) => event.output }) },
          ],
          onError: [
            {
              // 2a: the course's end of the file, nothing for 2 seconds. A stalled server looks the same.
              guard: 'quietEnd',
              target: 'closingFile',
              actions: [assign({ end: 'quiet' }), { type: 'print', params: { text: `no data for ${QUIET_MS / 1000} s: taking that as the end of the file` } }],
            },
            { target: 'discardingFile', actions: 'recordError' },
          ],
        },
      },
      closingFile: {
        invoke: {
          id: 'closeFile',
          src: 'closeFile',
          input: ({ context }) => ({ file: context.file! }),
          onDone: {
            target: 'closing',
            actions: [assign({ file: null }), { type: 'print', params: ({ context }) => ({ text: `saved ${context.saveAs}: ${context.written.toLocaleString('en-US')} bytes` }) }],
          },
          onError: { target: 'closing', actions: ['recordError', assign({ file: null })] },
        },
      },
      discardingFile: {
        entry: { type: 'print', params: ({ context }) => ({ text: `${context.error?.message ?? 'the transfer failed'}; ${context.saveAs} was not written` }) },
        invoke: {
          id: 'discardFile',
          src: 'closeFile',
          input: ({ context }) => ({ file: context.file!, discard: true }),
          onDone: { target: 'closing', actions: assign({ file: null }) },
          onError: { target: 'closing', actions: assign({ file: null }) },
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
          onError: [
            { guard: 'hadError', target: 'failed', actions: assign({ conn: null }) },
            { target: 'done', actions: assign({ conn: null }) },
          ],
        },
      },
      done: { type: 'final' },
      failed: { type: 'final' },
    },
    output: ({ context }) => ({ written: context.written, end: context.end, error: context.error }),
  });
}

export type RetrClientMachine = ReturnType<typeof createRetrClient>;
