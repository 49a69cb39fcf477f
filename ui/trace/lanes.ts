/**
 * The sequence diagram's lanes, and each actor's role, kept up to date as
 * actors appear and end: the same lanes as sequence.ts `buildLanes` gives
 * for the whole trace (servers, each server's sessions, clients, the
 * clients' children; a column reused once its actor has ended), at O(1)
 * per actor instead of O(actors) per batch. A live run of a busy server
 * starts an actor every few records; recomputing every lane for each of
 * them is what made following it slow.
 *
 * Columns are given greedily in order of start, which can be done as
 * actors come: when one starts, every end before it is known. The arrays
 * handed out (`snapshot()`) are rebuilt only when the layout changes (a
 * new column, a new group, a group's title); a new actor in an existing
 * column is appended to that column's live list of spans. When an actor's
 * role turns out other than it was taken to be (an actor without a role
 * that starts listening), everything is placed again, once.
 *
 * Several runs shown as one (live runs merged, merge-runs.ts) give each run
 * its own groups: `groupOf` names the run an actor came from, and its
 * servers, clients and their children are drawn under that run's title
 * instead of sharing one 'servers' and one 'clients' group with the others.
 */
import type { Role } from '../../runtime/trace/records.ts';
import type { LaneColumn, LaneGroup, LaneSpan, SequenceModel } from './sequence.ts';
import type { ActorInfo, StepModel } from './steps.ts';
import { ROLES } from './roles.ts';

export type Lanes = Pick<SequenceModel, 'groups' | 'columns' | 'laneOf'>;

interface Column {
  /** The step its latest actor ended (Infinity while it runs). */
  busyUntil: number;
  spans: LaneSpan[];
}

/** The run an actor came from, when several runs are shown as one. */
export interface RunGroup {
  /** Tells runs apart (the same for every actor of a run). */
  key: string;
  /** Shown above the run's lanes. */
  title: string;
}

/** Which run an actor came from; undefined when one run is shown. */
export type GroupOf = (actor: string) => RunGroup | undefined;

interface Group {
  /** 'servers', 'clients' (then ' <run key>' when runs are told apart), '<top key>|column N', '<top key>|children'. */
  key: string;
  title: string;
  role: Role;
  side: 'left' | 'right';
  columns: Column[];
  spans: number;
  /** A group of children: the servers' or clients' group their roots are in. */
  under: Group | null;
  /** Titled by the run it shows, whatever its number of lanes. */
  ofRun: boolean;
}

/** How far up a chain of parents to look (a loop in a broken trace must not hang the page). */
const MAX_DEPTH = 64;

export class LaneIndex {
  private roleMap = new Map<string, Role>();
  private laneOf = new Map<string, LaneSpan>();
  private where = new Map<LaneSpan, { group: Group; column: number }>();
  /** Each placed actor's parent when it was placed: a parent named later moves its lane. */
  private readonly parentSeen = new Map<string, string | null>();
  /** The servers' and the clients' groups (one of each per run when runs are told apart), in order of their first actor. */
  private tops = new Map<string, Group>();
  private children = new Map<string, Group>();
  private placed = 0;
  private dirty = false;
  /** Grows when the layout changes: the snapshot is rebuilt then. */
  private layout = 0;
  private snapshotOf: { layout: number; lanes: Lanes; base: Map<Group, number> } | null = null;

  constructor(
    private readonly model: StepModel,
    private readonly machineRoles: Readonly<Record<string, Role>> = {},
    private readonly groupOf: GroupOf = () => undefined,
  ) {
    this.reset();
  }

  /**
   * Each actor's role: its own `actor` record's, else its lesson machine's,
   * else a child is a session and one that serves a server. A new Map when
   * an actor's role changed (so what was drawn with the old one is drawn again).
   */
  get roles(): ReadonlyMap<string, Role> {
    this.settle();
    return this.roleMap;
  }

  private reset(): void {
    this.roleMap = new Map();
    this.laneOf = new Map();
    this.where = new Map();
    this.tops = new Map();
    this.children = new Map();
    this.placed = 0;
    this.dirty = false;
    this.layout++;
  }

  /** An actor's role from what the model knows of it now. */
  private roleOf(info: ActorInfo): Role {
    const model = this.model;
    const fromLesson = info.machine === null ? undefined : this.machineRoles[info.machine];
    const role: Role = info.role ?? fromLesson ?? (info.parent !== null ? 'session' : model.serves.has(info.actor) ? 'server' : 'client');
    return ROLES.includes(role) ? role : 'client';
  }

  /** Place the actors the model has added since the last call. */
  placeNew(): void {
    const { actors } = this.model;
    for (; this.placed < actors.length; this.placed++) this.place(actors[this.placed]!);
  }

  /** An actor ended at `step`: its column is free for the next one to start after it. */
  ended(actor: string, step: number): void {
    const span = this.laneOf.get(actor);
    if (span === undefined || span.to !== null) return;
    span.to = step;
    const at = this.where.get(span)!;
    at.group.columns[at.column]!.busyUntil = step;
  }

  /** An actor's `actor` record came, or it started serving: if that changes its role or its parent, place everything again. */
  changed(info: ActorInfo): void {
    const span = this.laneOf.get(info.actor);
    if (span === undefined) return;
    if (span.role !== this.roleOf(info) || this.parentSeen.get(info.actor) !== info.parent) this.dirty = true;
  }

