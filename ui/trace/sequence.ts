/**
 * The sequence diagram's model. Columns, left to right: the server lanes,
 * one line per connection (the wire, where bytes travel), the client lanes.
 * Each step is one row; a socket call is an arrow between an actor's lane
 * and its connection's line, a state change a label on the actor's lane.
 *
 * Connections reuse columns once closed, so a server that serves a
 * thousand clients one after another needs one connection column, not a
 * thousand.
 */
import type { SocketRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { endpointText } from '../../runtime/transport/endpoint.ts';
import { base64Size } from './byte-rows.ts';
import { byteCount } from './byte-text.ts';
import { outcomeOf } from './outcome.ts';
import type { StepContext } from './step-context.ts';
import { recordAt, type StepModel } from './steps.ts';
import { causeOf } from './transitions.ts';

export type Role = 'server' | 'client';

export interface ConnSpan {
  conn: string;
  /** Column among the connection columns. */
  slot: number;
  /** First step that names the connection (connect or accept). */
  open: number;
  /** First step at which one end closed or reset it: from here the line is dashed. */
  halfClosed: number | null;
  /** Step at which both ends had closed it (or it was reset): the line stops. Null if still open at the end. */
  closed: number | null;
}

export interface ListenerSpan {
  listener: string;
  actor: string;
  open: number;
  closed: number | null;
}

export interface SequenceModel {
  /** Server lanes first, then clients. */
  lanes: { actor: string; role: Role }[];
  conns: ConnSpan[];
  byConn: Map<string, ConnSpan>;
  listeners: ListenerSpan[];
  /** How many connection columns. */
  slots: number;
  /** Per column, its connections in order of opening (for finding those in a window quickly). */
  bySlot: ConnSpan[][];
}

export function buildSequence(model: StepModel, roles: Partial<Record<string, Role>> = {}): SequenceModel {
  const listensOrAccepts = new Set<string>();
  const byConn = new Map<string, ConnSpan>();
  const closedSides = new Map<string, Set<string>>();
  const listeners = new Map<string, ListenerSpan>();

  for (let step = 0; step < model.count; step++) {
    const r = recordAt(model, step);
    if (r.type === 'listen' || r.type === 'accept') listensOrAccepts.add(r.actor);
    if (r.type === 'listen') listeners.set(r.listener, { listener: r.listener, actor: r.actor, open: step, closed: null });
    if (r.type === 'close' && r.listener !== undefined && r.conn === undefined) {
      const span = listeners.get(r.listener);
      if (span !== undefined) span.closed = step;
    }
    const conn = (r as { conn?: string }).conn;
    if (conn === undefined) continue;
    let span = byConn.get(conn);
    if (span === undefined) {
      span = { conn, slot: 0, open: step, halfClosed: null, closed: null };
      byConn.set(conn, span);
    }
    if (r.type === 'close' || r.type === 'reset') {
      span.halfClosed ??= step;
      const sides = closedSides.get(conn) ?? new Set<string>();
      sides.add(r.side ?? r.actor);
      closedSides.set(conn, sides);
      if (r.type === 'reset' || sides.size >= 2) span.closed ??= step;
    }
  }

  // Greedy column assignment: a connection takes the first column free at its opening step.
  const conns = [...byConn.values()].sort((a, b) => a.open - b.open);
  const busyUntil: number[] = [];
  for (const span of conns) {
    let slot = busyUntil.findIndex((until) => until < span.open);
    if (slot < 0) slot = busyUntil.length;
    span.slot = slot;
    busyUntil[slot] = span.closed ?? Number.POSITIVE_INFINITY;
  }

  const roleOf = (actor: string): Role => roles[actor] ?? (listensOrAccepts.has(actor) ? 'server' : 'client');
  const lanes = model.actors.map((actor) => ({ actor, role: roleOf(actor) }));
  lanes.sort((a, b) => (a.role === b.role ? 0 : a.role === 'server' ? -1 : 1));

  const bySlot: ConnSpan[][] = Array.from({ length: Math.max(1, busyUntil.length) }, () => []);
  for (const span of conns) bySlot[span.slot]!.push(span);

  return { lanes, conns, byConn, listeners: [...listeners.values()], slots: bySlot.length, bySlot };
}

/**
 * The connections whose line shows between two steps. In each column the
 * connections follow one another, so a binary search finds the last one
 * opened by `last` and a walk back stops at the first closed before `first`.
 */
export function connsInWindow(seq: SequenceModel, first: number, last: number): ConnSpan[] {
  const out: ConnSpan[] = [];
  for (const spans of seq.bySlot) {
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (spans[mid]!.open <= last) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const span = spans[i]!;
      if (span.closed !== null && span.closed < first) break;
      out.push(span);
    }
  }
  return out;
}

