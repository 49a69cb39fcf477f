/**
 * What the page says about a step: why a machine moved (an event, or an
 * eventless `always` transition under its guard), how a machine ended
 * (finished, or failed with an error), and how addresses are written.
 * Every trace here is made by the real machines on the simulated network.
 */
import { describe, expect, it } from 'vitest';
import { runGreeting } from '../lessons/01-greeting/run.ts';
import { server1Machine } from '../machines/greeting/server1.ts';
import type { MicrostepRecord, StatusRecord, TraceRecord } from '../runtime/trace/records.ts';
import { Trace } from '../runtime/trace/trace.ts';
import { createSimNetwork } from '../runtime/transport/sim/index.ts';
import { machineGraph } from '../ui/charts/machine-graph.ts';
import { seedFromSearch } from '../ui/lib/seed.ts';
import { describeStep } from '../ui/trace/describe.ts';
import { outcomeOf } from '../ui/trace/outcome.ts';
import { glyphOf } from '../ui/trace/sequence.ts';
import { contextAt, type EdgesOfMachine } from '../ui/trace/step-context.ts';
import { buildSteps, recordAt, type StepModel } from '../ui/trace/steps.ts';
import { causeOf, takenEdgeIds } from '../ui/trace/transitions.ts';
import { greetingTrace, refusedClientTrace } from './ui-fixtures/traces.ts';

const server1Graph = machineGraph(server1Machine);
const edgesOfMachine: EdgesOfMachine = (machine) => (machine === 'server1' ? server1Graph.edges : null);

/** Every step's caption and sequence-diagram label, as the page shows them. */
function texts(model: StepModel, edges: EdgesOfMachine = edgesOfMachine) {
  return Array.from({ length: model.count }, (_, s) => {
    const context = contextAt(model, s, edges);
    const record = recordAt(model, s);
    return { step: s, caption: describeStep(record, context), label: glyphOf(record, context).label, glyph: glyphOf(record, context) };
  });
}

// Lesson 1 as the page runs it (seed 1).
const records = await greetingTrace();

describe('an eventless (always) step', () => {
  const model = buildSteps(records);
  const index = records.findIndex((r) => r.type === 'microstep' && r.transitions[0]?.event === '');
  const always = records[index] as MicrostepRecord;
  const step = model.stepOfRecord[index]!;

  it('is in the real trace: nextClient → closingListener, in the chain that close ✓ began', () => {
    expect(always).toMatchObject({ actor: 'server1', event: 'xstate.done.actor.close', state: 'closingListener' });
    expect(always.transitions).toEqual([{ source: 'server1.nextClient', targets: ['server1.closingListener'], event: '' }]);
    expect(step).toBe(14); // "step 15" on the page
  });

  it('is captioned with its guard, not with the event before it', () => {
    const { caption, label } = texts(model)[step]!;
    expect(caption).toBe('server1: automatically (always [noMoreClients]), nextClient → closingListener.');
    expect(label).toBe('always [noMoreClients] → closingListener');
    expect(caption).not.toContain('close ✓');
  });

  it('says "automatically" when the chart is not known', () => {
    const { caption, label } = texts(model, () => null)[step]!;
    expect(caption).toBe('server1: automatically, nextClient → closingListener.');
    expect(label).toBe('automatically → closingListener');
  });

  it('the step before it still names its event', () => {
    expect(texts(model)[step - 1]!.caption).toBe('server1: on close ✓, closingClient → nextClient.');
  });

  it('names an unguarded always transition "always"', () => {
    const toAccepting = { ...always, state: 'accepting', transitions: [{ source: 'server1.nextClient', targets: ['server1.accepting'], event: '' }] };
    expect(causeOf(toAccepting, server1Graph.edges)).toEqual({ kind: 'always', label: 'always' });
  });

  it('highlights the always edge in the statechart, and only it', () => {
    const taken = [...takenEdgeIds(server1Graph.edges, always)].map((id) => server1Graph.edges.find((e) => e.id === id)!);
    expect(taken.map((e) => [e.source, e.target, e.label])).toEqual([['server1.nextClient', 'server1.closingListener', 'always [noMoreClients]']]);
  });
});

