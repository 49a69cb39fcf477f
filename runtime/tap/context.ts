/**
 * What the parts of a tap share: the two lanes, one program's side of a
 * relayed connection, and the tap itself as its relays see it. Browser-safe.
 */
import type { ConnEnd, Endpoint } from '../../machines/socket-calls.ts';
import { OUTSIDE_PROGRAM, type ActorRecord, type Unstamped } from '../trace/records.ts';
import type { Trace } from '../trace/trace.ts';
import type { Connection, Listener, Transport } from '../transport/types.ts';
import type { TapFaults } from './faults.ts';

/**
 * A tap trace has two lanes, the student's two programs. The tap itself is
 * not a lane: what it does to the bytes is recorded as `fault` records.
 */
export type TapLane = 'client' | 'server';

export const TAP_ACTORS: readonly Unstamped<ActorRecord>[] = [
  { type: 'actor', actor: 'client', machine: OUTSIDE_PROGRAM, role: 'client' },
  { type: 'actor', actor: 'server', machine: OUTSIDE_PROGRAM, role: 'server' },
];

/**
 * One program's end of a relayed connection: the tap's socket facing that
 * program, and the connection as the program sees it. The program's own
 * address is the far end of the tap's socket, and the address it talks to
 * is the tap's near end.
 */
export interface TapSide {
  readonly conn: Connection;
  readonly lane: TapLane;
  /** Which end of the connection the program holds. */
  readonly end: ConnEnd;
  readonly local: Endpoint;
  readonly remote: Endpoint;
}

export function sideOf(conn: Connection, lane: TapLane, end: ConnEnd): TapSide {
  return { conn, lane, end, local: { ...conn.remote }, remote: { ...conn.local } };
}

/** A connection to relay: both programs' sides, and how the trace names it. */
export interface RelayPlan {
  connector: TapSide;
  acceptor: TapSide;
  /** 'data' for an FTP data connection; a control connection is named by its greeting. */
  label?: string;
  /** The connection this one belongs to (a data connection's control connection). */
  link?: string;
  /** Watch for an FTP greeting, and if one comes, for PORT, EPRT, 227 and 229. */
  watchFtp: boolean;
}

/** The tap, as its relays and FTP watchers see it. */
export interface TapContext {
  readonly transport: Transport;
  readonly trace: Trace;
  readonly faults: TapFaults;
  /** True once stop() was called: nothing new starts. */
  readonly stopping: boolean;
  /** The id of a program's listening socket, by its address (the tap only sees what it accepted). */
  listenerId(address: Endpoint): string;
  /** Relay a connection until it is over. */
  relay(plan: RelayPlan): Promise<void>;
  /**
   * Record a connection the tap accepted but could not carry on to the
   * other program (`error` says why), and reset it.
   */
  unreachable(side: TapSide, error: unknown, names: { label?: string; link?: string }): Promise<void>;
  /** A listener of the tap's own (for an FTP data connection), closed when the tap stops. */
  listen(host: string): Promise<Listener>;
  /** Connect onward to a program; cancelled when the tap stops. */
  connect(to: Endpoint): Promise<Connection>;
}
