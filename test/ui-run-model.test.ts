/**
 * The page's run model as records arrive (ui/trace/run-model.ts): appended
 * in batches of any size it is the model of the whole trace (steps, events
 * shown with their microsteps, each actor's records, byte rows, where each
 * recv's bytes are, connections and their columns, listeners, prints by
 * program, totals), and a window (`compact`) keeps the newest steps with
 * their numbers, carrying over what is still running.
 */
import { describe, expect, it } from 'vitest';
import { rolesOf as lessonRoles } from '../lessons/lesson-types.ts';
import type { RecvRecord, SendRecord, TraceRecord } from '../runtime/trace/records.ts';
import { actorsByMachine } from '../ui/trace/machine-actors.ts';
import { programOf, programsWithOutput } from '../ui/trace/program-prints.ts';
import { rolesOf } from '../ui/trace/roles.ts';
import { buildRun, RunModel } from '../ui/trace/run-model.ts';
import { summarize } from '../ui/trace/run-summary.ts';
import { buildLanes, buildSequence, type Lanes } from '../ui/trace/sequence.ts';
import { buildSteps, microstepAt, recordAt, type StepModel } from '../ui/trace/steps.ts';
import { buildStreams, recordBytes } from '../ui/trace/streams.ts';
import { repeatTrace } from './bench/ui-synthetic-trace.ts';
import { threadedLesson } from './ui-fixtures/threaded-lesson.ts';
import { threadedFixture } from './ui-fixtures/traces.ts';

const threads = await threadedFixture('threads');
const roles = lessonRoles(threadedLesson);
/** A long run of the same shape: many actors, connections closing and columns reused. */
const long = repeatTrace(threads, 6000);

function appendInBatches(records: readonly TraceRecord[], size: number, machineRoles = roles): RunModel {
  const model = new RunModel({ machineRoles });
  for (let i = 0; i < records.length; i += size) model.append(records.slice(i, i + size));
  return model;
}

/** Everything a view reads of a step model, as plain data. */
function stepsOf(model: StepModel) {
  return {
    count: model.count,
    recordOf: [...model.recordOf],
    eventOf: [...model.eventOf],
    stepOfRecord: [...model.stepOfRecord],
    byteRows: [...model.byteRows],
    byteRowsUpTo: [...model.byteRowsUpTo],
    serves: [...model.serves].sort(),
    actors: model.actors.map((a) => ({ ...a, microsteps: [...a.microsteps], calls: [...a.calls], prints: [...a.prints], all: [...a.all] })),
  };
}

/** Lanes as plain data. */
function lanesOf(lanes: Lanes) {
  return {
    groups: lanes.groups.map((g) => ({ ...g })),
    columns: lanes.columns.map((c) => ({ ...c, spans: c.spans.map((s) => ({ ...s })) })),
    laneOf: [...lanes.laneOf].map(([actor, s]) => [actor, { ...s }]).sort(),
  };
}

describe('the run model, appended as records arrive', () => {
  const whole = buildSteps(long);
  const wholeSeq = buildSequence(whole, rolesOf(whole, roles));
  const wholeStreams = buildStreams(long);

  for (const size of [1, 7, 250, 5000]) {
    it(`is the whole trace's model when appended ${size} record${size === 1 ? '' : 's'} at a time`, () => {
      const model = appendInBatches(long, size);
      expect(stepsOf(model.steps)).toEqual(stepsOf(whole));
      const r = rolesOf(model.steps, roles);
      expect(r).toEqual(rolesOf(whole, roles));
      // Lanes and roles kept as actors came are the whole trace's.
      expect(lanesOf(model.lanes.snapshot())).toEqual(lanesOf(buildLanes(whole, r)));
      expect(model.lanes.roles).toEqual(r);
      const names = (m: ReadonlyMap<string, readonly { actor: string }[]>) => [...m].map(([id, list]) => [id, list.map((a) => a.actor)]);
      expect(names(model.steps.byMachine)).toEqual(names(actorsByMachine(whole)));
      // Connections: the same spans, columns and listeners.
      const strip = (c: { conn: string; label: string | null; slot: number; open: number; halfClosed: number | null; closed: number | null }) => ({ ...c });
      expect(model.wires.conns.map(strip)).toEqual(wholeSeq.conns.map(strip));
      expect(model.wires.slots).toBe(wholeSeq.slots);
      expect(model.wires.listeners.map((l) => ({ ...l }))).toEqual(wholeSeq.listeners.map((l) => ({ ...l })));
      // Every recv's bytes come from the same sends.
      for (const i of model.steps.byteRows) {
        const rec = model.steps.records[i] as SendRecord | RecvRecord;
        expect(recordBytes(model.streams, rec, 64)).toEqual(recordBytes(wholeStreams, rec, 64));
      }
      expect(model.prints.programs(r).map((p) => [p.program.actor, [...p.prints]])).toEqual(
        programsWithOutput(whole, r).map((p) => [p.program.actor, [...p.prints]]),
      );
      expect(summarize(model.steps, r, model.totals)).toEqual(summarize(whole, r));
    });
  }

  it('hands out each program\'s prints after every batch, a new entry only for those that printed, the same list when none did', () => {
    const model = new RunModel({ machineRoles: roles });
    const plain = (list: ReturnType<RunModel['prints']['programs']>) => list.map((p) => [p.program.actor, [...p.prints]]);
    let before = model.prints.programs(model.lanes.roles);
    for (let i = 0; i < 4000; i += 97) {
      const batch = long.slice(i, i + 97);
      model.append(batch);
      const r = model.lanes.roles;
      const now = model.prints.programs(r);
      expect(plain(now)).toEqual(plain(programsWithOutput(buildSteps(long.slice(0, i + 97)), r)));
      const printed = new Set(batch.filter((rec) => rec.type === 'print').map((rec) => (rec as { actor: string }).actor));
      for (const entry of now) {
        const old = before.find((e) => e.program === entry.program);
        // A program none of whose actors printed keeps its entry (and its view of the prints).
        const mine = [...printed].some((a) => model.steps.byActor.get(a) !== undefined && programOf(model.steps, model.steps.byActor.get(a)!) === entry.program);
        if (old !== undefined && !mine) expect(entry).toBe(old);
      }
      expect(model.prints.programs(r)).toBe(now);
      before = now;
    }
  });

  it('places every lane again when an actor turns out to be a server after all', () => {
    const header = long[0]!;
    const at = (seq: number, t: number, rest: Record<string, unknown>) => ({ seq, t, ...rest }) as unknown as TraceRecord;
    const odd: TraceRecord[] = [
      header,
      at(1, 0, { type: 'print', actor: 'x', text: 'no actor record, no role' }),
      at(2, 0, { type: 'actor', actor: 'y', machine: 'client9', role: 'client' }),
      at(3, 1, { type: 'listen', actor: 'x', listener: 'l1', address: { host: '127.0.0.1', port: 1 }, backlog: 5 }),
      at(4, 2, { type: 'status', actor: 'y', status: 'done' }),
    ];
    for (const size of [1, 5]) {
      const model = appendInBatches(odd, size, {});
      const whole = buildSteps(odd);
      expect(model.lanes.roles.get('x')).toBe('server');
      expect(lanesOf(model.lanes.snapshot())).toEqual(lanesOf(buildLanes(whole, rolesOf(whole))));
    }
  });

  it('keeps the typed arrays a view already handed out as they were (a snapshot per batch)', () => {
    const model = new RunModel();
    model.append(long.slice(0, 100));
    const before = model.steps.recordOf;
    const length = before.length;
    model.append(long.slice(100, 4000));
    expect(before.length).toBe(length);
    expect(model.steps.recordOf.length).toBeGreaterThan(length);
    expect([...model.steps.recordOf.subarray(0, length)]).toEqual([...before]);
  });
});

