/**
 * Several live runs shown as one: a server the page started and two
 * clients run from the command line are three traces (one per run), and a
 * learner wants to see the client talk to the server. The merged trace has
 * every run's actors as lanes (a name two runs share gets `#2`), one line
 * per TCP connection even when its two ends are in two runs (matched by
 * their addresses, as one trace matches the ends it holds), and the
 * records of all runs in the order they happened (by wall clock: each
 * run's `startedAt` plus the record's `t`; every run on this computer
 * reads the same clock).
 *
 * Records reach the page run by run, in batches, so a record is held
 * until no run can still send an earlier one: every run that is still
 * going has sent something later, or `holdMs` have passed since it
 * happened. One run alone passes through unchanged.
 */
import type { Endpoint } from '../../machines/socket-calls.ts';
import { TRACE_VERSION, type RunRecord, type TraceRecord } from '../../runtime/trace/records.ts';

/** How long a record waits for the other runs' earlier records (ms): their batches come every 25 ms. */
export const MERGE_HOLD_MS = 250;

/** Fields naming an actor, a connection or a listener: renamed so that runs do not clash. */
const ACTOR_FIELDS = ['actor', 'parent', 'sender'] as const;
const CONN_FIELDS = ['conn', 'link'] as const;

interface Source {
  header: RunRecord | null;
  queue: TraceRecord[];
  head: number;
  open: boolean;
  /** Wall-clock time of the latest record received. */
  last: number;
  actors: Map<string, string>;
  conns: Map<string, string>;
  listeners: Map<string, string>;
}

const endpointKey = (a: Endpoint, b: Endpoint) => [`${a.host}|${a.port}`, `${b.host}|${b.port}`].sort().join(' ');

export class RunMerger {
  private readonly sources: Source[];
  private headerSent = false;
  private base = 0;
  private seq = 0;
  private readonly actorNames = new Set<string>();
  private connCount = 0;
  private listenerCount = 0;
  /** Connections by their two addresses: the merged id and which ends have been seen. */
  private readonly byAddresses = new Map<string, { id: string; ends: Set<string> }>();
  /** One run alone: its actors, as they are named. */
  private readonly single = new Set<string>();
  /** Which run each merged actor name came from. */
  private readonly runOfActor = new Map<string, number>();

  constructor(
    count: number,
    private readonly holdMs = MERGE_HOLD_MS,
  ) {
    this.sources = Array.from({ length: count }, () => ({
      header: null,
      queue: [],
      head: 0,
      open: true,
      last: 0,
      actors: new Map(),
      conns: new Map(),
      listeners: new Map(),
    }));
  }

  /** Records of one run, in its own order. */
  push(source: number, records: readonly TraceRecord[]): void {
    const s = this.sources[source]!;
    for (const r of records) {
      if (r.type === 'run' && s.header === null) {
        s.header = r;
        continue;
      }
      s.queue.push(r);
      if (s.header !== null) s.last = s.header.startedAt + r.t;
    }
  }

  /** A run's actors as the merged trace names them, in order of appearance. */
  actorsOf(source: number): string[] {
    const s = this.sources[source];
    if (s === undefined) return [];
    if (this.sources.length === 1) return [...this.single];
    return [...s.actors.values()];
  }

  /** The run (its number among the sources) a merged actor came from; undefined when one run is shown. */
  runOf(actor: string): number | undefined {
    return this.runOfActor.get(actor);
  }

  /** A run will send no more (it ended, or its stream failed). */
  close(source: number): void {
    this.sources[source]!.open = false;
  }

