/**
 * One FTP data connection, from set-up to close: a child of the session,
 * one per transfer (RFC 959 section 3.2: the data connection is made for a
 * transfer, and in stream mode its close is the end of the file).
 *
 *   passive: listening ──listen──▶ accepting ──accept (from the client's address)──▶ droppingListener ──▶ ready
 *   active:  waitingForGo ──DATA.GO──▶ connecting ──connect──▶ moving
 *   ready ──DATA.GO──▶ moving ──transfer done──▶ closing ──▶ done (output: how it went)
 *   DATA.ABORT while moving ──▶ aborting (close now) ──▶ done
 *
 * Passive: it listens on the control connection's own address, sends its
 * port to the session (DATA.READY) and accepts exactly ONE connection,
 * only from the control connection's peer: RFC 2577 section 3 (and vsftpd's
 * pasv_promiscuous=NO) — a connection from any other address is reset and
 * the port is closed, so a stranger cannot steal the file. Then the
 * listener is closed: nobody else can connect to it.
 *
 * Active: it connects to the address PORT/EPRT gave (the session checked it
 * against a bounce), when the transfer starts.
 *
 * The transfer itself is one actor (machines/transfer-calls.ts): the
 * machine models the protocol, the runtime moves the bytes.
 *
 * Pure: no `node:` import.
 */
import { assign, emit, sendParent, setup } from 'xstate';
import { outputOf, socketActors, toSocketError, type AcceptOutput, type ListenOutput } from '../../socket-calls.ts';
import { transferActors, type TransferOutput } from '../../transfer-calls.ts';
import { reply } from './replies.ts';
import { plainHost, type ControlInfo, type TransferPlan } from './session-state.ts';
import { sameHost } from './decide.ts';

export interface DataChannelInput {
  mode: 'passive' | 'active';
  control: ControlInfo;
  /** Active mode: where to connect. */
  target?: { host: string; port: number };
  /** Passive mode: the ports to try, both included; null for any free port. */
  ports: { first: number; last: number } | null;
  /** Give up on a data connection that does not come, or stalls, after this long. */
  timeoutMs: number;
}

/** How the data connection ended, for the session's final reply. */
export interface DataChannelOutput {
  outcome: 'done' | 'aborted' | 'failed' | 'closed';
  wire: number;
  file: number;
  /** The final reply when it did not end well (425, 426, 451). */
  reply: string | null;
}

export type DataChannelEvent =
  | { type: 'DATA.GO'; plan: Omit<TransferPlan, 'mark' | 'done' | 'verb'> }
  | { type: 'DATA.ABORT' }
  | { type: 'DATA.CLOSE' };

interface Context extends DataChannelInput {
  port: number;
  listener: string | null;
  conn: string | null;
  plan: Omit<TransferPlan, 'mark' | 'done' | 'verb'> | null;
  result: DataChannelOutput;
}

const CANT_OPEN = (why: string) => reply(425, `Can't open data connection: ${why}`);