describe('a window of the newest steps', () => {
  const full = buildRun(long);
  const keep = 1500;
  const cut = full.steps.count - keep;
  const windowed = full.compact(keep);

  it('keeps the newest steps, numbered as in the whole run', () => {
    expect(windowed.steps.firstStep).toBe(cut);
    expect(windowed.steps.count).toBe(keep);
    expect(windowed.runSteps).toBe(full.steps.count);
    for (let s = 0; s < keep; s += 97) expect(recordAt(windowed.steps, s)).toBe(recordAt(full.steps, cut + s));
    // The header stays: the page still knows what run this is.
    expect(windowed.steps.records[0]).toBe(long[0]);
  });

  it('carries over every actor still running, in the state it was in', () => {
    let carriedOver = 0;
    for (const info of full.steps.actors) {
      const running = info.first < cut && (info.end < 0 || info.end >= cut);
      const carried = windowed.steps.byActor.get(info.actor);
      if (!running) continue;
      carriedOver += 1;
      expect(carried, info.actor).toBeDefined();
      expect(carried!.machine).toBe(info.machine);
      expect(carried!.parent).toBe(info.parent);
      expect(carried!.first).toBe(0);
      // Its state at each kept step is what it was in the whole run.
      for (const s of [0, 1, 10, keep - 1]) {
        expect(microstepAt(windowed.steps, info.actor, s)?.state, `${info.actor} at ${cut + s}`).toEqual(microstepAt(full.steps, info.actor, cut + s)?.state);
      }
    }
    // The server of the round under way and some of its sessions and clients.
    expect(carriedOver).toBeGreaterThan(1);
    // A listener still open keeps its band.
    expect(windowed.wires.listeners.some((l) => l.open === 0 && l.closed === null)).toBe(true);
  });

  it('shows each event with its microstep as before, and counts the whole run in its totals', () => {
    for (let s = 0; s < keep; s++) {
      const ev = windowed.steps.eventOf[s]!;
      const was = full.steps.eventOf[cut + s]!;
      expect(ev < 0 ? null : windowed.steps.records[ev]).toBe(was < 0 ? null : full.steps.records[was]);
    }
    const r = rolesOf(windowed.steps, roles);
    const summary = summarize(windowed.steps, r, windowed.totals);
    const wholeSummary = summarize(full.steps, rolesOf(full.steps, roles), full.totals);
    expect({ ...summary, actors: [] }).toEqual({ ...wholeSummary, actors: [] });
    // Appending more goes on counting.
    windowed.append([{ ...long[long.length - 1]!, seq: long.length, type: 'print', text: 'one more' } as TraceRecord]);
    expect(windowed.totals.prints).toBe(wholeSummary.prints + 1);
  });

  it('compacts a window again and again, the step numbers going on', () => {
    let model = new RunModel();
    for (let i = 0; i < long.length; i += 500) {
      model.append(long.slice(i, i + 500));
      if (model.steps.count >= 1200) model = model.compact(700);
    }
    expect(model.runSteps).toBe(full.steps.count);
    const s = model.steps.count - 1;
    expect(recordAt(model.steps, s)).toBe(recordAt(full.steps, full.steps.count - 1));
  });
});