  /** The merged records that can be placed now (`now`: wall clock, ms since 1970). */
  take(now = Date.now()): TraceRecord[] {
    if (this.sources.length === 1) return this.passThrough(this.sources[0]!);
    const out: TraceRecord[] = [];
    if (!this.headerSent) {
      if (this.sources.some((s) => s.header === null && s.open)) return out;
      const headers = this.sources.flatMap((s) => (s.header === null ? [] : [s.header]));
      if (headers.length === 0) return out;
      this.base = Math.min(...headers.map((h) => h.startedAt));
      const lessons = new Set(headers.map((h) => h.lesson));
      const header: RunRecord = { seq: 0, t: 0, type: 'run', version: TRACE_VERSION, transport: headers[0]!.transport, startedAt: this.base };
      const lesson = [...lessons][0];
      if (lessons.size === 1 && lesson !== undefined) header.lesson = lesson;
      out.push(header);
      this.headerSent = true;
      this.seq = 1;
    }
    const late = now - this.holdMs;
    for (;;) {
      // A run still going with nothing queued may yet send something as old as its latest record.
      let bound = Number.POSITIVE_INFINITY;
      let best: Source | null = null;
      let bestAt = Number.POSITIVE_INFINITY;
      for (const s of this.sources) {
        if (s.header === null) continue;
        if (s.head < s.queue.length) {
          const at = s.header.startedAt + s.queue[s.head]!.t;
          if (at < bestAt) [best, bestAt] = [s, at];
        } else if (s.open) {
          bound = Math.min(bound, s.last);
        }
      }
      if (best === null || (bestAt > bound && bestAt > late)) break;
      const r = best.queue[best.head++]!;
      out.push(this.renamed(best, r, bestAt - this.base));
      if (best.head > 4096 && best.head * 2 > best.queue.length) {
        best.queue = best.queue.slice(best.head);
        best.head = 0;
      }
    }
    return out;
  }

  private passThrough(s: Source): TraceRecord[] {
    const out = s.queue.slice(s.head);
    for (const r of out) if (r.type === 'actor') this.single.add(r.actor);
    if (s.header !== null && !this.headerSent) {
      out.unshift(s.header);
      this.headerSent = true;
    }
    s.queue = [];
    s.head = 0;
    return out;
  }

  private renamed(s: Source, r: TraceRecord, t: number): TraceRecord {
    const copy: Record<string, unknown> = { ...r, seq: this.seq++, t: Math.round(t * 1000) / 1000 };
    for (const f of ACTOR_FIELDS) {
      const name = copy[f];
      if (typeof name === 'string') copy[f] = this.actorName(s, name);
    }
    if (r.type === 'connect' || r.type === 'accept') {
      copy.conn = this.connOpened(s, r.conn, r.end, r.local, r.remote);
      const link = (r as { link?: unknown }).link;
      if (typeof link === 'string') copy.link = this.connName(s, link);
    } else {
      for (const f of CONN_FIELDS) {
        const id = copy[f];
        if (typeof id === 'string') copy[f] = this.connName(s, id);
      }
    }
    const listener = copy.listener;
    if (typeof listener === 'string') {
      let name = s.listeners.get(listener);
      if (name === undefined) s.listeners.set(listener, (name = `l${++this.listenerCount}`));
      copy.listener = name;
    }
    return copy as unknown as TraceRecord;
  }

  private actorName(s: Source, name: string): string {
    const known = s.actors.get(name);
    if (known !== undefined) return known;
    let merged = name;
    for (let n = 2; this.actorNames.has(merged); n++) merged = `${name}#${n}`;
    this.actorNames.add(merged);
    s.actors.set(name, merged);
    this.runOfActor.set(merged, this.sources.indexOf(s));
    return merged;
  }

  private connName(s: Source, conn: string): string {
    let name = s.conns.get(conn);
    if (name === undefined) s.conns.set(conn, (name = `c${++this.connCount}`));
    return name;
  }

  /** A connection's end opened: the same id as its other end in another run, if that run holds it. */
  private connOpened(s: Source, conn: string, end: string, local: Endpoint, remote: Endpoint): string {
    const own = s.conns.get(conn);
    if (own !== undefined) return own;
    const key = endpointKey(local, remote);
    const other = this.byAddresses.get(key);
    if (other !== undefined && !other.ends.has(end)) {
      other.ends.add(end);
      s.conns.set(conn, other.id);
      return other.id;
    }
    const id = this.connName(s, conn);
    this.byAddresses.set(key, { id, ends: new Set([end]) });
    return id;
  }
}
