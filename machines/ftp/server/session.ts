/**
 * One FTP control connection, from the greeting to the close: the session
 * machine the listener (listener.ts) spawns for every client.
 *
 *   greeting ──▶ reading ──line──▶ nextCommand ──decide──▶ route ─┬─ reply ──▶ replying ──▶ nextCommand
 *      │            │ idle too long: 421                          ├─ delayed (failed login) ──▶ delaying ──▶ replying
 *      │            └ end of data ──▶ closing ──▶ done            ├─ file call (stat, scandir, openFile...) ──resume──▶ route
 *      └ refused (too many connections): 421 ──▶ closing          ├─ passive ──▶ openingPassive (a data child listens) ──▶ 227/229
 *                                                                 └─ transfer ──▶ transfer (parallel, below) ──▶ nextCommand
 *
 * What each command means is decided by pure functions (decide.ts,
 * resume.ts); this machine carries out their steps. The transfer state is
 * the FTP join (transfer.ts): the data connection and the control
 * connection side by side.
 *
 * Pure: no `node:` import. Effects: socketActors, fileActors, and the data
 * channel child (data-channel.ts), which holds the transfer actor.
 */
import { assign, emit, enqueueActions, setup } from 'xstate';
import { fileActors } from '../../file-calls.ts';
import { outputOf, socketActors, toSocketError, type Endpoint } from '../../socket-calls.ts';
import { parseCommandLine } from '../protocol/command-line.ts';
import { formatEpsvReplyText } from '../protocol/eprt-epsv.ts';
import { LINE_SPLITTER_START, splitLines, type LineSplitterState } from '../protocol/line-splitter.ts';
import { formatPasvReplyText } from '../protocol/port-pasv.ts';
import { encodeUtf8 } from '../protocol/text.ts';
import { CONTROL_RECV_BYTES, DEFAULT_POLICY, type ServerPolicy } from './config.ts';
import { ftpDataMachine, type DataChannelOutput } from './data-channel.ts';
import { decide, refuseLine } from './decide.ts';
import { reply } from './replies.ts';
import { resume, type CallOutcome } from './resume.ts';
import { FRESH_SESSION, plainHost, type ControlInfo, type FtpSessionState, type Step, type TransferPlan } from './session-state.ts';
import { finalReply, transferStates } from './transfer.ts';
import type { Result } from '../protocol/errors.ts';

export interface FtpSessionInput {
  conn: string;
  local: Endpoint;
  remote: Endpoint;
  policy?: ServerPolicy;
  /** Refuse this client at once with this 421 text (too many connections). */
  refuse?: string;
  /** Milliseconds since 1970, for listings' dates. Default Date.now; a simulated run passes a fixed clock. */
  now?: () => number;
}

/** Lines read but not yet answered, at most: past it the session stops reading (TCP pushes back on the client). */
export const MAX_QUEUED_LINES = 64;

/** Where a transfer stands, while it runs. */
export interface TransferStatus {
  plan: TransferPlan;
  child: string;
  result: DataChannelOutput | null;
  /** ABOR came during it. */
  aborted: boolean;
  /** The control connection ended during it. */
  lost: boolean;
  /** The data region is over: the data connection closed and the file closed. */
  dataEnded: boolean;
}

export interface FtpSessionContext {
  control: ControlInfo;
  policy: ServerPolicy;
  now: () => number;
  refuse: string | null;
  state: FtpSessionState;
  splitter: LineSplitterState;
  lines: Result<Uint8Array>[];
  /** The step being carried out. */
  step: Step | null;
  /** The reply being sent and how much of it is sent; close afterwards when `closeAfter`. */
  out: Uint8Array;
  sent: number;
  closeAfter: boolean;
  /** Data channel children: how many were started (for ids), and the ones still running. */
  dataCount: number;
  dataChildren: string[];
  transfer: TransferStatus | null;
  commands: number;
  end: 'quit' | 'vanished' | 'idle' | 'refused' | 'failedLogins' | 'failed' | null;
}

export interface FtpSessionOutput {
  commands: number;
  end: FtpSessionContext['end'];
  user: string | null;
}

/** The data child that is set up now (passive), if any. */
function passiveChild(state: FtpSessionState): string | null {
  return state.data.kind === 'passive' ? state.data.child : null;
}

/** The id in a done/error event of a child: 'xstate.done.actor.data3' → 'data3'. */
function childIdOf(event: { type: string }): string {
  return event.type.replace(/^xstate\.(done|error)\.actor\./, '');
}

