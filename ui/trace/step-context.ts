/**
 * What the caption and the sequence diagram need beyond a step's own
 * record: the event shown with it, the actor's statechart edges (to name
 * an eventless transition's guard) and, for a status record, the state the
 * actor ended in.
 */
import type { EventRecord, StateValue } from '../../runtime/trace/records.ts';
import type { ChartEdge } from '../charts/machine-graph.ts';
import { microstepAt, recordAt, type StepModel } from './steps.ts';

export interface StepContext {
  /** The event record shown with a microstep. */
  event?: EventRecord | null;
  /** The transitions of the actor's statechart. */
  edges?: readonly ChartEdge[] | null;
  /** For a status record: the actor's state when it stopped. */
  lastState?: StateValue | null;
}

/** A machine id → its statechart's edges, or null when there is no chart for it. */
export type EdgesOfMachine = (machine: string) => readonly ChartEdge[] | null;

export function contextAt(model: StepModel, step: number, edgesOfMachine: EdgesOfMachine = () => null): StepContext {
  const r = recordAt(model, step);
  const eventIndex = model.eventOf[step]!;
  const actor = r.type === 'run' ? null : r.actor;
  const machine = actor === null ? undefined : model.machineOf.get(actor);
  return {
    event: eventIndex >= 0 ? (model.records[eventIndex] as EventRecord) : null,
    edges: machine === undefined ? null : edgesOfMachine(machine),
    lastState: r.type === 'status' && actor !== null ? (microstepAt(model, actor, step)?.state ?? null) : null,
  };
}
