/**
 * A statechart as plain data: the state nodes (nested ones included) and
 * the transitions between them, each with a label a learner can read.
 *
 * Pure: it reads an XState v5 machine's state node tree and returns JSON.
 * The Vite plugin in `tools/vite-chart-layouts.ts` runs it in Node at build
 * time and lays the graph out with elkjs, so the browser gets only coordinates.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export type ChartNodeKind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history' | 'initial';

export interface ChartNode {
  /** XState's state node id, e.g. 'client1.receiving' (the same ids the trace's microsteps use). */
  id: string;
  /** What the chart shows: the state's key. Empty for the initial-state dot. */
  label: string;
  /** Keys from the top-level state down, joined by '.': 'sending' or 'sending.partial'. Matches a state value. */
  path: string;
  /** The enclosing state's id, or null for the machine's top-level states. */
  parent: string | null;
  kind: ChartNodeKind;
}

export interface ChartEdge {
  /** Unique within the chart: source, event, position. */
  id: string;
  source: string;
  target: string;
  /** The event type as XState names it, e.g. 'xstate.done.actor.accept' ('' for the initial arrow). */
  event: string;
  /** The guard's name, when the transition has one. */
  guard: string | null;
  /** What the chart shows, e.g. 'send ✓ [sentEverything]'. */
  label: string;
}

export interface MachineGraph {
  /** The machine's id: the name the trace's `actor` record gives in `machine`. */
  id: string;
  nodes: ChartNode[];
  edges: ChartEdge[];
}

/**
 * A readable name for an event type:
 *   xstate.done.actor.accept   → accept ✓   (the invoked call succeeded)
 *   xstate.error.actor.accept  → accept ✗   (it failed)
 *   xstate.done.state.m.a      → a done
 *   xstate.after.500.m.a       → after 500 ms
 *   ''                         → always
 */
export function eventLabel(eventType: string): string {
  let m = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (m) return `${m[1]} ✓`;
  m = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (m) return `${m[1]} ✗`;
  m = /^xstate\.done\.state\.(.+)$/.exec(eventType);
  if (m) return `${m[1]!.split('.').pop()} done`;
  m = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (m) return /^\d+$/.test(m[1]!) ? `after ${m[1]} ms` : `after ${m[1]}`;
  if (eventType === '') return 'always';
  if (eventType === '*') return 'any event';
  return eventType;
}

/** The name of a transition's guard: 'sentEverything', 'not(tooMuch)', or 'guard' for an unnamed function. */
export function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name !== '' ? guard.name : 'guard';
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') {
    return (guard as { type: string }).type;
  }
  return 'guard';
}

/** A state node's children, in the order the machine's config writes them. */
const childrenOf = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states);

/** Every state node, transition and initial arrow of a machine, in document order. */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const nodes: ChartNode[] = [];
  const edges: ChartEdge[] = [];

  const addInitial = (node: AnyStateNode, parent: string | null) => {
    // Parallel regions are all entered at once: no initial arrow inside a parallel state.
    if (node.type !== 'compound') return;
    const targets = node.initial.target;
    if (targets.length === 0) return;
    const dot = `${node.id}.$initial`;
    nodes.push({ id: dot, label: '', path: '', parent, kind: 'initial' });
    for (const target of targets) {
      edges.push({ id: `${dot}->${target.id}`, source: dot, target: target.id, event: '', guard: null, label: '' });
    }
  };

  const visit = (node: AnyStateNode, parent: string | null) => {
    nodes.push({ id: node.id, label: node.key, path: node.path.join('.'), parent, kind: node.type });
    addInitial(node, node.id);
    for (const child of childrenOf(node)) visit(child, node.id);
  };

  addInitial(machine.root, null);
  for (const child of childrenOf(machine.root)) visit(child, null);

  // Transitions after all nodes, so that every target exists; walk the tree again in the same order.
  const walk = (node: AnyStateNode) => {
    const lists = [...node.transitions.values(), node.always ?? []];
    for (const list of lists) {
      list.forEach((t, index) => {
        const guard = guardName(t.guard);
        const event = String(t.eventType);
        const label = eventLabel(event) + (guard === null ? '' : ` [${guard}]`);
        // A targetless transition only runs actions: draw it as a loop on its source.
        const targets = t.target === undefined || t.target.length === 0 ? [node] : t.target;
        for (const target of targets) {
          edges.push({ id: `${node.id}:${event}:${index}->${target.id}`, source: node.id, target: target.id, event, guard, label });
        }
      });
    }
    for (const child of childrenOf(node)) walk(child);
  };
  for (const child of childrenOf(machine.root)) walk(child);

  return { id: machine.id, nodes, edges };
}

/**
 * The paths of the active state nodes for a state value, e.g.
 * 'sending' → ['sending'];  { sending: 'partial' } → ['sending', 'sending.partial'].
 */
export function activeStatePaths(value: unknown): string[] {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown) => {
    const join = (key: string) => (prefix === '' ? key : `${prefix}.${key}`);
    if (typeof v === 'string') {
      out.push(join(v));
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, sub] of Object.entries(v)) {
        out.push(join(key));
        walk(join(key), sub);
      }
    }
  };
  walk('', value);
  return out;
}
