/**
 * A microstep's transitions, matched to its statechart's edges: which edges
 * to draw bold, and what made the step happen.
 *
 * A microstep record's `event` is the event that began the whole chain of
 * microsteps; each transition's own `event` says what it waited for, and is
 * '' for an eventless (`always`) transition, which fires by itself as soon
 * as its guard holds. Such a step must not be captioned with the event
 * that happened to come before it.
 */
import type { MicrostepRecord } from '../../runtime/trace/records.ts';
import { eventLabel, type ChartEdge } from '../charts/machine-graph.ts';

type Transition = MicrostepRecord['transitions'][number];

/** Whether a transition fired by itself (`always`), with no event. */
export const isEventless = (t: Transition): boolean => t.event === '';

/** The chart's edges drawn for one transition of the trace (several when guarded branches share an event and a target). */
export function edgesOf(edges: readonly ChartEdge[], t: Transition): ChartEdge[] {
  return edges.filter((e) => e.source === t.source && e.event === t.event && t.targets.includes(e.target));
}

/** The ids of the edges a microstep took. */
export function takenEdgeIds(edges: readonly ChartEdge[], microstep: MicrostepRecord | null): Set<string> {
  const taken = new Set<string>();
  for (const t of microstep?.transitions ?? []) for (const e of edgesOf(edges, t)) taken.add(e.id);
  return taken;
}

export interface Cause {
  /** `event`: the step answered an event; `always`: it fired by itself. */
  kind: 'event' | 'always';
  /**
   * What the caption and the sequence diagram show:
   *   'accept ✓'                an event (readable name, see eventLabel)
   *   'always [noMoreClients]'  an eventless transition and its guard, as the chart labels it
   *   'always'                  an eventless transition without a guard
   *   'automatically'           an eventless transition whose edge is not known (no chart given)
   */
  label: string;
}

/** Why a microstep happened. `edges` are the actor's statechart's, to name an eventless transition's guard. */
export function causeOf(r: MicrostepRecord, edges: readonly ChartEdge[] | null = null, eventType: string = r.event): Cause {
  const first = r.transitions[0];
  if (first === undefined || !isEventless(first)) return { kind: 'event', label: eventLabel(eventType) };
  const matches = edges === null ? [] : r.transitions.flatMap((t) => edgesOf(edges, t));
  if (matches.length === 0) return { kind: 'always', label: 'automatically' };
  const guards = new Set(matches.map((e) => e.guard));
  const guard = guards.size === 1 ? [...guards][0]! : null;
  return { kind: 'always', label: guard === null ? 'always' : `always [${guard}]` };
}
