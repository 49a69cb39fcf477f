/**
 * The step model: what "one step forward" means, and everything each view
 * needs at a step, computed once per trace.
 *
 * A step is one trace record, except
 *   - the `run` header (it describes the whole run), and
 *   - `event` records: an event is shown with the microstep that follows
 *     it for the same actor (`eventOf`), because an event alone changes
 *     nothing on screen; an event that causes no microstep is not shown.
 * Any other record is a step, record types this page does not know included
 * (a newer trace may carry them): they are shown by their type, never dropped.
 *
 * Steps are numbered from 0 here; the page shows and links them from 1.
 *
 * Per actor, the model keeps the record indices of its microsteps, socket
 * calls, prints and all its records, in order; "the latest one at step s" is
 * a binary search. Memory grows with the records, not with actors × steps,
 * so a long run with a thousand sessions costs what its records cost.
 */
import type { ActorRecord, EventRecord, MicrostepRecord, PrintRecord, Role, StatusRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { isFileRecord, isSocketRecord } from '../../runtime/trace/records.ts';

/** One machine actor of the run: a lane. */
export interface ActorInfo {
  actor: string;
  /** Its machine's id (the statechart to draw), or null when the trace has no `actor` record for it. */
  machine: string | null;
  /** The actor that started it (a server for its session), or null for a program started by the run. */
  parent: string | null;
  /** Its role as the trace says, or null. */
  role: Role | null;
  /** First step that names it. */
  first: number;
  /** Step of its `status` record (it ended there), or -1 while it runs. */
  end: number;
  /** Record indices, in order: its microsteps, calls (socket and file records), prints, and every record it has. */
  microsteps: Int32Array;
  calls: Int32Array;
  prints: Int32Array;
  all: Int32Array;
}

export interface StepModel {
  records: readonly TraceRecord[];
  /** How many steps. */
  count: number;
  /** Step → index of its record in `records`. */
  recordOf: Int32Array;
  /** Step → index of the event record shown with it, or -1. */
  eventOf: Int32Array;
  /** Record index → its step, or -1 for `run` and `event` records. */
  stepOfRecord: Int32Array;
  /** Machine actors in order of appearance. */
  actors: ActorInfo[];
  byActor: Map<string, ActorInfo>;
  /** The byte view's rows: indices of the `send` and `recv` records, in order. */
  byteRows: Int32Array;
  /** Step → how many byte rows have happened up to and including that step. */
  byteRowsUpTo: Int32Array;
}

function isStep(r: TraceRecord): boolean {
  return r.type !== 'run' && r.type !== 'event';
}

/** The `actor` of a record, or '' when it has none (a record of a kind this page does not know, say). */
export function actorOf(r: TraceRecord): string {
  const actor = (r as { actor?: unknown }).actor;
  return typeof actor === 'string' ? actor : '';
}

interface Building {
  info: ActorInfo;
  microsteps: number[];
  calls: number[];
  prints: number[];
  all: number[];
}

export function buildSteps(records: readonly TraceRecord[]): StepModel {
  let count = 0;
  for (const r of records) if (isStep(r)) count++;

  const recordOf = new Int32Array(count);
  const eventOf = new Int32Array(count).fill(-1);
  const stepOfRecord = new Int32Array(records.length).fill(-1);
  const byteRowsUpTo = new Int32Array(count);
  const rows: number[] = [];
  const building = new Map<string, Building>();
  const order: Building[] = [];
  // Per actor, its latest event not yet shown: the actor's next microstep shows it if their event types match.
  const pendingEvent = new Map<string, number>();

  const track = (actor: string, step: number): Building => {
    let b = building.get(actor);
    if (b === undefined) {
      const info: ActorInfo = {
        actor,
        machine: null,
        parent: null,
        role: null,
        first: step,
        end: -1,
        microsteps: new Int32Array(0),
        calls: new Int32Array(0),
        prints: new Int32Array(0),
        all: new Int32Array(0),
      };
      b = { info, microsteps: [], calls: [], prints: [], all: [] };
      building.set(actor, b);
      order.push(b);
    }
    return b;
  };

  let step = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.type === 'run') continue;
    const actor = actorOf(r);
    if (r.type === 'event') {
      if (actor !== '') pendingEvent.set(actor, i);
      continue;
    }
    recordOf[step] = i;
    stepOfRecord[i] = step;
    if (actor !== '') {
      const b = track(actor, step);
      b.all.push(i);
      if (r.type === 'actor') {
        const a = r as ActorRecord;
        b.info.machine = typeof a.machine === 'string' ? a.machine : null;
        b.info.parent = typeof a.parent === 'string' ? a.parent : null;
        b.info.role = a.role ?? null;
      } else if (r.type === 'microstep') {
        b.microsteps.push(i);
        const ev = pendingEvent.get(actor);
        if (ev !== undefined && (records[ev] as EventRecord).event?.type === r.event) {
          eventOf[step] = ev;
          pendingEvent.delete(actor);
        }
      } else if (r.type === 'status') {
        if (b.info.end < 0) b.info.end = step;
      } else if (r.type === 'print') {
        b.prints.push(i);
      } else if (isSocketRecord(r)) {
        b.calls.push(i);
        if (r.type === 'send' || r.type === 'recv') rows.push(i);
      } else if (isFileRecord(r)) {
        b.calls.push(i);
      }
    }
    byteRowsUpTo[step] = rows.length;
    step++;
  }

  const actors = order.map((b) => {
    b.info.microsteps = Int32Array.from(b.microsteps);
    b.info.calls = Int32Array.from(b.calls);
    b.info.prints = Int32Array.from(b.prints);
    b.info.all = Int32Array.from(b.all);
    return b.info;
  });
  return {
    records,
    count,
    recordOf,
    eventOf,
    stepOfRecord,
    actors,
    byActor: new Map(actors.map((a) => [a.actor, a])),
    byteRows: Int32Array.from(rows),
    byteRowsUpTo,
  };
}

