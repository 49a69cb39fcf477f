/**
 * One plain sentence per trace record: the page's step caption and the
 * CLI's line. Socket records read as their call defines them
 * (machines/socket-calls.ts), file records as theirs do
 * (machines/file-calls.ts); machine records read here. The page passes
 * what only it knows (the readable cause of a microstep, from the chart);
 * the CLI passes nothing. Browser-safe.
 */
import { describeFileRecord } from '../../machines/file-calls.ts';
import { byteCount, describeSocketRecord, hintFor } from '../../machines/socket-calls.ts';
import { describeTransferRecord } from '../../machines/transfer-calls.ts';
import {
  isFileRecord,
  isSocketRecord,
  isTransferRecord,
  OUTSIDE_PROGRAM,
  type FaultRecord,
  type StateValue,
  type StatusRecord,
  type TraceRecord,
} from './records.ts';

export interface DescribeContext {
  /**
   * Why a microstep happened, as the page reads it off the statechart:
   * 'accept ✓', or 'automatically (always [noMoreClients])'.
   */
  cause?: string;
  /** For a status record: the state the actor ended in. */
  lastState?: StateValue | null;
}

/** A state value as text: 'receiving', or 'transfer.sending | control.idle' for nested and parallel states. */
export function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, sub]) => `${key}.${stateText(sub)}`)
      .join(' | ');
  }
  return String(value);
}

/** How a machine ended. XState says `done` for any final state; a `failed` state or an output `error` is a failure. */
export interface Outcome {
  kind: 'finished' | 'failed' | 'stopped';
  code: string | null;
  message: string | null;
  hint: string | null;
  /** 'finished ✓', 'failed ✗ ECONNREFUSED', 'stopped'. */
  badge: string;
}

export function outcomeOf(status: StatusRecord, lastState: StateValue | null = null): Outcome {
  if (status.status === 'stopped') return { kind: 'stopped', code: null, message: null, hint: null, badge: 'stopped' };
  const error = outputError(status.output);
  const failed = status.status === 'error' || error !== null || lastState === 'failed';
  if (!failed) return { kind: 'finished', code: null, message: null, hint: null, badge: 'finished ✓' };
  const code = error?.code ?? null;
  return { kind: 'failed', code, message: error?.message ?? null, hint: hintFor(code), badge: code === null ? 'failed ✗' : `failed ✗ ${code}` };
}

/** The `error` of a machine's output, when it is `{ code?, message? }`. */
function outputError(output: unknown): { code: string | null; message: string | null } | null {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return null;
  const error = (output as { error?: unknown }).error;
  if (error === undefined || error === null) return null;
  if (typeof error !== 'object') return { code: null, message: String(error) };
  const { code, message } = error as { code?: unknown; message?: unknown };
  return { code: typeof code === 'string' ? code : null, message: typeof message === 'string' ? message : null };
}

function describeStatus(r: StatusRecord, lastState: StateValue | null): string {
  const outcome = outcomeOf(r, lastState);
  if (outcome.kind === 'stopped') return `${r.actor} was stopped before it finished.`;
  if (outcome.kind === 'finished') return `${r.actor} has finished (final state reached).`;
  // What happened in plain words first, the raw code and message beside it.
  const raw = [outcome.code, outcome.message].filter((x) => x !== null).join(': ');
  if (outcome.hint !== null) return `${r.actor} has failed: ${outcome.hint} (${raw})`;
  if (raw !== '') return `${r.actor} has failed: ${raw}`;
  return `${r.actor} has failed: it ended in its failed state.`;
}