/** A waiting line that is ABOR (urgent or not): it is answered during a transfer, ahead of the queue. */
function isAbort(line: Result<Uint8Array>): boolean {
  if (!line.ok) return false;
  const parsed = parseCommandLine(line.value);
  return parsed.ok && parsed.value.verb === 'ABOR';
}

function situation(context: FtpSessionContext) {
  return { state: context.state, control: context.control, policy: context.policy, now: context.now() };
}

/** A state that sends `context.out` in full (send may take part), then goes on. */
function sendingAll(self: string, next: string, onError = '#ftpSession.closing') {
  return {
    invoke: {
      id: 'send',
      src: 'send' as const,
      input: ({ context }: { context: FtpSessionContext }) => ({ conn: context.control.conn, bytes: context.out.subarray(context.sent) }),
      onDone: [
        { guard: 'sentAll' as const, target: next, actions: 'noteSent' as const },
        { target: self, reenter: true, actions: 'noteSent' as const },
      ],
      onError: { target: onError, actions: assign({ end: 'vanished' as const }) },
    },
  };
}

/** A state that makes one file call and resumes the command with its result. */
function fileCall(src: 'stat' | 'scandir' | 'openFile' | 'rename' | 'remove' | 'makeFolder' | 'removeFolder') {
  return {
    invoke: {
      id: src,
      src,
      input: ({ context }: { context: FtpSessionContext }) => (context.step as Extract<Step, { kind: 'file' }>).input as never,
      onDone: { target: 'route', actions: { type: 'resume' as const, params: ({ event }: { event: { output: unknown } }) => ({ outcome: { ok: true, output: event.output } as CallOutcome }) } },
      onError: {
        target: 'route',
        actions: {
          type: 'resume' as const,
          params: ({ event }: { event: { error: unknown } }) => {
            const e = toSocketError(event.error);
            return { outcome: { ok: false, code: e.code, message: e.message } as CallOutcome };
          },
        },
      },
    },
  };
}