export const ftpDataMachine = setup({
  types: {
    context: {} as Context,
    input: {} as DataChannelInput,
    output: {} as DataChannelOutput,
    events: {} as DataChannelEvent,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    listen: socketActors.listen,
    accept: socketActors.accept,
    connect: socketActors.connect,
    close: socketActors.close,
    reset: socketActors.reset,
    closeListener: socketActors.closeListener,
    transfer: transferActors.transfer,
  },
  delays: {
    dataTimeout: ({ context }) => context.timeoutMs,
  },
  actions: {
    fail: assign({ result: ({ context }, params: { reply: string }) => ({ ...context.result, outcome: 'failed' as const, reply: params.reply }) }),
    keepPlan: assign({ plan: ({ event }) => (event as Extract<DataChannelEvent, { type: 'DATA.GO' }>).plan }),
    closed: assign({ result: ({ context }) => ({ ...context.result, outcome: 'closed' as const }) }),
    aborted: assign({ result: ({ context }) => ({ ...context.result, outcome: 'aborted' as const }) }),
  },
  guards: {
    passive: ({ context }) => context.mode === 'passive',
    hasPlan: ({ context }) => context.plan !== null,
    portTaken: ({ context, event }) =>
      toSocketError((event as { error?: unknown }).error).code === 'EADDRINUSE' && context.ports !== null && context.port < context.ports.last,
    foreign: ({ context, event }) => !sameHost(outputOf<AcceptOutput>(event).remote.host, context.control.remote.host),
    failed: ({ context }) => context.result.outcome === 'failed',
  },
}).createMachine({
  id: 'ftpData',
  context: ({ input }) => ({
    ...input,
    port: input.ports?.first ?? 0,
    listener: null,
    conn: null,
    plan: null,
    result: { outcome: 'done', wire: 0, file: 0, reply: null },
  }),
  on: { 'DATA.GO': { actions: 'keepPlan' } },
  initial: 'starting',
  states: {
    starting: { always: [{ guard: 'passive', target: 'listening' }, { target: 'waitingForGo' }] },
    listening: {
      invoke: {
        id: 'listen',
        src: 'listen',
        // On the address the client already reached us at (EPSV's reply names no host at all).
        input: ({ context }) => ({ host: plainHost(context.control.local.host), port: context.port, backlog: 1, label: 'data' }),
        onDone: {
          target: 'accepting',
          actions: [
            assign({ listener: ({ event }) => event.output.listener, port: ({ event }) => event.output.address.port }),
            sendParent(({ event }) => ({ type: 'DATA.READY', port: outputOf<ListenOutput>(event).address.port })),
          ],
        },
        onError: [
          // That port of the range is taken: the next one.
          { guard: 'portTaken', target: 'listening', reenter: true, actions: assign({ port: ({ context }) => context.port + 1 }) },
          { target: 'done', actions: [{ type: 'fail', params: { reply: CANT_OPEN('no passive port is free.') } }, sendParent({ type: 'DATA.FAILED' })] },
        ],
      },
    },
    accepting: {
      invoke: {
        id: 'accept',
        src: 'accept',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: [
          {
            guard: 'foreign',
            target: 'refusing',
            actions: [
              assign({ conn: ({ event }) => event.output.conn }),
              emit(({ context, event }) => ({
                type: 'print' as const,
                text: `refused a data connection from ${event.output.remote.host}: only ${plainHost(context.control.remote.host)} (the control connection's address) may connect`,
              })),
            ],
          },
          { target: 'droppingListener', actions: assign({ conn: ({ event }) => event.output.conn }) },
        ],
        onError: { target: 'closingListener', actions: { type: 'fail', params: { reply: CANT_OPEN('the passive port failed.') } } },
      },
      after: { dataTimeout: { target: 'closingListener', actions: { type: 'fail', params: { reply: CANT_OPEN('no data connection came in time.') } } } },
      on: {
        'DATA.ABORT': { target: 'closingListener', actions: 'aborted' },
        'DATA.CLOSE': { target: 'closingListener', actions: 'closed' },
      },
    },
    refusing: {
      // Reset the stranger's connection, and close the port: this passive set-up is spent.
      invoke: {
        id: 'reset',
        src: 'reset',
        input: ({ context }) => ({ conn: context.conn! }),
        onDone: { target: 'closingListener', actions: [assign({ conn: null }), { type: 'fail', params: { reply: CANT_OPEN('a connection came from another address and was refused.') } }] },
        onError: { target: 'closingListener', actions: [assign({ conn: null }), { type: 'fail', params: { reply: CANT_OPEN('a connection came from another address and was refused.') } }] },
      },
    },
    closingListener: {
      invoke: {
        id: 'closeListener',
        src: 'closeListener',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: { target: 'done', actions: assign({ listener: null }) },
        onError: { target: 'done', actions: assign({ listener: null }) },
      },
    },
    droppingListener: {
      // Exactly one connection per passive set-up: nobody else may connect to this port now.
      invoke: {
        id: 'closeListener',
        src: 'closeListener',
        input: ({ context }) => ({ listener: context.listener! }),
        onDone: { target: 'ready', actions: assign({ listener: null }) },
        onError: { target: 'ready', actions: assign({ listener: null }) },
      },
    },
    ready: {
      always: { guard: 'hasPlan', target: 'moving' },
      after: { dataTimeout: { target: 'closing', actions: { type: 'fail', params: { reply: reply(425, 'The data connection was idle too long and is closed.') } } } },
      on: { 'DATA.ABORT': { target: 'closing', actions: 'aborted' }, 'DATA.CLOSE': { target: 'closing', actions: 'closed' } },
    },
    waitingForGo: {
      always: { guard: 'hasPlan', target: 'connecting' },
      on: { 'DATA.ABORT': { target: 'done', actions: 'aborted' }, 'DATA.CLOSE': { target: 'done', actions: 'closed' } },
    },
    connecting: {
      invoke: {
        id: 'connect',
        src: 'connect',
        input: ({ context }) => ({
          host: context.target!.host,
          port: context.target!.port,
          timeoutMs: context.timeoutMs,
          label: 'data',
          link: context.control.conn,
        }),
        onDone: { target: 'moving', actions: assign({ conn: ({ event }) => event.output.conn }) },
        onError: {
          target: 'done',
          actions: { type: 'fail', params: ({ event }) => ({ reply: CANT_OPEN(`connecting to your port failed (${toSocketError(event.error).code}).`) }) },
        },
      },
      on: { 'DATA.ABORT': { target: 'done', actions: 'aborted' } },
    },
    moving: {
      invoke: {
        id: 'transfer',
        src: 'transfer',
        input: ({ context }) => {
          const plan = context.plan!;
          return {
            conn: context.conn!,
            direction: plan.direction,
            ascii: plan.ascii,
            ...(plan.file !== undefined ? { file: plan.file } : {}),
            ...(plan.bytes !== undefined ? { bytes: plan.bytes } : {}),
            ...(plan.path !== undefined ? { path: plan.path } : {}),
            idleMs: context.timeoutMs,
          };
        },
        onDone: {
          target: 'closing',
          actions: assign({ result: ({ event }) => ({ outcome: 'done' as const, wire: outputOf<TransferOutput>(event).wire, file: outputOf<TransferOutput>(event).file, reply: null }) }),
        },
        onError: {
          target: 'closing',
          actions: {
            type: 'fail',
            params: ({ event }) => {
              const e = toSocketError(event.error);
              const local = e.code.startsWith('E') && ['ENOSPC', 'EIO', 'EACCES', 'EBADF'].includes(e.code);
              return { reply: local ? reply(451, `Transfer aborted: a local error (${e.code}).`) : reply(426, `Connection closed; transfer aborted (${e.code}).`) };
            },
          },
        },
      },
      // RFC 959 section 4.1.3, ABOR: "the server aborts the FTP service in progress and closes the data connection".
      on: { 'DATA.ABORT': { target: 'aborting', actions: 'aborted' } },
    },
    aborting: {
      invoke: { id: 'reset', src: 'reset', input: ({ context }) => ({ conn: context.conn! }), onDone: 'done', onError: 'done' },
    },
    closing: {
      invoke: { id: 'close', src: 'close', input: ({ context }) => ({ conn: context.conn! }), onDone: 'done', onError: 'done' },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.result,
});
