// Shared by the lesson 2 and 3 graph tests: what xstate/graph paths must show of a machine.
import type { AnyEventObject, AnyStateMachine } from 'xstate';
import { getAdjacencyMap, getShortestPaths, getSimplePaths } from 'xstate/graph';

export const done = (id: string, output?: unknown): AnyEventObject => ({ type: `xstate.done.actor.${id}`, output });
export const failed = (id: string, code = 'ECONNRESET'): AnyEventObject => ({ type: `xstate.error.actor.${id}`, error: { code, message: code } });
export const bytes = (text: string) => new TextEncoder().encode(text);

/** States a snapshot can rest in: not the ones passed straight through by an `always` transition. */
export function restingStates(machine: AnyStateMachine): string[] {
  return Object.entries(machine.root.states)
    .filter(([, node]) => node.always === undefined || node.always.length === 0)
    .map(([key]) => key);
}

export interface GraphCase {
  machine: AnyStateMachine;
  events: AnyEventObject[];
  /** Each input is explored on its own; the states found are joined. */
  inputs: unknown[];
  /** States passed straight through with some inputs that rest with others (a pause of 0 ms or more). */
  alsoResting?: string[];
  /** The context fields that steer guards, so that the graph stays finite. */
  key: (context: Record<string, unknown>) => unknown;
}

/** The states a case's machine can rest in. */
export function restingStatesOf(c: GraphCase): string[] {
  return [...restingStates(c.machine), ...(c.alsoResting ?? [])].sort();
}

function options(c: GraphCase, input: unknown) {
  return {
    events: c.events,
    input,
    serializeState: (s: { value: unknown; context: Record<string, unknown> }) => JSON.stringify([s.value, c.key(s.context)]),
  } as never;
}

/** The resting state reached by a shortest path to each state. */
export function reachedStates(c: GraphCase): string[] {
  const paths = c.inputs.flatMap((input) => getShortestPaths(c.machine, options(c, input)));
  return [...new Set(paths.map((p) => String(p.state.value)))].sort();
}

/** Every resting state that lies on some simple path ending in `final`. */
export function statesOnPathsTo(c: GraphCase, final: string): string[] {
  const paths = c.inputs.flatMap((input) => getSimplePaths(c.machine, options(c, input))).filter((p) => p.state.value === final);
  return [...new Set(paths.flatMap((p) => p.steps.map((step) => String(step.state.value))))].sort();
}

/**
 * Nodes of the graph (state value and steering context) from which no
 * path reaches `final`: the dead ends (`failed` may be one). Found on the
 * adjacency map, walked backwards from every `final` node: cheaper than
 * simple paths for a machine whose paths multiply (a server with counters).
 */
export function deadEnds(c: GraphCase, final: string): string[] {
  const out: string[] = [];
  for (const input of c.inputs) {
    const adjacency = getAdjacencyMap(c.machine, options(c, input)) as unknown as Record<
      string,
      { state: { value: unknown }; transitions: Record<string, { state: unknown }> }
    >;
    const serialize = (s: unknown) => {
      const snapshot = s as { value: unknown; context: Record<string, unknown> };
      return JSON.stringify([snapshot.value, c.key(snapshot.context)]);
    };
    const into = new Map<string, string[]>();
    for (const [from, node] of Object.entries(adjacency)) {
      for (const t of Object.values(node.transitions)) (into.get(serialize(t.state)) ?? into.set(serialize(t.state), []).get(serialize(t.state))!).push(from);
    }
    const alive = new Set(Object.keys(adjacency).filter((k) => adjacency[k]!.state.value === final));
    const queue = [...alive];
    while (queue.length > 0) for (const from of into.get(queue.pop()!) ?? []) if (!alive.has(from)) (alive.add(from), queue.push(from));
    out.push(...Object.keys(adjacency).filter((k) => !alive.has(k) && adjacency[k]!.state.value !== 'failed'));
  }
  return out;
}