export const ftpSessionMachine = setup({
  types: {
    context: {} as FtpSessionContext,
    input: {} as FtpSessionInput,
    output: {} as FtpSessionOutput,
    emitted: {} as { type: 'print'; text: string },
  },
  actors: {
    send: socketActors.send,
    recv: socketActors.recv,
    close: socketActors.close,
    stat: fileActors.stat,
    scandir: fileActors.scandir,
    openFile: fileActors.openFile,
    closeFile: fileActors.closeFile,
    rename: fileActors.rename,
    remove: fileActors.remove,
    makeFolder: fileActors.makeFolder,
    removeFolder: fileActors.removeFolder,
    data: ftpDataMachine,
  },
  delays: {
    loginDelay: ({ context }) => (context.step?.kind === 'delayed' ? context.step.ms : 0),
  },
  actions: {
    noteSent: assign({ sent: ({ context, event }) => context.sent + outputOf<number>(event) }),
    /** Send this text next (a reply, or several). */
    say: assign((_, params: { text: string; close?: boolean }) => ({ out: encodeUtf8(params.text), sent: 0, closeAfter: params.close === true })),
    takeLines: assign(({ context, event }) => {
      const split = splitLines(context.splitter, outputOf<Uint8Array>(event));
      return { splitter: split.rest, lines: [...context.lines, ...split.lines] };
    }),
    /** Decide the first waiting line. */
    decideLine: assign(({ context }) => {
      const [line, ...lines] = context.lines;
      const parsed = line!.ok ? parseCommandLine(line!.value) : line!;
      if (!parsed.ok) return { lines, step: { kind: 'reply' as const, text: refuseLine(parsed.error) }, commands: context.commands + 1 };
      const decision = decide(situation(context), parsed.value);
      const end = parsed.value.verb === 'QUIT' ? ('quit' as const) : context.end;
      return { lines, step: decision.step, state: decision.state, commands: context.commands + 1, end };
    }),
    resume: assign(({ context }, params: { outcome: CallOutcome }) => {
      const step = context.step as Extract<Step, { kind: 'file' }>;
      const decision = resume(situation(context), step.next, params.outcome);
      return { step: decision.step, state: decision.state };
    }),
    /** Close the data channel that is set up, if any (a new PASV, REIN, ABOR, the end). */
    dropPassive: enqueueActions(({ context, enqueue }) => {
      const child = passiveChild(context.state);
      if (child !== null && context.dataChildren.includes(child)) enqueue.sendTo(child, { type: 'DATA.CLOSE' });
    }),
    forgetData: assign({ state: ({ context }) => ({ ...context.state, data: { kind: 'none' as const } }) }),
    startPassive: enqueueActions(({ context, enqueue }) => {
      const child = `data${context.dataCount + 1}`;
      enqueue.spawnChild('data', {
        id: child,
        input: { mode: 'passive', control: context.control, ports: context.policy.passivePorts, timeoutMs: context.policy.dataTimeoutMs },
      });
      enqueue.assign({ dataCount: context.dataCount + 1, dataChildren: [...context.dataChildren, child], state: { ...context.state, data: { kind: 'passive', child } } });
    }),
    /** A data child ended outside a transfer (or after one): stop it, and count it out. */
    stopDataChild: enqueueActions(({ context, event, enqueue }) => {
      const id = childIdOf(event);
      enqueue.stopChild(id);
      const state = passiveChild(context.state) === id ? { ...context.state, data: { kind: 'none' as const } } : context.state;
      enqueue.assign({ dataChildren: context.dataChildren.filter((c) => c !== id), state });
    }),
    print: emit((_, params: { text: string }) => ({ type: 'print' as const, text: params.text })),
    /** A refusal worth a line in the server's log (an FTP bounce). */
    logStep: enqueueActions(({ context, enqueue }) => {
      const log = (context.step as { log?: string } | null)?.log;
      if (log !== undefined) enqueue.emit({ type: 'print', text: log });
    }),
    // ---- the transfer state (transfer.ts) ----
    /** Start the data side: the passive child set up before, or a new active one; hand it the plan; send 150. */
    beginTransfer: enqueueActions(({ context, enqueue }) => {
      const plan = (context.step as Extract<Step, { kind: 'transfer' }>).plan;
      const data = context.state.data;
      let child = passiveChild(context.state);
      if (child !== null && !context.dataChildren.includes(child)) child = null;
      let { dataCount, dataChildren } = context;
      if (data.kind === 'active') {
        child = `data${dataCount + 1}`;
        dataCount += 1;
        dataChildren = [...dataChildren, child];
        enqueue.spawnChild('data', {
          id: child,
          input: { mode: 'active', control: context.control, target: { host: data.host, port: data.port }, ports: null, timeoutMs: context.policy.dataTimeoutMs },
        });
      }
      // RFC 959: a PORT or PASV serves one transfer; the next one sets up its own.
      enqueue.assign({
        dataCount,
        dataChildren,
        state: { ...context.state, data: { kind: 'none' } },
        transfer: { plan, child: child ?? '', result: null, aborted: false, lost: false, dataEnded: false },
        out: encodeUtf8(plan.mark),
        sent: 0,
        closeAfter: false,
      });
      if (child !== null) {
        const { direction, ascii, file, bytes, path } = plan;
        enqueue.sendTo(child, { type: 'DATA.GO', plan: { direction, ascii, ...(file !== undefined ? { file } : {}), ...(bytes !== undefined ? { bytes } : {}), ...(path !== undefined ? { path } : {}) } });
      }
    }),
    endTransfer: assign({ transfer: null }),
    noChannel: assign({ transfer: ({ context }) => ({ ...context.transfer!, result: { outcome: 'failed' as const, wire: 0, file: 0, reply: reply(425, "Can't open data connection: it was closed before the transfer began.") } }) }),
    keepResult: assign({ transfer: ({ context, event }) => ({ ...context.transfer!, result: outputOf<DataChannelOutput | undefined>(event) ?? null }) }),
    closeFileFailed: assign({
      transfer: ({ context }) => ({ ...context.transfer!, result: { outcome: 'failed' as const, wire: 0, file: 0, reply: reply(451, 'The file could not be closed (a local error): it may be incomplete.') } }),
    }),
    dataEnded: assign({ transfer: ({ context }) => ({ ...context.transfer!, dataEnded: true }) }),
    dropAbortLine: assign(({ context }) => {
      const i = context.lines.findIndex(isAbort);
      return { lines: context.lines.filter((_, k) => k !== i), commands: context.commands + 1, transfer: { ...context.transfer!, aborted: true } };
    }),
    abortData: enqueueActions(({ context, enqueue }) => {
      const child = context.transfer?.child ?? '';
      if (context.dataChildren.includes(child)) enqueue.sendTo(child, { type: 'DATA.ABORT' });
    }),
    markLost: assign({ transfer: ({ context }) => ({ ...context.transfer!, lost: true }), end: 'vanished' as const }),
    sayFinal: assign(({ context }) => ({ out: encodeUtf8(finalReply(context.transfer!)), sent: 0 })),
  },
  guards: {
    sentAll: ({ context, event }) => context.sent + outputOf<number>(event) >= context.out.length,
    endOfData: ({ event }) => outputOf<Uint8Array>(event).length === 0,
    noLine: ({ context }) => context.lines.length === 0,
    refused: ({ context }) => context.refuse !== null,
    closeAfter: ({ context }) => context.closeAfter,
    isDataChild: ({ context, event }) => context.dataChildren.includes(childIdOf(event)),
    noDataChild: ({ context }) => context.dataChildren.length === 0,
    stepIs: ({ context }, params: { kind: Step['kind']; call?: string }) =>
      context.step?.kind === params.kind && (params.call === undefined || (context.step.kind === 'file' && context.step.call === params.call)),
    queueFull: ({ context }) => context.lines.length >= MAX_QUEUED_LINES,
    timedOut: ({ event }) => toSocketError((event as { error?: unknown }).error).code === 'ETIMEDOUT',
    noTransferChild: ({ context }) => !context.dataChildren.includes(context.transfer?.child ?? ''),
    isTransferChild: ({ context, event }) => context.transfer !== null && childIdOf(event) === context.transfer.child,
    noTransferFile: ({ context }) => context.transfer?.plan.file === undefined,
    transferDataEnded: ({ context }) => context.transfer?.dataEnded === true,
    transferLostAndEnded: ({ context }) => context.transfer?.dataEnded === true && context.transfer.lost,
    transferLost: ({ context }) => context.transfer?.lost === true,
    abortWaiting: ({ context }) => context.lines.some(isAbort),
  },
}).createMachine({
  id: 'ftpSession',
  context: ({ input }) => {
    const policy = input.policy ?? DEFAULT_POLICY;
    return {
      control: { conn: input.conn, local: input.local, remote: input.remote },
      policy,
      now: input.now ?? (() => Date.now()),
      refuse: input.refuse ?? null,
      state: FRESH_SESSION,
      splitter: LINE_SPLITTER_START,
      lines: [],
      step: null,
      out: encodeUtf8(input.refuse ?? reply(220, policy.banner)),
      sent: 0,
      closeAfter: false,
      dataCount: 0,
      dataChildren: [],
      transfer: null,
      commands: 0,
      end: input.refuse !== undefined ? 'refused' : null,
    };
  },
  // A data child may end whatever the session is doing (a passive port that timed out, a refused stranger).
  on: {
    'xstate.done.actor.*': { guard: 'isDataChild', actions: 'stopDataChild' },
    'xstate.error.actor.*': { guard: 'isDataChild', actions: 'stopDataChild' },
  },
  initial: 'greeting',
  states: {
    greeting: {
      invoke: {
        id: 'send',
        src: 'send',
        input: ({ context }) => ({ conn: context.control.conn, bytes: context.out.subarray(context.sent) }),
        onDone: [
          { guard: 'sentAll', target: 'checkRefused', actions: 'noteSent' },
          { target: 'greeting', reenter: true, actions: 'noteSent' },
        ],
        onError: { target: 'closing', actions: assign({ end: 'vanished' }) },
      },
    },
    checkRefused: { always: [{ guard: 'refused', target: 'closing' }, { target: 'reading' }] },
    reading: {
      invoke: {
        id: 'recv',
        src: 'recv',
        // The idle timeout is the recv's own (ETIMEDOUT), not an `after` timer: XState looks through
        // every timer of the system each time an actor stops, and a server with 1,000 idle sessions
        // would hold 1,000 of them (measured: a quarter of the CPU time of 300 clients at once).
        input: ({ context }) => ({ conn: context.control.conn, max: CONTROL_RECV_BYTES, timeoutMs: context.policy.idleTimeoutMs }),
        onDone: [
          { guard: 'endOfData', target: 'closing', actions: assign({ end: ({ context }) => context.end ?? 'vanished' }) },
          { target: 'nextCommand', actions: 'takeLines' },
        ],
        onError: [
          {
            // RFC 959 section 4.2.1 lists 421 for a server that closes the control connection; vsftpd's idle_session_timeout.
            guard: 'timedOut',
            target: 'replying',
            actions: [
              assign({ end: 'idle' }),
              { type: 'say', params: { text: reply(421, 'Timeout: no command for too long. Closing the control connection.'), close: true } },
              { type: 'print', params: ({ context }) => ({ text: `${plainHost(context.control.remote.host)} idle too long: 421, closing` }) },
            ],
          },
          { target: 'closing', actions: assign({ end: 'vanished' }) },
        ],
      },
    },
    nextCommand: {
      always: [
        { guard: 'noLine', target: 'reading' },
        { target: 'route', actions: 'decideLine' },
      ],
    },
    route: {
      always: [
        {
          guard: { type: 'stepIs', params: { kind: 'reply' } },
          target: 'replying',
          actions: [
            { type: 'say', params: ({ context }) => ({ text: (context.step as { text: string }).text, close: (context.step as { close?: boolean }).close === true }) },
            'logStep',
          ],
        },
        { guard: { type: 'stepIs', params: { kind: 'delayed' } }, target: 'delaying' },
        { guard: { type: 'stepIs', params: { kind: 'passive' } }, target: 'openingPassive' },
        { guard: { type: 'stepIs', params: { kind: 'transfer' } }, target: 'transfer' },
        { guard: { type: 'stepIs', params: { kind: 'abortIdle' } }, target: 'replying', actions: ['dropPassive', 'forgetData', { type: 'say', params: { text: reply(225, 'No transfer to abort; the data connection is closed.') } }] },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'stat' } }, target: 'stat' },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'scandir' } }, target: 'scandir' },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'openFile' } }, target: 'openFile' },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'rename' } }, target: 'rename' },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'remove' } }, target: 'remove' },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'makeFolder' } }, target: 'makeFolder' },
        { guard: { type: 'stepIs', params: { kind: 'file', call: 'removeFolder' } }, target: 'removeFolder' },
        { target: 'replying', actions: { type: 'say', params: { text: reply(451, 'Internal error: nothing to do.') } } },
      ],
    },
    replying: sendingAll('replying', 'afterReply') as never,
    afterReply: { always: [{ guard: 'closeAfter', target: 'closing' }, { target: 'nextCommand' }] },
    delaying: {
      // RFC 2577 section 3: wait before answering a wrong password.
      after: {
        loginDelay: {
          target: 'replying',
          actions: [
            { type: 'say', params: ({ context }) => ({ text: (context.step as { text: string }).text, close: (context.step as { close?: boolean }).close === true }) },
            { type: 'print', params: ({ context }) => ({ text: `${plainHost(context.control.remote.host)}: login incorrect (${context.state.failedLogins} so far)` }) },
          ],
        },
      },
    },
    stat: fileCall('stat') as never,
    scandir: fileCall('scandir') as never,
    openFile: fileCall('openFile') as never,
    rename: fileCall('rename') as never,
    remove: fileCall('remove') as never,
    makeFolder: fileCall('makeFolder') as never,
    removeFolder: fileCall('removeFolder') as never,
    openingPassive: {
      entry: ['dropPassive', 'startPassive'],
      on: {
        'DATA.READY': {
          target: 'replying',
          actions: {
            type: 'say',
            params: ({ context, event }) => {
              const extended = (context.step as { extended?: boolean }).extended === true;
              const text = extended
                ? reply(229, formatEpsvReplyText((event as unknown as { port: number }).port))
                : reply(227, formatPasvReplyText({ host: plainHost(context.control.local.host), port: (event as unknown as { port: number }).port }));
              return { text };
            },
          },
        },
        'DATA.FAILED': { target: 'replying', actions: ['forgetData', { type: 'say', params: { text: reply(425, "Can't open a passive data port: none is free.") } }] },
      },
    },
    transfer: transferStates() as never,
    closing: {
      entry: 'dropPassive',
      invoke: {
        id: 'close',
        src: 'close',
        input: ({ context }) => ({ conn: context.control.conn }),
        onDone: 'waitingForData',
        onError: 'waitingForData',
      },
    },
    // The session ends only once its data children have closed their sockets.
    waitingForData: { always: { guard: 'noDataChild', target: 'done' } },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ commands: context.commands, end: context.end, user: context.state.loggedIn ? context.state.user : null }),
});

export type FtpSessionMachine = typeof ftpSessionMachine;