describe('a machine that ends in its failed state', () => {
  it('is a failure, with its error code and what that code means', async () => {
    const records = await refusedClientTrace();
    const model = buildSteps(records);
    const last = model.count - 1;
    const status = recordAt(model, last) as StatusRecord;
    // XState says `done`: `failed` is a final state too.
    expect(status).toMatchObject({ type: 'status', actor: 'client1', status: 'done', output: { error: { code: 'ECONNREFUSED' } } });

    const { caption, glyph } = texts(model)[last]!;
    expect(glyph).toMatchObject({ kind: 'note', label: 'failed ✗ ECONNREFUSED', tone: 'error' });
    expect(caption).toBe(
      'client1 has failed: Nothing is listening on that port. Start the server first, or check the host and port. (ECONNREFUSED: nothing listens on 127.0.0.1:12345)',
    );
    expect(texts(model).map((t) => t.caption).join('\n')).not.toContain('finished');
    expect(outcomeOf(status, 'failed')).toMatchObject({ kind: 'failed', code: 'ECONNREFUSED', badge: 'failed ✗ ECONNREFUSED' });
  });

  it('is a failure even without an error in its output', () => {
    const status: StatusRecord = { seq: 9, t: 0, type: 'status', actor: 'm', status: 'done', output: { error: null } };
    expect(outcomeOf(status, 'failed')).toMatchObject({ kind: 'failed', code: null, hint: null, badge: 'failed ✗' });
    expect(describeStep(status, { lastState: 'failed' })).toBe('m has failed: it ended in its failed state.');
    // An error code we have no hint for is shown raw.
    const tooBig = { ...status, output: { error: { code: 'ETOOBIG', message: 'The server sent too much.' } } };
    expect(describeStep(tooBig, { lastState: 'closing' })).toBe('m has failed: ETOOBIG: The server sent too much.');
  });

  it('while a clean finish stays a success', () => {
    const model = buildSteps(records);
    const finishes = texts(model).filter((t) => recordAt(model, t.step).type === 'status');
    expect(finishes.map((t) => [t.label, t.glyph.tone])).toEqual([
      ['finished ✓', 'done'],
      ['finished ✓', 'done'],
    ]);
    expect(finishes.map((t) => t.caption)).toEqual(['server1 has finished (final state reached).', 'client1 has finished (final state reached).']);
  });
});

describe('addresses', () => {
  it('bracket an IPv6 host before its port, everywhere', async () => {
    const net = createSimNetwork({ seed: 1 });
    const trace = new Trace({ transport: 'sim', clock: () => net.now(), seed: 1 });
    await runGreeting({ transport: net.transport(), trace, host: '::1', port: 0, settle: () => net.run() });
    const model = buildSteps(trace.records as TraceRecord[]);
    const all = texts(model).flatMap((t) => [t.caption, t.label]);
    const port = (trace.records.find((r) => r.type === 'listen') as { addr: { port: number } }).addr.port;
    expect(all).toContain(`server1 listens on [::1]:${port}; up to 5 clients may wait to be accepted.`);
    expect(all).toContain(`listen(5) on [::1]:${port}`);
    expect(all.filter((t) => t.includes('[::1]:')).length).toBeGreaterThanOrEqual(3);
    // No bare '::1:' (nor '::1 port'): every ::1 is inside brackets.
    for (const text of all) expect(text.replaceAll('[::1]', '')).not.toContain('::1');
  });
});

describe('?seed= in the URL', () => {
  it('runs the seed it names, and rewrites one it cannot use to the seed it ran', () => {
    expect(seedFromSearch('')).toEqual({ seed: 1, search: null, notice: null });
    expect(seedFromSearch('?seed=7&step=3')).toEqual({ seed: 7, search: null, notice: null });
    expect(seedFromSearch('?seed=007')).toEqual({ seed: 7, search: '?seed=7', notice: null });
    for (const bad of ['abc', '0', '-3', '1.5', '1e3', '', '99999999999999999999']) {
      const choice = seedFromSearch(`?seed=${bad}&step=4`);
      expect(choice.seed).toBe(1);
      expect(choice.search).toBe('?seed=1&step=4');
      expect(choice.notice).toContain('so this is seed 1');
    }
  });
});