/** How many entries of an ascending list are ≤ `value`. */
export function countUpTo(list: Int32Array, value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The last entry of an ascending list that is ≤ `value`, or -1. */
export function latestUpTo(list: Int32Array, value: number): number {
  const n = countUpTo(list, value);
  return n === 0 ? -1 : list[n - 1]!;
}

/** The record of a step. */
export function recordAt(model: StepModel, step: number): TraceRecord {
  return model.records[model.recordOf[step]!]!;
}

/** An actor's latest microstep at a step (its state then), or null before it started. */
export function microstepAt(model: StepModel, actor: string, step: number): MicrostepRecord | null {
  const info = model.byActor.get(actor);
  if (info === undefined || model.count === 0) return null;
  const i = latestUpTo(info.microsteps, model.recordOf[step]!);
  return i < 0 ? null : (model.records[i] as MicrostepRecord);
}

/** An actor's status record if it had ended by a step, else null. */
export function statusAt(model: StepModel, actor: string, step: number): StatusRecord | null {
  const info = model.byActor.get(actor);
  if (info === undefined || info.end < 0 || info.end > step) return null;
  return recordAt(model, info.end) as StatusRecord;
}

/** Whether an actor has started by a step and not ended before it. */
export function isAlive(info: ActorInfo, step: number): boolean {
  return info.first <= step && (info.end < 0 || info.end >= step);
}

/** The index of an actor's latest record of any kind up to a step, or -1. */
export function latestRecordOf(model: StepModel, info: ActorInfo, step: number): number {
  return latestUpTo(info.all, model.recordOf[step]!);
}

/** What an actor printed up to a step. */
export function printsUpTo(model: StepModel, info: ActorInfo, step: number): PrintRecord[] {
  const n = model.count === 0 ? 0 : countUpTo(info.prints, model.recordOf[step]!);
  const out: PrintRecord[] = [];
  for (let k = 0; k < n; k++) out.push(model.records[info.prints[k]!] as PrintRecord);
  return out;
}

/** Keep a step number inside the trace. */
export function clampStep(model: StepModel, step: number): number {
  if (!Number.isFinite(step)) return 0;
  return Math.max(0, Math.min(model.count - 1, Math.trunc(step)));
}
