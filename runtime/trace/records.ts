/**
 * The trace, version 2: one record stream per run, identical in shape for
 * the real and the simulated transport. The UI reads nothing else.
 *
 * Every record has
 *   seq  position in the run, from 0 (the header)
 *   t    milliseconds since the run began, on the transport's clock
 *        (virtual for `sim`, wall-clock for `tcp`)
 *
 * Socket records are defined with the socket calls (machines/socket-calls.ts),
 * file records with the file calls (machines/file-calls.ts).
 * In memory, bytes are `Uint8Array`s, kept once: a `send` record holds the
 * bytes it sent, and a `recv` record holds bytes only when no `send` record
 * of the run does. They become base64 text only when the trace is written
 * out (json.ts), so tracing a transfer costs no encoding while it runs.
 *
 * Browser-safe: no `node:` import.
 */
import { FILE_RECORD_TYPES, type FileRecord } from '../../machines/file-calls.ts';
import { SOCKET_RECORD_TYPES, type ConnEnd, type SocketRecord } from '../../machines/socket-calls.ts';
import { TRANSFER_RECORD_TYPES, type TransferTraceRecord } from '../../machines/transfer-calls.ts';
import type { TransportKind } from '../transport/types.ts';

export type {
  AcceptRecord,
  CancelRecord,
  CloseListenerRecord,
  CloseRecord,
  ConnectRecord,
  ConnEnd,
  ErrorRecord,
  ListenRecord,
  RecvRecord,
  ResetRecord,
  SendRecord,
  ShutdownRecord,
  SocketRecord,
} from '../../machines/socket-calls.ts';
export type { FileCancelRecord, FileErrorRecord, FileRecord, ListRecord } from '../../machines/file-calls.ts';

export const TRACE_VERSION = 2;

/** Any JSON value. Events and outputs are converted to this before they are recorded. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** XState's state value: a leaf name, or an object for nested and parallel states. */
export type StateValue = string | { [region: string]: StateValue };

/**
 * The part a program plays in a lesson. Lanes and byte rows are coloured by
 * it, never by which TCP end a program holds.
 */
export type Role = 'server' | 'client' | 'session';

interface Base {
  seq: number;
  t: number;
}

/** First record of every trace. */
export interface RunRecord extends Base {
  type: 'run';
  version: typeof TRACE_VERSION;
  transport: TransportKind;
  /** Wall-clock time the run began (ms since 1970): `t` counts from here. */
  startedAt: number;
  /** Lesson id, when the run belongs to one. */
  lesson?: string;
  /** Which of the lesson's runs this is ('threaded', 'iterative'). */
  scenario?: string;
  /** Seed of the simulated network (sim only): the same seed replays the same trace. */
  seed?: number;
}

// ---- XState inspection ---------------------------------------------------

/** A machine actor was created. Socket records name the same `actor`. */
export interface ActorRecord extends Base {
  type: 'actor';
  actor: string;
  /** The machine's id, which names its statechart. */
  machine: string;
  /** The actor that invoked or spawned this one; absent for a program started by the run. */
  parent?: string;
  role?: Role;
}

/**
 * An event reached a machine actor. Bytes in an event are not copied here:
 * a socket actor's result is in its socket record, so a `Uint8Array` is
 * written as `{ "$bytes": length }`.
 */
export interface EventRecord extends Base {
  type: 'event';
  actor: string;
  event: { type: string; [key: string]: Json };
}

/** One microstep: the transitions taken and the state value after them. */
export interface MicrostepRecord extends Base {
  type: 'microstep';
  actor: string;
  /** Type of the event that caused this step. */
  event: string;
  state: StateValue;
  transitions: { source: string; targets: string[]; event: string }[];
}

/** A machine actor finished: reached a final state, failed, or was stopped. */
export interface StatusRecord extends Base {
  type: 'status';
  actor: string;
  status: 'done' | 'error' | 'stopped';
  output?: Json;
}

/**
 * What the program would print (Python's `print`): a machine emits
 * `{ type: 'print', text }` and the run records it.
 */
export interface PrintRecord extends Base {
  type: 'print';
  actor: string;
  text: string;
}

