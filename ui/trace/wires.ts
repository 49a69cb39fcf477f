/**
 * The wires of the sequence diagram: each connection's line (from the step
 * that first names it to the step both ends had closed it) and each
 * listening socket's band, kept up to date as records arrive.
 *
 * Connection columns are reused: a closed connection frees its column for
 * the next one. Columns are given greedily in order of opening, which can
 * be done as records arrive: when a connection opens, every close before
 * it is already known, so the answer is the same as for the whole trace.
 */
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { isSocketRecord } from '../../runtime/trace/records.ts';

export interface ConnSpan {
  conn: string;
  /** What the connection is for ('control', 'data'), from its connect, accept or listener. */
  label: string | null;
  /** Column among the connection columns. */
  slot: number;
  /** First step that names the connection (connect or accept). */
  open: number;
  /** First step at which one end closed, shut down or reset it: from here the line is dashed. */
  halfClosed: number | null;
  /** Step at which both ends had closed it (or it was reset): the line stops. Null if still open. */
  closed: number | null;
}

export interface ListenerSpan {
  listener: string;
  actor: string;
  label: string | null;
  open: number;
  closed: number | null;
}

/** What a window carries over from before it: listeners still open, and connections still open with their labels. */
export interface CarriedWires {
  listeners: readonly Omit<ListenerSpan, 'open' | 'closed'>[];
  conns: readonly { conn: string; label: string | null }[];
}

export class WireIndex {
  /** In order of opening. */
  readonly conns: ConnSpan[] = [];
  readonly byConn = new Map<string, ConnSpan>();
  readonly listeners: ListenerSpan[] = [];
  /** Per connection column, its connections in order of opening (at least one column, maybe empty). */
  readonly bySlot: ConnSpan[][] = [[]];
  private readonly listenerById = new Map<string, ListenerSpan>();
  /** The ends that closed each connection still open. */
  private readonly closedEnds = new Map<string, Set<string>>();
  /** Per column, the step its latest connection closed (Infinity while open). */
  private readonly busyUntil: number[] = [];
  /** Connections open before the window: their labels, and they are not new when seen. */
  private readonly carriedConns = new Map<string, string | null>();

  constructor(carried?: CarriedWires) {
    for (const l of carried?.listeners ?? []) this.openListener({ ...l, open: 0, closed: null });
    for (const c of carried?.conns ?? []) this.carriedConns.set(c.conn, c.label);
  }

  /** How many connection columns. */
  get slots(): number {
    return this.bySlot.length;
  }

  /** Index the record of a step; true when it opened a connection not seen before (for the run's count). */
  add(step: number, r: TraceRecord): boolean {
    if (!isSocketRecord(r)) return false;
    if (r.type === 'listen') {
      this.openListener({ listener: r.listener, actor: r.actor, label: r.label ?? null, open: step, closed: null });
      return false;
    }
    if (r.type === 'closeListener') {
      const span = this.listenerById.get(r.listener);
      if (span !== undefined) span.closed ??= step;
      return false;
    }
    const conn = (r as { conn?: unknown }).conn;
    if (typeof conn !== 'string') return false;
    const known = this.byConn.has(conn);
    const span = this.spanOf(conn, step);
    let opened = false;
    if (r.type === 'connect' || r.type === 'accept') {
      span.label ??= r.label ?? (r.type === 'accept' ? (this.listenerById.get(r.listener)?.label ?? null) : null);
      opened = !known && !this.carriedConns.has(conn);
    }
    if (r.type === 'close' || r.type === 'shutdown' || r.type === 'reset') span.halfClosed ??= step;
    if ((r.type === 'close' || r.type === 'reset') && span.closed === null) {
      const ends = this.closedEnds.get(conn) ?? new Set<string>();
      ends.add(r.end);
      this.closedEnds.set(conn, ends);
      if (r.type === 'reset' || ends.size >= 2) {
        span.closed = step;
        this.busyUntil[span.slot] = step;
        this.closedEnds.delete(conn);
      }
    }
    return opened;
  }

  private openListener(span: ListenerSpan): void {
    this.listenerById.set(span.listener, span);
    this.listeners.push(span);
  }

  private spanOf(conn: string, step: number): ConnSpan {
    let span = this.byConn.get(conn);
    if (span !== undefined) return span;
    let slot = this.busyUntil.findIndex((until) => until < step);
    if (slot < 0) slot = this.busyUntil.length;
    this.busyUntil[slot] = Number.POSITIVE_INFINITY;
    span = { conn, label: this.carriedConns.get(conn) ?? null, slot, open: step, halfClosed: null, closed: null };
    this.byConn.set(conn, span);
    this.conns.push(span);
    while (this.bySlot.length <= slot) this.bySlot.push([]);
    this.bySlot[slot]!.push(span);
    return span;
  }
}