/** What a program's own fault options did to its connection (runtime/run/conn-faults.ts). */
function describeProgramFault(r: FaultRecord, program: string): string {
  const cause = r.cause === undefined ? '' : ` (${r.cause})`;
  switch (r.kind) {
    case 'split':
      return `${program}'s ${byteCount(r.size)} on ${r.conn} go out in ${r.pieces} pieces of at most ${byteCount(r.piece)}${cause}: the other program's recv() may get them one piece at a time.`;
    case 'delay':
      return r.pieces === 1
        ? `${program} waits ${r.ms} ms before its ${byteCount(r.size)} on ${r.conn} go out${cause}.`
        : `${program} waits ${r.ms} ms before each of the ${r.pieces} pieces of its ${byteCount(r.size)} on ${r.conn}${cause}.`;
    case 'reset':
      return `${program}'s run resets ${r.conn} after ${byteCount(r.after)}${cause}: the other program sees a reset (ECONNRESET), not end of data.`;
    case 'rewrite':
      return `${program}'s ${JSON.stringify(r.from)} on ${r.conn} goes out as ${JSON.stringify(r.to)}${cause}.`;
  }
}

/** What the tap did, for the page to say "the tap split this". */
function describeFault(r: FaultRecord): string {
  if (r.program !== undefined) return describeProgramFault(r, r.program);
  switch (r.kind) {
    case 'split':
      return `The tap delivers ${r.sender}'s ${byteCount(r.size)} on ${r.conn} in ${r.pieces} pieces of at most ${byteCount(r.piece)} (--chunk): the other program's recv() may get them one piece at a time.`;
    case 'delay':
      return `The tap waits ${r.ms} ms before ${r.pieces === 1 ? 'delivering' : `each of the ${r.pieces} pieces of`} ${r.sender}'s ${byteCount(r.size)} on ${r.conn} (--delay).`;
    case 'rewrite':
      return `The tap rewrites ${r.sender}'s ${JSON.stringify(r.from)} on ${r.conn} to ${JSON.stringify(r.to)}, so that the data connection goes through the tap too.`;
    case 'reset':
      if (r.because === 'limit') {
        return `The tap resets ${r.conn} after ${byteCount(r.after)} (--reset-after): both programs see a reset (ECONNRESET), not end of data.`;
      }
      if (r.because === 'stopped') return `The tap was stopped while ${r.conn} was open: it resets it, and both programs see a reset.`;
      if (r.because === 'busy') return `The tap already relays ${r.message ?? 'as many connections as it may'}, so it resets ${r.conn}: close some connections first.`;
      return `The tap cannot reach the other program (${r.code ?? 'error'}: ${r.message ?? 'no answer'}), so it resets ${r.conn}.${hintFor(r.code) === null ? '' : ` ${hintFor(r.code)}`}`;
  }
}

/** One sentence for a record. */
export function describeRecord(r: TraceRecord, context: DescribeContext = {}): string {
  if (isSocketRecord(r)) return describeSocketRecord(r).sentence;
  if (isFileRecord(r)) return describeFileRecord(r).sentence;
  if (isTransferRecord(r)) return describeTransferRecord(r).sentence;
  switch (r.type) {
    case 'run':
      return `A run on the ${r.transport === 'sim' ? 'simulated network' : 'real network'}${r.seed === undefined ? '' : ` (seed ${r.seed})`}.`;
    case 'actor':
      if (r.machine === OUTSIDE_PROGRAM) {
        return `${r.actor} is a program outside Sockstep (yours, seen through the tap): only its socket calls show, read off the wire.`;
      }
      return r.parent === undefined
        ? `${r.actor} starts: the ${r.machine} machine begins to run.`
        : `${r.parent} starts ${r.actor}: a ${r.machine} machine of its own.`;
    case 'event':
      return `${r.actor} receives the event ${r.event.type}.`;
    case 'microstep': {
      if (r.transitions.length === 0) return `${r.actor} begins in state ${stateText(r.state)}.`;
      const from = r.transitions.map((t) => t.source.split('.').slice(1).join('.')).join(', ');
      const because = context.cause ?? (r.transitions.every((t) => t.event === '') ? 'automatically' : `on ${r.event}`);
      return `${r.actor}: ${because}, ${from} → ${stateText(r.state)}.`;
    }
    case 'status':
      return describeStatus(r, context.lastState ?? null);
    case 'print':
      return `${r.actor} prints: ${r.text}`;
    case 'fault':
      return describeFault(r);
  }
}