  /** Every actor placed, and placed again if one changed. */
  private settle(): void {
    this.placeNew();
    if (!this.dirty) return;
    this.reset();
    this.parentSeen.clear();
    this.placeNew();
  }

  /** The lanes now: the same arrays until the layout changes. */
  snapshot(): Lanes {
    this.settle();
    if (this.snapshotOf !== null && this.snapshotOf.layout === this.layout) return this.snapshotOf.lanes;
    // Left to right: each servers' group and its children (by server column), then each clients' group and its children.
    const ordered: Group[] = [];
    const tops = [...this.tops.values()];
    for (const top of [...tops.filter((g) => g.side === 'left'), ...tops.filter((g) => g.side === 'right')]) {
      ordered.push(top);
      const under = [...this.children.values()].filter((g) => g.under === top);
      under.sort((a, b) => Number(a.key.split(' ').pop()) - Number(b.key.split(' ').pop()));
      ordered.push(...under);
    }
    const groups: LaneGroup[] = [];
    const columns: LaneColumn[] = [];
    const base = new Map<Group, number>();
    for (const g of ordered) {
      if (g.spans === 0) continue;
      const group: LaneGroup = { index: groups.length, title: g.title, role: g.role, side: g.side, columns: [] };
      base.set(g, columns.length);
      for (const c of g.columns) {
        group.columns.push(columns.length);
        columns.push({ index: columns.length, group: group.index, role: g.role, spans: c.spans });
        for (const span of c.spans) span.column = columns.length - 1;
      }
      // A single lane is titled by its actor's own name in the header: no group title needed for it.
      if (g.columns.length === 1 && g.spans === 1 && g.under === null && !g.ofRun) group.title = '';
      groups.push(group);
    }
    const lanes: Lanes = { groups, columns, laneOf: this.laneOf };
    this.snapshotOf = { layout: this.layout, lanes, base };
    return lanes;
  }

  private rootOf(info: ActorInfo): ActorInfo {
    const model = this.model;
    let at = info;
    for (let depth = 0; at.parent !== null && depth < MAX_DEPTH; depth++) {
      const parent = model.byActor.get(at.parent);
      if (parent === undefined || parent === info) break;
      at = parent;
    }
    return at;
  }

  /** The servers' (left) or clients' group of an actor's run. */
  private topGroup(left: boolean, actor: string): Group {
    const run = this.groupOf(actor);
    const base = left ? 'servers' : 'clients';
    const key = run === undefined ? base : `${base} ${run.key}`;
    let group = this.tops.get(key);
    if (group === undefined) {
      group = { key, title: run?.title ?? base, role: left ? 'server' : 'client', side: left ? 'left' : 'right', columns: [], spans: 0, under: null, ofRun: run !== undefined };
      this.tops.set(key, group);
      this.layout++;
    }
    return group;
  }

  private place(info: ActorInfo): void {
    const role = this.roleOf(info);
    this.roleMap.set(info.actor, role);
    this.parentSeen.set(info.actor, info.parent);
    const span: LaneSpan = { actor: info.actor, role, column: -1, from: info.first, to: info.end < 0 ? null : info.end };
    this.laneOf.set(info.actor, span);
    const root = this.rootOf(info);
    const isLeft = (r: ActorInfo) => {
      const rr = this.roleMap.get(r.actor) ?? this.roleOf(r);
      return rr === 'server' || rr === 'session';
    };
    let group: Group;
    if (root === info) {
      group = this.topGroup(isLeft(info), info.actor);
    } else {
      const left = isLeft(root);
      const rootSpan = this.laneOf.get(root.actor);
      const rootAt = rootSpan === undefined ? undefined : this.where.get(rootSpan);
      const top = rootAt?.group ?? this.topGroup(left, root.actor);
      const key = left ? `${top.key}|server column ${rootAt === undefined ? 0 : rootAt.column}` : `${top.key}|children`;
      let found = this.children.get(key);
      if (found === undefined) {
        const plural = role === 'session' ? 'sessions' : 'children';
        found = left
          ? { key, title: `${root.actor}'s ${plural}`, role, side: 'left', columns: [], spans: 0, under: top, ofRun: false }
          : { key, title: `clients' ${plural}`, role, side: 'right', columns: [], spans: 0, under: top, ofRun: false };
        this.children.set(key, found);
        this.layout++;
      } else if (left && !found.title.startsWith(`${root.actor}'s`) && found.title.includes("'s ")) {
        found.title = found.title.replace(/^.*'s /, '');
        this.layout++;
      }
      group = found;
    }
    let column = group.columns.findIndex((c) => c.busyUntil < span.from);
    if (column < 0) {
      column = group.columns.length;
      group.columns.push({ busyUntil: Number.POSITIVE_INFINITY, spans: [] });
      this.layout++;
    }
    const c = group.columns[column]!;
    c.busyUntil = span.to ?? Number.POSITIVE_INFINITY;
    c.spans.push(span);
    group.spans++;
    // A second actor in the servers' or clients' group gives it a title: a new layout.
    if (group.spans === 2 && group.under === null) this.layout++;
    this.where.set(span, { group, column });
    const snap = this.snapshotOf;
    if (snap !== null && snap.layout === this.layout) span.column = snap.base.get(group)! + column;
  }
}
