/**
 * Everything the page derives from one trace, kept up to date as records
 * arrive: the steps and each actor's records (steps.ts), where each recv's
 * bytes are (streams.ts), the connections and listeners (wires.ts), what
 * each program printed (program-prints.ts) and the run's totals
 * (run-summary.ts). Appending a batch costs O(records in it); what depends
 * on the actors alone (roles, lanes, charts) is recomputed by the page when
 * `steps.actorsVersion` moves, O(actors).
 *
 * A run that never ends is shown through a window: `compact(keep)` makes a
 * new model of the newest `keep` steps, built from their records (O(keep),
 * done once every many records, so O(1) per record amortised). Actors
 * still running, listeners still open and connections still open are
 * carried over, with the state each actor was in; totals count the whole
 * run. Steps keep their numbers: step s of the new model is step
 * `firstStep + s` of the run.
 */
import type { MicrostepRecord, Role, TraceRecord } from '../../runtime/trace/records.ts';
import { LaneIndex, type GroupOf } from './lanes.ts';
import { PrintIndex } from './program-prints.ts';
import { RunTotals } from './run-summary.ts';
import { isAlive, latestUpTo, StepModel, type CarriedActor } from './steps.ts';
import { addToStreams, type StreamIndex } from './streams.ts';
import { WireIndex, type CarriedWires } from './wires.ts';

export class RunModel {
  readonly steps: StepModel;
  readonly streams: StreamIndex = new Map();
  readonly wires: WireIndex;
  readonly prints = new PrintIndex();
  readonly totals: RunTotals;
  /** Lanes and roles (lanes.ts), given the roles the lessons give their machines. */
  readonly lanes: LaneIndex;
  readonly machineRoles: Readonly<Record<string, Role>>;
  /** Which run each actor came from, when several runs are shown as one (lanes.ts). */
  readonly groupOf: GroupOf | undefined;
  /** Grows with every batch appended: what a page re-renders on. */
  version = 0;

  constructor(
    options: { firstStep?: number; carried?: readonly CarriedActor[]; wires?: CarriedWires; totals?: RunTotals; machineRoles?: Readonly<Record<string, Role>>; groupOf?: GroupOf } = {},
  ) {
    this.steps = new StepModel({ firstStep: options.firstStep ?? 0, carried: options.carried ?? [] });
    this.machineRoles = options.machineRoles ?? {};
    this.groupOf = options.groupOf;
    this.lanes = new LaneIndex(this.steps, this.machineRoles, this.groupOf);
    this.wires = new WireIndex(options.wires);
    this.totals = options.totals ?? new RunTotals();
  }

  /** Steps of the whole run so far (those let go before the window included). */
  get runSteps(): number {
    return this.steps.firstStep + this.steps.count;
  }

  append(records: Iterable<TraceRecord>): void {
    this.index(records, true);
  }

  /** Index records; `count` is false for records the totals have counted already (a window's rebuild). */
  private index(records: Iterable<TraceRecord>, count: boolean): void {
    const { steps } = this;
    for (const r of records) {
      const index = steps.records.length;
      const actors = steps.actors.length;
      const step = steps.add(r);
      // A new actor gets its lane at once (before it can end); an end frees its column.
      if (steps.actors.length > actors) this.lanes.placeNew();
      if (step >= 0 && (r.type === 'status' || r.type === 'actor' || r.type === 'listen' || r.type === 'accept')) {
        const info = steps.byActor.get((r as { actor: string }).actor);
        if (info !== undefined) {
          if (r.type === 'status') this.lanes.ended(info.actor, info.end);
          else this.lanes.changed(info);
        }
      }
      addToStreams(this.streams, r);
      const opened = step >= 0 && this.wires.add(step, r);
      if (count) this.totals.add(r, opened);
      this.prints.add(steps, index, r);
    }
    steps.refresh();
    this.version++;
  }

  /**
   * A model of the newest `keep` steps (and the header): the records of
   * those steps and of the events they show, with what is still running
   * carried over. The totals object is shared: it goes on counting.
   */
  compact(keep: number): RunModel {
    const { steps } = this;
    const cut = Math.max(0, steps.count - Math.max(1, keep));
    if (cut === 0) return this;
    const cutRecord = steps.recordOf[cut]!;

    const carried: CarriedActor[] = [];
    for (const info of steps.actors) {
      if (!isAlive(info, cut) || info.first >= cut) continue;
      const i = latestUpTo(info.microsteps, cutRecord - 1);
      carried.push({
        actor: info.actor,
        machine: info.machine,
        parent: info.parent,
        role: info.role,
        before: i < 0 ? info.before : (steps.records[i] as MicrostepRecord),
        serves: steps.serves.has(info.actor),
      });
    }
    const wires: CarriedWires = {
      listeners: this.wires.listeners
        .filter((l) => l.open < cut && (l.closed === null || l.closed >= cut))
        .map(({ listener, actor, label }) => ({ listener, actor, label })),
      conns: this.wires.conns.filter((c) => c.open < cut && (c.closed === null || c.closed >= cut)).map(({ conn, label }) => ({ conn, label })),
    };
    const next = new RunModel({ firstStep: steps.firstStep + cut, carried, wires, totals: this.totals, machineRoles: this.machineRoles, ...(this.groupOf === undefined ? {} : { groupOf: this.groupOf }) });

    // The header, the events shown with kept steps that came before the cut, then every record from the cut.
    const kept: TraceRecord[] = [];
    if (steps.records[0]?.type === 'run') kept.push(steps.records[0]);
    const early: number[] = [];
    for (let s = cut; s < steps.count; s++) {
      const ev = steps.eventOf[s]!;
      if (ev >= 0 && ev < cutRecord) early.push(ev);
    }
    early.sort((a, b) => a - b);
    for (const ev of early) kept.push(steps.records[ev]!);
    // The totals counted these records once already.
    next.index(kept, false);
    next.index(steps.records.slice(cutRecord), false);
    next.version = this.version + 1;
    return next;
  }
}

/** The model of a whole trace. */
export function buildRun(records: readonly TraceRecord[], machineRoles: Readonly<Record<string, Role>> = {}): RunModel {
  const model = new RunModel({ machineRoles });
  model.append(records);
  return model;
}
