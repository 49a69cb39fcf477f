// XState inspection into trace records: machine actors only, every state from the first.
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, emit, fromPromise, setup, spawnChild } from 'xstate';
import { Lanes } from '../../runtime/run/lanes.ts';
import { inspector, valueOfPaths } from '../../runtime/trace/inspect.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';

function record(machine: Parameters<typeof createActor>[0]): Promise<TraceRecord[]> {
  const trace = new Trace({ transport: 'sim', clock: () => 0 });
  const actor = createActor(machine, { id: 'm', inspect: inspector({ trace, lanes: new Lanes(), roles: { m: 'server' } }) });
  return new Promise((resolve) => {
    actor.subscribe({ complete: () => resolve(trace.records), error: () => resolve(trace.records) });
    actor.start();
  });
}

const states = (records: TraceRecord[]) => records.flatMap((r) => (r.type === 'microstep' ? [r.state] : []));

describe('inspector', () => {
  it('records the initial state even when an always transition leaves it at once', async () => {
    const records = await record(createMachine({ id: 'm', initial: 'a', states: { a: { always: 'b' }, b: { type: 'final' } } }));
    expect(states(records)).toEqual(['a', 'b']);
    const step = records.find((r) => r.type === 'microstep' && r.state === 'b');
    expect(step).toMatchObject({ transitions: [{ source: 'm.a', targets: ['m.b'], event: '' }] });
  });

  it('records machine actors, not the promise actors they invoke, and ends with a status', async () => {
    const machine = setup({ actors: { work: fromPromise(async () => Uint8Array.of(1, 2)) } }).createMachine({
      id: 'm',
      initial: 'working',
      states: { working: { invoke: { id: 'work', src: 'work', onDone: 'done' } }, done: { type: 'final' } },
      output: () => ({ ok: true }),
    });
    const records = await record(machine);
    expect(records.filter((r) => r.type === 'actor')).toEqual([expect.objectContaining({ actor: 'm', machine: 'm', role: 'server' })]);
    expect(states(records)).toEqual(['working', 'done']);
    expect(records.find((r) => r.type === 'event' && r.event.type === 'xstate.done.actor.work')).toMatchObject({
      event: { output: { $bytes: 2 } },
    });
    expect(records.at(-1)).toMatchObject({ type: 'status', actor: 'm', status: 'done', output: { ok: true } });
  });

  it("records what a machine prints: emit({ type: 'print', text })", async () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a',
      states: { a: { entry: emit({ type: 'print', text: 'hello' }), always: 'b' }, b: { type: 'final' } },
    });
    const records = await record(machine);
    expect(records.filter((r) => r.type === 'print')).toEqual([expect.objectContaining({ actor: 'm', text: 'hello' })]);
  });

  it('names a child after the id its parent gave it, with its parent, and a second child of that id uniquely', async () => {
    const child = createMachine({ id: 'kid', initial: 'a', states: { a: {} } });
    const machine = setup({ actors: { kid: child } }).createMachine({
      id: 'm',
      initial: 'a',
      entry: [spawnChild('kid', { id: 'session' })],
      states: { a: { entry: spawnChild('kid', { id: 'other' }), after: { 0: 'b' } }, b: { type: 'final' } },
    });
    const records = await record(machine);
    const actors = records.filter((r) => r.type === 'actor');
    expect(actors).toEqual([
      expect.objectContaining({ actor: 'm' }),
      expect.objectContaining({ actor: 'session', machine: 'kid', parent: 'm' }),
      expect.objectContaining({ actor: 'other', machine: 'kid', parent: 'm' }),
    ]);
  });

  it.each([
    [[['a']], 'a'],
    [[['a', 'b']], { a: 'b' }],
    [[['p', 'left', 'x'], ['p', 'right', 'y']], { p: { left: 'x', right: 'y' } }],
  ])('valueOfPaths(%j) is %j', (paths, value) => {
    expect(valueOfPaths(paths)).toEqual(value);
  });
});