// ---- The tap (runtime/tap/) --------------------------------------------------

/**
 * The `machine` of an actor that is a program outside Sockstep, such as a
 * student's own client or server seen through `sockstep tap`: its socket
 * calls are read off the wire, and it has no statechart.
 */
export const OUTSIDE_PROGRAM = 'outside';

interface FaultBase extends Base {
  type: 'fault';
  /** The connection it acted on. */
  conn: string;
  /**
   * Absent: the tap did it. Present: the program whose run applied it to
   * its own connection (`sockstep run server1 --chunk 5`, a lesson's fault
   * knob: runtime/run/conn-faults.ts); still no lane of its own.
   */
  program?: string;
  /** The option that asked for it, for sentences: '--chunk 5'. */
  cause?: string;
}

/**
 * The tap delivered bytes in pieces of at most `piece` bytes (`--chunk`).
 * `end`, `offset` and `size` name the bytes as the sender's `send` record does.
 */
export interface SplitFault extends FaultBase {
  kind: 'split';
  /** The actor whose bytes these are (the sender). */
  sender: string;
  end: ConnEnd;
  offset: number;
  size: number;
  piece: number;
  pieces: number;
}

/** The tap waited `ms` before each piece of these bytes (`--delay`). */
export interface DelayFault extends FaultBase {
  kind: 'delay';
  /** The actor whose bytes these are (the sender). */
  sender: string;
  end: ConnEnd;
  offset: number;
  size: number;
  ms: number;
  pieces: number;
}

/**
 * The tap reset both ends of the connection: `limit` after `after` bytes had
 * passed (`--reset-after`), `unreachable` when it could not connect onward
 * (`code`, `message` say why), `busy` when it already relayed as many
 * connections as it may, `stopped` when the tap itself was stopped.
 */
export interface ResetFault extends FaultBase {
  kind: 'reset';
  because: 'limit' | 'unreachable' | 'busy' | 'stopped';
  /** Bytes that had passed, both ways together. */
  after: number;
  code?: string;
  message?: string;
}

/**
 * The tap replaced a line of an FTP control connection (a PORT or EPRT
 * command, a 227 or 229 reply) so that the data connection goes through the
 * tap too. The sender's `send` record keeps the line as sent; the other end
 * read `to` instead.
 */
export interface RewriteFault extends FaultBase {
  kind: 'rewrite';
  /** The actor whose bytes these are (the sender). */
  sender: string;
  end: ConnEnd;
  offset: number;
  size: number;
  from: string;
  to: string;
}

/** What the tap did to a connection in passing. The tap is not a program: a fault has no lane. */
export type FaultRecord = SplitFault | DelayFault | ResetFault | RewriteFault;

export type MachineRecord = ActorRecord | EventRecord | MicrostepRecord | StatusRecord | PrintRecord;
export type TraceSocketRecord = SocketRecord & Base;
export type TraceFileRecord = FileRecord & Base;
/** A transfer's records (machines/transfer-calls.ts): begin, progress, end with a summary of the bytes. */
export type TraceTransferRecord = TransferTraceRecord & Base;
export type TraceRecord = RunRecord | MachineRecord | TraceSocketRecord | TraceFileRecord | TraceTransferRecord | FaultRecord;

/** A record before the trace numbers and times it. */
export type Unstamped<R> = R extends Base ? Omit<R, 'seq' | 't'> : R;
export type UnstampedRecord = Unstamped<RunRecord | MachineRecord | FaultRecord> | SocketRecord | FileRecord | TransferTraceRecord;

export function isSocketRecord(r: TraceRecord): r is TraceSocketRecord {
  return SOCKET_RECORD_TYPES.has(r.type);
}

/** A record left by a transfer (machines/transfer-calls.ts). */
export function isTransferRecord(r: TraceRecord): r is TraceTransferRecord {
  return TRANSFER_RECORD_TYPES.has(r.type);
}

/** A record left by a file call (machines/file-calls.ts). */
export function isFileRecord(r: TraceRecord): r is TraceFileRecord {
  return FILE_RECORD_TYPES.has(r.type);
}
