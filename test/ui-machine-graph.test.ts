import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { client1Machine } from '../machines/greeting/client1.ts';
import { server1Machine } from '../machines/greeting/server1.ts';
import { lessons } from '../lessons/index.ts';
import { buildChartLayouts, layoutsByLesson, loadersModule, machineAndChildren } from '../tools/vite-chart-layouts.ts';
import { CHART_FONT, chartScale, MIN_CHART_SCALE, type Box } from '../ui/charts/chart-layout.ts';
import { layoutGraph } from '../ui/charts/layout.ts';
import { activeStatePaths, eventLabel, guardName, machineGraph } from '../ui/charts/machine-graph.ts';

describe('eventLabel', () => {
  it.each([
    ['xstate.done.actor.accept', 'accept ✓'],
    ['xstate.error.actor.accept', 'accept ✗'],
    ['xstate.done.state.m.transfer', 'transfer done'],
    ['xstate.after.500.m.waiting', 'after 500 ms'],
    ['xstate.after.idle.m.waiting', 'after idle'],
    ['', 'always'],
    ['*', 'any event'],
    ['QUIT', 'QUIT'],
  ])('%j → %j', (event, label) => {
    expect(eventLabel(event)).toBe(label);
  });
});

describe('guardName', () => {
  it('names string, object and function guards', () => {
    expect(guardName(undefined)).toBeNull();
    expect(guardName('sentEverything')).toBe('sentEverything');
    expect(guardName({ type: 'tooMuch', params: {} })).toBe('tooMuch');
    expect(guardName(function isBig() {})).toBe('isBig');
    expect(guardName(() => true)).toBe('guard');
  });
});

describe('machineGraph', () => {
  it('lists server1 states, the initial arrow, and labelled transitions with guards', () => {
    const g = machineGraph(server1Machine);
    expect(g.id).toBe('server1');
    expect(g.nodes.map((n) => n.id)).toEqual([
      'server1.$initial',
      'server1.binding',
      'server1.accepting',
      'server1.sending',
      'server1.closingClient',
      'server1.droppingClient',
      'server1.nextClient',
      'server1.closingListener',
      'server1.done',
      'server1.failed',
    ]);
    expect(g.nodes.find((n) => n.id === 'server1.done')!.kind).toBe('final');
    expect(g.edges[0]).toMatchObject({ source: 'server1.$initial', target: 'server1.binding', label: '' });
    const labels = g.edges.map((e) => `${e.source.split('.')[1]} -${e.label}-> ${e.target.split('.')[1]}`);
    expect(labels).toContain('accepting -accept ✓-> sending');
    expect(labels).toContain('accepting -accept ✗-> failed');
    expect(labels).toContain('sending -send ✓ [sentEverything]-> closingClient');
    expect(labels).toContain('sending -send ✓-> sending');
    expect(labels).toContain('sending -send ✗-> droppingClient');
    expect(labels).toContain('closingClient -close ✓-> nextClient');
    expect(labels).toContain('nextClient -always [noMoreClients]-> closingListener');
    expect(labels).toContain('nextClient -always-> accepting');
    // Edge ids are unique even where source, event and target repeat.
    expect(new Set(g.edges.map((e) => e.id)).size).toBe(g.edges.length);
  });

  it('keeps both guarded recv transitions of client1 to closing', () => {
    const g = machineGraph(client1Machine);
    const toClosing = g.edges.filter((e) => e.source === 'client1.receiving' && e.target === 'client1.closing');
    expect(toClosing.map((e) => e.guard)).toEqual(['endOfData', 'tooMuch']);
    expect(toClosing.every((e) => e.event === 'xstate.done.actor.recv')).toBe(true);
  });

  it('walks nested and parallel states, with an initial arrow inside each compound state', () => {
    const m = createMachine({
      id: 'm',
      initial: 'idle',
      states: {
        idle: { on: { GO: 'busy' } },
        busy: {
          initial: 'a',
          states: { a: { on: { NEXT: 'b' } }, b: { type: 'final' } },
          onDone: 'both',
        },
        both: {
          type: 'parallel',
          states: {
            left: { initial: 'x', states: { x: {} } },
            right: { initial: 'y', states: { y: { on: { DONE: '#m.idle' } } } },
          },
        },
      },
    });
    const g = machineGraph(m);
    const byId = new Map(g.nodes.map((n) => [n.id, n]));
    expect(byId.get('m.busy')!.kind).toBe('compound');
    expect(byId.get('m.busy.a')).toMatchObject({ parent: 'm.busy', path: 'busy.a', label: 'a' });
    expect(byId.get('m.both')!.kind).toBe('parallel');
    expect(byId.has('m.both.$initial')).toBe(false);
    expect(byId.get('m.busy.$initial')!.parent).toBe('m.busy');
    expect(g.edges.find((e) => e.source === 'm.busy' && e.target === 'm.both')!.label).toBe('busy done');
    expect(g.edges.find((e) => e.source === 'm.both.right.y')!.target).toBe('m.idle');
  });
});

