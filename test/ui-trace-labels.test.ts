/**
 * What the page says about a step: captions come from the one describer
 * (runtime/trace/describe.ts), with what only the page knows: why a machine
 * moved (an event, or an eventless `always` transition under its guard, read
 * off the chart) and how a machine ended (finished, or failed with its
 * error). Every trace here is made by the real machines on the simulated
 * network.
 */
import { describe, expect, it } from 'vitest';
import { rolesOf } from '../lessons/lesson-types.ts';
import { runScenario, scenarioOf } from '../lessons/run-scenario.ts';
import { describeRecord, outcomeOf } from '../runtime/trace/describe.ts';
import type { MicrostepRecord, StatusRecord, TraceRecord } from '../runtime/trace/records.ts';
import { Trace } from '../runtime/trace/trace.ts';
import { createSimNetwork } from '../runtime/transport/sim/index.ts';
import { machineGraph } from '../ui/charts/machine-graph.ts';
import { seedFromSearch } from '../ui/lib/seed.ts';
import { glyphOf } from '../ui/trace/sequence.ts';
import { captionOf, contextAt, type EdgesOfMachine } from '../ui/trace/step-context.ts';
import { buildSteps, recordAt, type StepModel } from '../ui/trace/steps.ts';
import { causeOf, takenEdgeIds } from '../ui/trace/transitions.ts';
import { firstLesson, greetingTrace, refusedClientTrace } from './ui-fixtures/traces.ts';

const server = firstLesson.machines.find((m) => m.role === 'server')!.machine;
const serverGraph = machineGraph(server);
const edgesOfMachine: EdgesOfMachine = (machine) => (machine === server.id ? serverGraph.edges : null);

/** Every step's caption and sequence-diagram glyph, as the page shows them. */
function texts(model: StepModel, edges: EdgesOfMachine = edgesOfMachine) {
  return Array.from({ length: model.count }, (_, s) => {
    const context = contextAt(model, s, edges);
    const record = recordAt(model, s);
    const glyph = glyphOf(record, context);
    return { step: s, caption: captionOf(record, context), label: glyph.label, glyph };
  });
}

const records = await greetingTrace();

describe('an eventless (always) step', () => {
  const model = buildSteps(records);
  const index = records.findIndex((r) => r.type === 'microstep' && r.transitions[0]?.event === '');
  const always = records[index] as MicrostepRecord;
  const step = model.stepOfRecord[index]!;

  it('is in the real trace: nextClient → closingListener, in the chain that close ✓ began', () => {
    expect(always).toMatchObject({ actor: server.id, state: 'closingListener' });
    expect(always.transitions).toEqual([{ source: `${server.id}.nextClient`, targets: [`${server.id}.closingListener`], event: '' }]);
  });

  it('is captioned with its guard, not with the event before it', () => {
    const { caption, label } = texts(model)[step]!;
    expect(caption).toBe(`${server.id}: automatically (always [noMoreClients]), nextClient → closingListener.`);
    expect(label).toBe('always [noMoreClients] → closingListener');
    expect(caption).not.toContain('close ✓');
  });

  it('says "automatically" when the chart is not known', () => {
    const { caption, label } = texts(model, () => null)[step]!;
    expect(caption).toBe(`${server.id}: automatically, nextClient → closingListener.`);
    expect(label).toBe('automatically → closingListener');
  });

  it('the step before it still names its event, as the CLI would with the same cause', () => {
    const before = texts(model)[step - 1]!.caption;
    expect(before).toBe(`${server.id}: on close ✓, closingClient → nextClient.`);
    expect(before).toBe(describeRecord(recordAt(model, step - 1), { cause: 'on close ✓' }));
  });

  it('names an unguarded always transition "always", and highlights only the edge taken', () => {
    const toAccepting = { ...always, state: 'accepting', transitions: [{ source: `${server.id}.nextClient`, targets: [`${server.id}.accepting`], event: '' }] };
    expect(causeOf(toAccepting, serverGraph.edges)).toEqual({ kind: 'always', label: 'always' });
    const taken = [...takenEdgeIds(serverGraph.edges, always)].map((id) => serverGraph.edges.find((e) => e.id === id)!);
    expect(taken.map((e) => [e.source, e.target, e.label])).toEqual([[`${server.id}.nextClient`, `${server.id}.closingListener`, 'always [noMoreClients]']]);
  });
});

describe('socket records', () => {
  it('read as machines/socket-calls.ts describes them, in the caption and on the arrow', () => {
    const model = buildSteps(records);
    const all = texts(model);
    const send = all.find((t) => recordAt(model, t.step).type === 'send')!;
    expect(send.caption).toBe(`${server.id} sends 17 bytes on c1.`);
    expect(send.label).toBe('send 17 bytes');
    const eof = all.find((t) => {
      const r = recordAt(model, t.step);
      return r.type === 'recv' && r.size === 0;
    })!;
    expect(eof.label).toBe("recv → b'' (end of data)");
    expect(eof.glyph).toMatchObject({ kind: 'arrow', toward: 'actor', tone: 'fin' });
  });
});

describe('a machine that ends in its failed state', () => {
  it('is a failure, with its error code and what that code means', async () => {
    const refused = await refusedClientTrace();
    const model = buildSteps(refused);
    const last = model.count - 1;
    const status = recordAt(model, last) as StatusRecord;
    // XState says `done`: `failed` is a final state too.
    expect(status).toMatchObject({ type: 'status', status: 'done', output: { error: { code: 'ECONNREFUSED' } } });
    const { caption, glyph } = texts(model)[last]!;
    expect(glyph).toMatchObject({ kind: 'note', label: 'failed ✗ ECONNREFUSED', tone: 'error' });
    expect(caption).toMatch(/^\w+ has failed: Nothing is listening on that port\. Start the server first, or check the host and port\. \(ECONNREFUSED: /);
    expect(texts(model).map((t) => t.caption).join('\n')).not.toContain('finished');
    expect(outcomeOf(status, 'failed')).toMatchObject({ kind: 'failed', code: 'ECONNREFUSED', badge: 'failed ✗ ECONNREFUSED' });
  });

  it('while a clean finish stays a success', () => {
    const model = buildSteps(records);
    const finishes = texts(model).filter((t) => recordAt(model, t.step).type === 'status');
    expect(finishes.map((t) => [t.label, t.glyph.tone])).toEqual([
      ['finished ✓', 'done'],
      ['finished ✓', 'done'],
    ]);
  });
});

describe('addresses', () => {
  it('bracket an IPv6 host before its port, everywhere', async () => {
    const net = createSimNetwork({ seed: 1 });
    const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0, seed: 1 });
    await runScenario(firstLesson, scenarioOf(firstLesson), { transport: net.transport(), trace, host: '::1', port: 0, settle: () => net.run() });
    const model = buildSteps(trace.records as TraceRecord[]);
    // What a program prints is its own text, as its Python script prints it (`listening on ::1 port 5`): not the page's words.
    const all = texts(model)
      .filter((t) => recordAt(model, t.step).type !== 'print')
      .flatMap((t) => [t.caption, t.label]);
    const port = (trace.records.find((r) => r.type === 'listen') as { address: { port: number } }).address.port;
    expect(all).toContain(`${server.id} listens on [::1]:${port}; up to 5 clients may wait to be accepted.`);
    expect(all).toContain(`listen(5) on [::1]:${port}`);
    for (const text of all) expect(text.replaceAll('[::1]', '')).not.toContain('::1');
    expect(rolesOf(firstLesson)[server.id]).toBe('server');
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