/** What one row of the diagram shows. */
export type Glyph =
  /** An arrow between an actor's lane and a connection's line. */
  | { kind: 'arrow'; actor: string; conn: string; toward: 'wire' | 'actor'; label: string; tone: Tone }
  /** A label on an actor's lane. */
  | { kind: 'note'; actor: string; label: string; tone: Tone };

export type Tone = 'call' | 'bytes' | 'fin' | 'error' | 'state' | 'done';

function socketGlyph(r: SocketRecord): Glyph {
  switch (r.type) {
    case 'listen':
      return { kind: 'note', actor: r.actor, label: `listen(${r.backlog}) on ${endpointText(r.addr)}`, tone: 'call' };
    case 'connect':
      return { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'wire', label: `connect() → ${r.conn}`, tone: 'call' };
    case 'accept':
      return { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'actor', label: `accept() → ${r.conn}`, tone: 'call' };
    case 'send': {
      const partial = r.accepted < r.offered ? ` of ${r.offered}` : '';
      return { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'wire', label: `send ${byteCount(r.accepted)}${partial}`, tone: 'bytes' };
    }
    case 'recv': {
      const size = base64Size(r.data);
      const label = size === 0 ? "recv → b'' (nothing)" : `recv ${byteCount(size)}`;
      return { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'actor', label, tone: 'bytes' };
    }
    case 'eof':
      return { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'actor', label: 'end of data (FIN)', tone: 'fin' };
    case 'reset':
      return { kind: 'arrow', actor: r.actor, conn: r.conn, toward: r.by === 'local' ? 'wire' : 'actor', label: 'reset (RST)', tone: 'error' };
    case 'error':
      return r.conn !== undefined
        ? { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'actor', label: `${r.op} failed: ${r.code}`, tone: 'error' }
        : { kind: 'note', actor: r.actor, label: `${r.op} failed: ${r.code}`, tone: 'error' };
    case 'close':
      return r.conn !== undefined
        ? { kind: 'arrow', actor: r.actor, conn: r.conn, toward: 'wire', label: 'close() → FIN', tone: 'fin' }
        : { kind: 'note', actor: r.actor, label: `close() listener ${r.listener ?? ''}`.trim(), tone: 'call' };
  }
}

/** The glyph of one record (never `run` or `event`: they are not steps); `context` as for describeStep. */
export function glyphOf(r: TraceRecord, context: StepContext = {}): Glyph {
  switch (r.type) {
    case 'run':
    case 'event':
      return { kind: 'note', actor: '', label: r.type, tone: 'state' };
    case 'actor':
      return { kind: 'note', actor: r.actor, label: `starts (${r.machine})`, tone: 'state' };
    case 'microstep':
      return r.transitions.length === 0
        ? { kind: 'note', actor: r.actor, label: `▶ ${stateText(r.state)}`, tone: 'state' }
        : { kind: 'note', actor: r.actor, label: `${causeOf(r, context.edges ?? null).label} → ${stateText(r.state)}`, tone: 'state' };
    case 'status': {
      const outcome = outcomeOf(r, context.lastState ?? null);
      return { kind: 'note', actor: r.actor, label: outcome.badge, tone: outcome.kind === 'finished' ? 'done' : outcome.kind === 'failed' ? 'error' : 'state' };
    }
    default:
      return socketGlyph(r);
  }
}

/** A state value as text: 'receiving', or 'transfer.sending' for nested states. */
export function stateText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, sub]) => `${key}.${stateText(sub)}`)
      .join(' | ');
  }
  return String(value);
}
