/**
 * The step model: what "one step forward" means, and everything each view
 * needs at a step, computed once per trace.
 *
 * A step is one trace record, except
 *   - the `run` header (it describes the whole run), and
 *   - `event` records: an event is shown with the microstep that follows
 *     it for the same actor (`eventOf`), because an event alone changes
 *     nothing on screen; an event that causes no microstep is not shown.
 *
 * Steps are numbered from 0 here; the page shows and links them from 1
 * ("step 1 of 40", `?step=1`).
 *
 * Everything per step is a typed array filled in one pass, so that drawing
 * any step is a few look-ups: O(1) here, O(window) in the views.
 */
import type { EventRecord, MicrostepRecord, StatusRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { isSocketRecord } from '../../runtime/trace/records.ts';

export interface StepModel {
  records: readonly TraceRecord[];
  /** How many steps. */
  count: number;
  /** Step → index of its record in `records`. */
  recordOf: Int32Array;
  /** Step → index of the event record shown with it, or -1. */
  eventOf: Int32Array;
  /** Machine actors in order of appearance ('server1', 'client1'). */
  actors: string[];
  /** Actor → the machine id its `actor` record names (the statechart to draw). */
  machineOf: Map<string, string>;
  /** Actor → for each step, the index of its latest microstep record up to that step, or -1. */
  latestMicrostep: Map<string, Int32Array>;
  /** Actor → for each step, the index of its status record if it has finished by then, or -1. */
  latestStatus: Map<string, Int32Array>;
  /** Actor → for each step, the index of its latest socket record up to that step, or -1. */
  latestSocket: Map<string, Int32Array>;
  /** The byte view's rows: indices of the `send` and `recv` records, in order. */
  byteRows: Int32Array;
  /** Step → how many byte rows have happened up to and including that step. */
  byteRowsUpTo: Int32Array;
  /** Record index → its step, or -1 for `run` and `event` records. */
  stepOfRecord: Int32Array;
}

function isStep(r: TraceRecord): boolean {
  return r.type !== 'run' && r.type !== 'event';
}

export function buildSteps(records: readonly TraceRecord[]): StepModel {
  let count = 0;
  for (const r of records) if (isStep(r)) count++;

  const recordOf = new Int32Array(count);
  const eventOf = new Int32Array(count).fill(-1);
  const stepOfRecord = new Int32Array(records.length).fill(-1);
  const byteRowsUpTo = new Int32Array(count);
  const rows: number[] = [];
  const actors: string[] = [];
  const machineOf = new Map<string, string>();
  const latestMicrostep = new Map<string, Int32Array>();
  const latestStatus = new Map<string, Int32Array>();
  const latestSocket = new Map<string, Int32Array>();

  const track = (actor: string) => {
    if (latestMicrostep.has(actor)) return;
    actors.push(actor);
    latestMicrostep.set(actor, new Int32Array(count).fill(-1));
    latestStatus.set(actor, new Int32Array(count).fill(-1));
    latestSocket.set(actor, new Int32Array(count).fill(-1));
  };
  // First pass: the actors, so that every per-actor array covers every step.
  for (const r of records) {
    if (r.type === 'run') continue;
    track(r.actor);
    if (r.type === 'actor') machineOf.set(r.actor, r.machine);
  }

  // Second pass. Per actor, the index of its latest record of each kind so far, copied into the arrays at every step.
  const micro = new Map<string, number>();
  const status = new Map<string, number>();
  const socket = new Map<string, number>();
  // Per actor, its latest event not yet shown: the actor's next microstep shows it if their event types match.
  const pendingEvent = new Map<string, number>();
  let step = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.type === 'run') continue;
    if (r.type === 'event') {
      pendingEvent.set(r.actor, i);
      continue;
    }
    recordOf[step] = i;
    stepOfRecord[i] = step;
    if (r.type === 'microstep') {
      micro.set(r.actor, i);
      const ev = pendingEvent.get(r.actor);
      if (ev !== undefined && (records[ev] as EventRecord).event.type === r.event) {
        eventOf[step] = ev;
        pendingEvent.delete(r.actor);
      }
    } else if (r.type === 'status') {
      status.set(r.actor, i);
    } else if (isSocketRecord(r)) {
      socket.set(r.actor, i);
      if (r.type === 'send' || r.type === 'recv') rows.push(i);
    }
    for (const actor of actors) {
      latestMicrostep.get(actor)![step] = micro.get(actor) ?? -1;
      latestStatus.get(actor)![step] = status.get(actor) ?? -1;
      latestSocket.get(actor)![step] = socket.get(actor) ?? -1;
    }
    byteRowsUpTo[step] = rows.length;
    step++;
  }

  return {
    records,
    count,
    recordOf,
    eventOf,
    actors,
    machineOf,
    latestMicrostep,
    latestStatus,
    latestSocket,
    byteRows: Int32Array.from(rows),
    byteRowsUpTo,
    stepOfRecord,
  };
}

/** The record of a step. */
export function recordAt(model: StepModel, step: number): TraceRecord {
  return model.records[model.recordOf[step]!]!;
}

/** An actor's latest microstep at a step (its state then), or null before it started. */
export function microstepAt(model: StepModel, actor: string, step: number): MicrostepRecord | null {
  const i = model.latestMicrostep.get(actor)?.[step] ?? -1;
  return i < 0 ? null : (model.records[i] as MicrostepRecord);
}

/** An actor's status record if it had finished by a step, else null. */
export function statusAt(model: StepModel, actor: string, step: number): StatusRecord | null {
  const i = model.latestStatus.get(actor)?.[step] ?? -1;
  return i < 0 ? null : (model.records[i] as StatusRecord);
}

/** Keep a step number inside the trace. */
export function clampStep(model: StepModel, step: number): number {
  if (!Number.isFinite(step)) return 0;
  return Math.max(0, Math.min(model.count - 1, Math.trunc(step)));
}
