/**
 * The step model: what "one step forward" means, and everything each view
 * needs at a step, built as records arrive.
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
 *
 * Records are appended (`append`, or `add` then `refresh`): a live run or
 * a file read as it streams costs O(1) per record, amortised, never a
 * rebuild of what came before. A long run is shown through a window (see
 * run-model.ts): a model may start part-way through a run (`firstStep`
 * steps were let go before it), its actors that were running then carried
 * over with the state they were in (`before`).
 */
import type { ActorRecord, EventRecord, MicrostepRecord, PrintRecord, Role, StatusRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { isFileRecord, isSocketRecord } from '../../runtime/trace/records.ts';
import { IntList } from './int-list.ts';

/** One machine actor of the run: a lane. */
export interface ActorInfo {
  actor: string;
  /** Its machine's id (the statechart to draw), or null when the trace has no `actor` record for it. */
  machine: string | null;
  /** The actor that started it (a server for its session), or null for a program started by the run. */
  parent: string | null;
  /** Its role as the trace says, or null. */
  role: Role | null;
  /** First step that names it (0 for an actor carried over from before the window). */
  first: number;
  /** Step of its `status` record (it ended there), or -1 while it runs. */
  end: number;
  /** Record indices, in order: its microsteps, calls (socket and file records), prints, and every record it has. */
  microsteps: Int32Array;
  calls: Int32Array;
  prints: Int32Array;
  all: Int32Array;
  /** Its latest microstep before the first step held, for an actor carried over from before the window; else null. */
  before: MicrostepRecord | null;
}

/** An actor still running where a window starts: what the new model needs to know of it. */
export interface CarriedActor {
  actor: string;
  machine: string | null;
  parent: string | null;
  role: Role | null;
  before: MicrostepRecord | null;
  serves: boolean;
}

export interface StepModelOptions {
  /** Steps of the run before this model's first step (let go by a window). Default 0. */
  firstStep?: number;
  /** Actors running when the window starts. */
  carried?: readonly CarriedActor[];
}

function isStep(r: TraceRecord): boolean {
  return r.type !== 'run' && r.type !== 'event';
}

/** The `actor` of a record, or '' when it has none (a record of a kind this page does not know, say). */
export function actorOf(r: TraceRecord): string {
  const actor = (r as { actor?: unknown }).actor;
  return typeof actor === 'string' ? actor : '';
}

interface Lists {
  info: ActorInfo;
  microsteps: IntList;
  calls: IntList;
  prints: IntList;
  all: IntList;
}

const EMPTY = new Int32Array(0);

export class StepModel {
  readonly records: TraceRecord[] = [];
  /** How many steps. */
  count = 0;
  /** Step → index of its record in `records`. */
  recordOf: Int32Array = EMPTY;
  /** Step → index of the event record shown with it, or -1. */
  eventOf: Int32Array = EMPTY;
  /** Record index → its step, or -1 for `run` and `event` records. */
  stepOfRecord: Int32Array = EMPTY;
  /** Machine actors in order of appearance. */
  readonly actors: ActorInfo[] = [];
  readonly byActor = new Map<string, ActorInfo>();
  /** The byte view's rows: indices of the `send` and `recv` records, in order. */
  byteRows: Int32Array = EMPTY;
  /** Step → how many byte rows have happened up to and including that step. */
  byteRowsUpTo: Int32Array = EMPTY;
  /** Steps of the run before step 0 of this model: the page shows step s as step `firstStep + s + 1`. */
  readonly firstStep: number;
  /** Actors that listened or accepted: servers, where the trace does not say. */
  readonly serves = new Set<string>();
  /** Grows whenever an actor appears, ends, says what it is or starts serving: lanes and roles are recomputed from it. */
  actorsVersion = 0;
  /** Each machine's actors, in the order their `actor` records came (a chart per machine). */
  readonly byMachine = new Map<string, ActorInfo[]>();
  /** Grows when a machine is seen for the first time: the charts and scripts to show change. */
  machinesVersion = 0;

  private readonly recordOfList = new IntList(1024);
  private readonly eventOfList = new IntList(1024);
  private readonly stepOfRecordList = new IntList(1024);
  private readonly byteRowList = new IntList(256);
  private readonly byteRowsUpToList = new IntList(1024);
  private readonly lists = new Map<string, Lists>();
  /** Actors whose lists changed since the last refresh. */
  private readonly touched = new Set<Lists>();
  /** Per actor, its latest event not yet shown: the actor's next microstep shows it if their event types match. */
  private readonly pendingEvent = new Map<string, number>();

  constructor(options: StepModelOptions = {}) {
    this.firstStep = options.firstStep ?? 0;
    for (const c of options.carried ?? []) {
      const lists = this.track(c.actor, 0);
      Object.assign(lists.info, { machine: c.machine, parent: c.parent, role: c.role, before: c.before });
      this.fileUnderMachine(lists.info, null);
      if (c.serves) this.serves.add(c.actor);
    }
    this.refresh();
  }

  /** Add records, then refresh the views. */
  append(records: Iterable<TraceRecord>): void {
    for (const r of records) this.add(r);
    this.refresh();
  }

  /** Add one record; returns its step, or -1 for `run` and `event` records. Call `refresh()` after a batch. */
  add(r: TraceRecord): number {
    const i = this.records.length;
    this.records.push(r);
    if (!isStep(r)) {
      this.stepOfRecordList.push(-1);
      const actor = actorOf(r);
      if (r.type === 'event' && actor !== '') this.pendingEvent.set(actor, i);
      return -1;
    }
    const step = this.count++;
    this.recordOfList.push(i);
    this.eventOfList.push(-1);
    this.stepOfRecordList.push(step);
    const actor = actorOf(r);
    if (actor !== '') {
      const b = this.track(actor, step);
      this.touched.add(b);
      b.all.push(i);
      if (r.type === 'actor') {
        const a = r as ActorRecord;
        const was = b.info.machine;
        b.info.machine = typeof a.machine === 'string' ? a.machine : null;
        this.fileUnderMachine(b.info, was);
        b.info.parent = typeof a.parent === 'string' ? a.parent : null;
        b.info.role = a.role ?? null;
        this.actorsVersion++;
      } else if (r.type === 'microstep') {
        b.microsteps.push(i);
        const ev = this.pendingEvent.get(actor);
        if (ev !== undefined && (this.records[ev] as EventRecord).event?.type === r.event) {
          this.eventOfList.set(step, ev);
          this.pendingEvent.delete(actor);
        }
      } else if (r.type === 'status') {
        if (b.info.end < 0) {
          b.info.end = step;
          this.actorsVersion++;
        }
      } else if (r.type === 'print') {
        b.prints.push(i);
      } else if (isSocketRecord(r)) {
        b.calls.push(i);
        if (r.type === 'send' || r.type === 'recv') this.byteRowList.push(i);
        if ((r.type === 'listen' || r.type === 'accept') && !this.serves.has(actor)) {
          this.serves.add(actor);
          this.actorsVersion++;
        }
      } else if (isFileRecord(r)) {
        b.calls.push(i);
      }
    }
    this.byteRowsUpToList.push(this.byteRowList.length);
    return step;
  }

  /** Bring the typed-array views up to date with what was added (O(actors touched)). */
  refresh(): void {
    this.recordOf = this.recordOfList.view();
    this.eventOf = this.eventOfList.view();
    this.stepOfRecord = this.stepOfRecordList.view();
    this.byteRows = this.byteRowList.view();
    this.byteRowsUpTo = this.byteRowsUpToList.view();
    for (const b of this.touched) {
      b.info.microsteps = b.microsteps.view();
      b.info.calls = b.calls.view();
      b.info.prints = b.prints.view();
      b.info.all = b.all.view();
    }
    this.touched.clear();
  }

  /** List an actor under its machine (and no longer under the one it was under). */
  private fileUnderMachine(info: ActorInfo, was: string | null): void {
    if (was === info.machine && (was === null || this.byMachine.get(was)?.includes(info))) return;
    if (was !== null) {
      const list = this.byMachine.get(was);
      const at = list?.indexOf(info) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    }
    if (info.machine === null) return;
    let list = this.byMachine.get(info.machine);
    if (list === undefined) {
      this.byMachine.set(info.machine, (list = []));
      this.machinesVersion++;
    }
    list.push(info);
  }

  private track(actor: string, step: number): Lists {
    let b = this.lists.get(actor);
    if (b === undefined) {
      const info: ActorInfo = {
        actor,
        machine: null,
        parent: null,
        role: null,
        first: step,
        end: -1,
        microsteps: EMPTY,
        calls: EMPTY,
        prints: EMPTY,
        all: EMPTY,
        before: null,
      };
      b = { info, microsteps: new IntList(), calls: new IntList(), prints: new IntList(), all: new IntList() };
      this.lists.set(actor, b);
      this.actors.push(info);
      this.byActor.set(actor, info);
      this.touched.add(b);
      this.actorsVersion++;
    }
    return b;
  }
}

/** The step model of a whole trace. */
export function buildSteps(records: readonly TraceRecord[]): StepModel {
  const model = new StepModel();
  model.append(records);
  return model;
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
  if (info === undefined || model.count === 0) return info?.before ?? null;
  const i = latestUpTo(info.microsteps, model.recordOf[step]!);
  return i < 0 ? info.before : (model.records[i] as MicrostepRecord);
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
