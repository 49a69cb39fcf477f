/**
 * The trace: one record stream per run, identical in shape for the real and
 * the simulated transport. The UI reads nothing else. Each record is plain
 * JSON (bytes are base64 text, never a Buffer), so a trace can be written as
 * JSON lines, streamed over a socket or embedded in a page.
 *
 * Every record has
 *   seq  position in the run, from 0 (the header)
 *   t    milliseconds since the run began, on the transport's clock
 *        (virtual for `sim`, wall-clock for `tcp`)
 *
 * Browser-safe: no `node:` import.
 */
import type { Endpoint, TransportKind } from '../transport/types.ts';
import type { TransportErrorCode } from '../transport/errors.ts';

export const TRACE_VERSION = 1;

/** Any JSON value. Events and outputs are converted to this before they are recorded. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** XState's state value: a leaf name, or an object for nested and parallel states. */
export type StateValue = string | { [region: string]: StateValue };

interface Base {
  seq: number;
  t: number;
}

/** First record of every trace. */
export interface RunRecord extends Base {
  type: 'run';
  version: typeof TRACE_VERSION;
  transport: TransportKind;
  /** Lesson id, when the run belongs to one. */
  lesson?: string;
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
}

/** An event reached a machine actor. */
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

// ---- Sockets -------------------------------------------------------------

/** `client` is the end that called connect(); `server` the end that accept()ed. */
export type Side = 'client' | 'server';
/** Direction of bytes on a connection: client to server, or server to client. */
export type Direction = 'c2s' | 's2c';

interface SocketBase extends Base {
  /** The machine actor that made the call. */
  actor: string;
}

interface ConnBase extends SocketBase {
  /** Connection id, the same for both ends of one TCP connection in a run: 'c1', 'c2', ... */
  conn: string;
  side: Side;
}

export interface ListenRecord extends SocketBase {
  type: 'listen';
  /** Listener id: 'l1', 'l2', ... */
  listener: string;
  addr: Endpoint;
  backlog: number;
}

export interface ConnectRecord extends ConnBase {
  type: 'connect';
  local: Endpoint;
  remote: Endpoint;
}

export interface AcceptRecord extends ConnBase {
  type: 'accept';
  listener: string;
  local: Endpoint;
  remote: Endpoint;
}

/** One send call: how many bytes were offered, how many accepted, and those accepted bytes. */
export interface SendRecord extends ConnBase {
  type: 'send';
  dir: Direction;
  offered: number;
  accepted: number;
  /** The accepted bytes, base64. */
  data: string;
}

/** One recv call: its maximum and the bytes it returned (empty at end of data). */
export interface RecvRecord extends ConnBase {
  type: 'recv';
  dir: Direction;
  max: number;
  /** The bytes returned, base64; '' means end of data. */
  data: string;
}

/** A recv returned end of data: the peer closed its sending side. */
export interface EofRecord extends ConnBase {
  type: 'eof';
  dir: Direction;
}

/** The connection was aborted: `by` says which end sent the RST. */
export interface ResetRecord extends ConnBase {
  type: 'reset';
  by: 'local' | 'peer';
}

/** A call failed. `op` names the call; `conn` is absent for listen/connect failures. */
export interface ErrorRecord extends SocketBase {
  type: 'error';
  op: 'listen' | 'accept' | 'connect' | 'send' | 'recv' | 'close' | 'reset';
  code: TransportErrorCode;
  message: string;
  conn?: string;
  side?: Side;
  listener?: string;
}

/** A connection end or a listener was closed. */
export interface CloseRecord extends SocketBase {
  type: 'close';
  conn?: string;
  side?: Side;
  listener?: string;
}

export type MachineRecord = ActorRecord | EventRecord | MicrostepRecord | StatusRecord;
export type SocketRecord =
  | ListenRecord
  | ConnectRecord
  | AcceptRecord
  | SendRecord
  | RecvRecord
  | EofRecord
  | ResetRecord
  | ErrorRecord
  | CloseRecord;
export type TraceRecord = RunRecord | MachineRecord | SocketRecord;

/** A record before the trace numbers and times it. */
export type Unstamped<R> = R extends TraceRecord ? Omit<R, 'seq' | 't'> : never;

export function isSocketRecord(r: TraceRecord): r is SocketRecord {
  return (
    r.type === 'listen' ||
    r.type === 'connect' ||
    r.type === 'accept' ||
    r.type === 'send' ||
    r.type === 'recv' ||
    r.type === 'eof' ||
    r.type === 'reset' ||
    r.type === 'error' ||
    r.type === 'close'
  );
}
