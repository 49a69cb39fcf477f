/**
 * The sequence diagram's model. Columns, left to right:
 *
 *   servers │ each server's sessions │ connections (the wire) │ clients │ the clients' children
 *
 * A lane is one actor; lanes are grouped server → its sessions → clients,
 * and each step is one row, so the actors' calls interleave as they
 * happened. A socket call is an arrow between an actor's lane and its
 * connection's line, a state change a label on the actor's lane.
 *
 * Columns are reused: a session lane that has ended frees its column for
 * the next session, and a closed connection frees its column for the next
 * connection. A server that serves a thousand clients three at a time needs
 * three session columns, not a thousand.
 */
import { describeFileRecord, type FileRecord } from '../../machines/file-calls.ts';
import { describeSocketRecord } from '../../machines/socket-calls.ts';
import { outcomeOf, stateText } from '../../runtime/trace/describe.ts';
import type { FaultRecord, Role, SocketRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { isFileRecord, isSocketRecord } from '../../runtime/trace/records.ts';
import { microstepCause, type StepContext } from './step-context.ts';
import { actorOf, recordAt, type ActorInfo, type StepModel } from './steps.ts';
import { WireIndex, type ConnSpan, type ListenerSpan } from './wires.ts';

export type { ConnSpan, ListenerSpan };

/** One actor's stretch of a column: from its first step to the step it ended (null: to the end of the trace). */
export interface LaneSpan {
  actor: string;
  role: Role;
  column: number;
  from: number;
  to: number | null;
}

/** A column of lanes: its actors follow one another. */
export interface LaneColumn {
  index: number;
  group: number;
  role: Role;
  /** In order of `from`. */
  spans: LaneSpan[];
}

/** Columns drawn together under one heading: 'server2', 'sessions of server2', 'clients'. */
export interface LaneGroup {
  index: number;
  title: string;
  role: Role;
  /** Servers and their sessions left of the wire, clients right of it. */
  side: 'left' | 'right';
  columns: number[];
}

export interface SequenceModel {
  groups: LaneGroup[];
  columns: LaneColumn[];
  /** Each actor's lane. */
  laneOf: Map<string, LaneSpan>;
  conns: ConnSpan[];
  byConn: Map<string, ConnSpan>;
  listeners: ListenerSpan[];
  /** How many connection columns. */
  slots: number;
  /** Per connection column, its connections in order of opening. */
  bySlot: ConnSpan[][];
}

/** The actor a lane hangs under: the root of its chain of parents (a session's server). */
function rootOf(info: ActorInfo, byActor: Map<string, ActorInfo>): ActorInfo {
  let at = info;
  const seen = new Set<string>();
  while (at.parent !== null && !seen.has(at.actor)) {
    seen.add(at.actor);
    const parent = byActor.get(at.parent);
    if (parent === undefined) break;
    at = parent;
  }
  return at;
}

/** Greedy column assignment: each span (in order of start) takes the first column of its group free at its start. */
function assignColumns<T extends { from: number; to: number | null }>(spans: T[], place: (span: T, column: number) => void): number {
  spans.sort((a, b) => a.from - b.from);
  const busyUntil: number[] = [];
  for (const span of spans) {
    let column = busyUntil.findIndex((until) => until < span.from);
    if (column < 0) column = busyUntil.length;
    busyUntil[column] = span.to ?? Number.POSITIVE_INFINITY;
    place(span, column);
  }
  return busyUntil.length;
}

interface PendingGroup {
  title: string;
  role: Role;
  side: 'left' | 'right';
  order: number;
  spans: LaneSpan[];
}

function lanesOf(model: StepModel, roles: ReadonlyMap<string, Role>): Lanes {
  const roleOf = (actor: string): Role => roles.get(actor) ?? 'client';
  const laneOf = new Map<string, LaneSpan>();
  const spanOf = (info: ActorInfo): LaneSpan => {
    const span: LaneSpan = { actor: info.actor, role: roleOf(info.actor), column: -1, from: info.first, to: info.end < 0 ? null : info.end };
    laneOf.set(info.actor, span);
    return span;
  };
  const rootOfActor = new Map(model.actors.map((info) => [info.actor, rootOf(info, model.byActor)]));
  const isLeft = (root: ActorInfo) => roleOf(root.actor) === 'server' || roleOf(root.actor) === 'session';

  // Programs the run started: servers on the left, clients on the right.
  const servers: PendingGroup = { title: 'servers', role: 'server', side: 'left', order: 0, spans: [] };
  const clients: PendingGroup = { title: 'clients', role: 'client', side: 'right', order: 2, spans: [] };
  for (const info of model.actors) {
    if (rootOfActor.get(info.actor) !== info) continue;
    (isLeft(info) ? servers : clients).spans.push(spanOf(info));
  }
  const serverColumns = assignColumns(servers.spans, (span, c) => (span.column = c));

  // Children: a server's sessions next to it. Servers that follow one another in a column (a long
  // run, one server after another) share their sessions' columns; servers running at once do not.
  const groups = new Map<string, PendingGroup>();
  for (const info of model.actors) {
    const root = rootOfActor.get(info.actor)!;
    if (root === info) continue;
    const left = isLeft(root);
    const key = left ? `server column ${laneOf.get(root.actor)!.column}` : 'clients';
    let group = groups.get(key);
    if (group === undefined) {
      const plural = roleOf(info.actor) === 'session' ? 'sessions' : 'children';
      group = left
        ? { title: `${root.actor}'s ${plural}`, role: roleOf(info.actor), side: 'left', order: 1, spans: [] }
        : { title: `clients' ${plural}`, role: roleOf(info.actor), side: 'right', order: 3, spans: [] };
      groups.set(key, group);
    } else if (left && !group.title.startsWith(`${root.actor}'s`)) {
      group.title = group.title.replace(/^.*'s /, '');
    }
    group.spans.push(spanOf(info));
  }

  // Columns, left to right: servers, their children (by server column), clients, the clients' children.
  const ordered: { g: PendingGroup; placed: boolean }[] = [{ g: servers, placed: true }];
  const children = [...groups.entries()].filter(([key]) => key !== 'clients').sort(([a], [b]) => Number(a.split(' ').pop()) - Number(b.split(' ').pop()));
  for (const [, g] of children) ordered.push({ g, placed: false });
  ordered.push({ g: clients, placed: false });
  const clientChildren = groups.get('clients');
  if (clientChildren !== undefined) ordered.push({ g: clientChildren, placed: false });

  const out: LaneGroup[] = [];
  const columns: LaneColumn[] = [];
  for (const { g, placed } of ordered) {
    if (g.spans.length === 0) continue;
    const group: LaneGroup = { index: out.length, title: g.title, role: g.role, side: g.side, columns: [] };
    const base = columns.length;
    const n = placed ? serverColumns : assignColumns(g.spans, (span, c) => (span.column = c));
    for (const span of g.spans) span.column += base;
    for (let c = 0; c < n; c++) {
      group.columns.push(base + c);
      columns.push({ index: base + c, group: group.index, role: g.role, spans: [] });
    }
    for (const span of g.spans) columns[span.column]!.spans.push(span);
    // A single lane is titled by its actor's own name in the header: no group title needed for it.
    if (n === 1 && g.spans.length === 1 && (g === servers || g === clients)) group.title = '';
    out.push(group);
  }
  return { groups: out, columns, laneOf };
}

/** The lanes part of the sequence model: recomputed when the actors change (O(actors)), never per record. */
export type Lanes = Pick<SequenceModel, 'groups' | 'columns' | 'laneOf'>;

export function buildLanes(model: StepModel, roles: ReadonlyMap<string, Role>): Lanes {
  return lanesOf(model, roles);
}

/** The wires of a whole trace (a live run keeps its own WireIndex up to date instead). */
export function buildWires(model: StepModel): WireIndex {
  const wires = new WireIndex();
  for (let step = 0; step < model.count; step++) wires.add(step, recordAt(model, step));
  return wires;
}

/** Lanes and wires as one model for the diagram: cheap, so it is made again when either changes. */
export function sequenceOf(lanes: Lanes, wires: WireIndex): SequenceModel {
  return { ...lanes, conns: wires.conns, byConn: wires.byConn, listeners: wires.listeners, slots: wires.slots, bySlot: wires.bySlot };
}

export function buildSequence(model: StepModel, roles: ReadonlyMap<string, Role>): SequenceModel {
  return sequenceOf(buildLanes(model, roles), buildWires(model));
}

/** The span of a column at a step: the actor in it then, or the latest before it (null before the first). */
export function spanAt(column: LaneColumn, step: number): LaneSpan | null {
  let lo = 0;
  let hi = column.spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (column.spans[mid]!.from <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : column.spans[lo - 1]!;
}

/** The lane spans of a column that show between two steps. */
export function spansInWindow(column: LaneColumn, first: number, last: number): LaneSpan[] {
  const out: LaneSpan[] = [];
  for (const span of column.spans) {
    if (span.from > last) break;
    if (span.to === null || span.to >= first) out.push(span);
  }
  return out;
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
  | { kind: 'note'; actor: string; label: string; tone: Tone }
  /** A label on a connection's line: what the tap (no program: no lane) did to it. */
  | { kind: 'wireNote'; conn: string; label: string; tone: Tone };

export type Tone = 'call' | 'bytes' | 'fin' | 'error' | 'state' | 'done' | 'print';

/** The short label of a socket record, as machines/socket-calls.ts defines it (its type when the record cannot be read). */
export function socketLabel(r: SocketRecord): string {
  try {
    const label = describeSocketRecord(r)?.label;
    return typeof label === 'string' ? label : r.type;
  } catch {
    return r.type;
  }
}

function socketGlyph(r: SocketRecord): Glyph {
  const label = socketLabel(r);
  const conn = (r as { conn?: unknown }).conn;
  const on = typeof conn === 'string' ? conn : null;
  const arrow = (toward: 'wire' | 'actor', tone: Tone): Glyph =>
    on === null ? { kind: 'note', actor: r.actor, label, tone } : { kind: 'arrow', actor: r.actor, conn: on, toward, label, tone };
  switch (r.type) {
    case 'listen':
    case 'closeListener':
      return { kind: 'note', actor: r.actor, label, tone: 'call' };
    case 'connect':
      return arrow('wire', 'call');
    case 'accept':
      return arrow('actor', 'call');
    case 'send':
      return arrow('wire', 'bytes');
    case 'recv':
      return arrow('actor', r.size === 0 ? 'fin' : 'bytes');
    case 'shutdown':
    case 'close':
      return arrow('wire', 'fin');
    case 'reset':
      return arrow(r.by === 'local' ? 'wire' : 'actor', 'error');
    case 'error':
      return arrow('actor', 'error');
    default:
      // `cancel`, and any socket record newer than this page.
      return { kind: 'note', actor: (r as SocketRecord).actor, label, tone: 'state' };
  }
}

/** What the tap did, in a few words. */
export function faultLabel(r: FaultRecord): string {
  switch (r.kind) {
    case 'split':
      return `tap: ${r.pieces} pieces`;
    case 'delay':
      return `tap: waits ${r.ms} ms`;
    case 'rewrite':
      return 'tap: rewrites';
    case 'reset':
      return 'tap: reset (RST)';
    default:
      return 'tap';
  }
}

/** Printed text as a short label: the first line, cut to `max` characters. */
export function printLabel(text: string, max = 28): string {
  const line = text.split('\n')[0] ?? '';
  const cut = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return `print ${JSON.stringify(cut)}`;
}

/** The glyph of one record (never `run` or `event`: they are not steps). */
export function glyphOf(r: TraceRecord, context: Pick<StepContext, 'edges' | 'event' | 'lastState'>): Glyph {
  const actor = actorOf(r);
  switch (r.type) {
    case 'run':
    case 'event':
      return { kind: 'note', actor, label: r.type, tone: 'state' };
    case 'actor':
      return { kind: 'note', actor, label: `${actor} starts`, tone: 'state' };
    case 'microstep':
      return !Array.isArray(r.transitions) || r.transitions.length === 0
        ? { kind: 'note', actor, label: `▶ ${stateText(r.state)}`, tone: 'state' }
        : { kind: 'note', actor, label: `${microstepCause(r, context).label} → ${stateText(r.state)}`, tone: 'state' };
    case 'status': {
      const outcome = outcomeOf(r, context.lastState ?? null);
      return { kind: 'note', actor, label: outcome.badge, tone: outcome.kind === 'finished' ? 'done' : outcome.kind === 'failed' ? 'error' : 'state' };
    }
    case 'print':
      return { kind: 'note', actor, label: printLabel(String(r.text ?? '')), tone: 'print' };
    case 'fault':
      return { kind: 'wireNote', conn: r.conn, label: faultLabel(r), tone: r.kind === 'reset' ? 'error' : 'state' };
    default:
      if (isFileRecord(r as TraceRecord)) {
        let label: string = r.type;
        try {
          label = describeFileRecord(r as FileRecord).label;
        } catch {
          // A file record this page cannot read: its type.
        }
        return { kind: 'note', actor, label, tone: 'call' };
      }
      if (isSocketRecord(r as TraceRecord)) return socketGlyph(r as SocketRecord);
      // A record type this page does not know (a newer trace): its type, on its actor's lane.
      return { kind: 'note', actor, label: String((r as { type?: unknown }).type ?? 'record'), tone: 'state' };
  }
}