describe('activeStatePaths', () => {
  it('turns state values into the paths of every active node', () => {
    expect(activeStatePaths('sending')).toEqual(['sending']);
    expect(activeStatePaths({ both: { left: 'x', right: 'y' } })).toEqual(['both', 'both.left', 'both.left.x', 'both.right', 'both.right.y']);
  });
});

describe('layoutGraph (elkjs, build time)', () => {
  it('places every state inside the chart and routes every transition', async () => {
    const layout = await layoutGraph(machineGraph(server1Machine));
    expect(layout.width).toBeGreaterThan(0);
    for (const n of layout.nodes) {
      expect(n.x).toBeGreaterThanOrEqual(0);
      expect(n.y).toBeGreaterThanOrEqual(0);
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width + 1);
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height + 1);
    }
    for (const e of layout.edges) {
      expect(e.d).toMatch(/^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+$/);
      expect(e.labelBox === null).toBe(e.label === '');
    }
    // No two states overlap.
    const states = layout.nodes;
    for (const a of states) {
      for (const b of states) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
  });

  it('lays out nested states inside their parent', async () => {
    const m = createMachine({
      id: 'n',
      initial: 'outer',
      states: { outer: { initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} }, on: { STOP: 'end' } }, end: { type: 'final' } },
    });
    const layout = await layoutGraph(machineGraph(m));
    const outer = layout.nodes.find((n) => n.id === 'n.outer')!;
    for (const inner of layout.nodes.filter((n) => n.parent === 'n.outer')) {
      expect(inner.x).toBeGreaterThanOrEqual(outer.x);
      expect(inner.y).toBeGreaterThanOrEqual(outer.y);
      expect(inner.x + inner.width).toBeLessThanOrEqual(outer.x + outer.width);
      expect(inner.y + inner.height).toBeLessThanOrEqual(outer.y + outer.height);
    }
  });
});

describe('every chart of the registry (what the page draws)', async () => {
  const layouts = await buildChartLayouts(lessons);
  const boxesApart = (a: Box, b: Box) => a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5 || a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;

  it('has a chart for every machine of every lesson, and for the children they start', () => {
    for (const lesson of lessons) {
      for (const m of lesson.machines) {
        for (const machine of machineAndChildren(m.machine)) expect(Object.keys(layouts), `${lesson.id}: ${machine.id}`).toContain(machine.id);
      }
    }
  });

  it('is split a lesson at a time, each machine in the first lesson that has it, and every machine has a loader of its lesson', async () => {
    const groups = await layoutsByLesson(lessons);
    expect(groups.map((g) => g.lesson)).toEqual(lessons.map((l) => l.id));
    const ids = groups.flatMap((g) => Object.keys(g.layouts));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(layouts).sort());
    const module = loadersModule(groups);
    for (const g of groups) {
      expect(module).toContain(`import("virtual:chart-layouts/${g.lesson}")`);
      const loader = /const (g\d+) = \(\) => import\("virtual:chart-layouts\/([^"]+)"\)/g;
      const byLesson = new Map([...module.matchAll(loader)].map((m) => [m[2]!, m[1]!]));
      for (const id of Object.keys(g.layouts)) expect(module).toContain(`${JSON.stringify(id)}: ${byLesson.get(g.lesson)},`);
    }
  });

  it('never lets a transition label overlap another label or a state', () => {
    for (const layout of Object.values(layouts)) {
      const labels = layout.edges.flatMap((e) => (e.labelBox === null ? [] : [{ box: e.labelBox, what: `${e.id} (${e.label})` }]));
      const states = layout.nodes.filter((n) => n.kind !== 'compound' && n.kind !== 'parallel').map((n) => ({ box: n as Box, what: n.id }));
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) expect(boxesApart(labels[i]!.box, labels[j]!.box), `${layout.id}: ${labels[i]!.what} / ${labels[j]!.what}`).toBe(true);
        for (const s of states) expect(boxesApart(labels[i]!.box, s.box), `${layout.id}: ${labels[i]!.what} on ${s.what}`).toBe(true);
      }
    }
  });

  it('shares one scale between charts, never below MIN_CHART_SCALE', () => {
    expect(chartScale([400, 300], 1000, 24)).toEqual({ scale: 1, oneRow: true });
    const fit = chartScale([600, 400], 900, 20);
    expect(fit.oneRow).toBe(true);
    expect(fit.scale).toBeCloseTo(0.882, 3);
    // Too narrow for one row at MIN_CHART_SCALE: one under another, as large as the widest allows.
    expect(chartScale([600, 500], 800, 24)).toEqual({ scale: 1, oneRow: false });
    expect(chartScale([1300, 500], 800, 24)).toEqual({ scale: MIN_CHART_SCALE, oneRow: false });
    expect(chartScale([], 800, 24)).toEqual({ scale: 1, oneRow: true });
    // Labels stay at 10 px or more.
    expect(CHART_FONT.labelSize * MIN_CHART_SCALE).toBeGreaterThanOrEqual(10);
  });
});
