/**
 * What a step's caption needs beyond its own record, and the caption
 * itself. Records are described in one place, runtime/trace/describe.ts
 * (the CLI prints the same sentences); the page adds only what it alone
 * knows: why a microstep happened, read off the statechart (an eventless
 * `always` transition is named by its guard, not by the event that began
 * the chain), and the state an actor ended in.
 *
 * A record the describer cannot read (a type newer than this page, or one
 * missing fields) gets a plain sentence naming its type: never a crash.
 */
import { describeRecord, type DescribeContext } from '../../runtime/trace/describe.ts';
import type { EventRecord, MicrostepRecord, TraceRecord } from '../../runtime/trace/records.ts';
import type { ChartEdge } from '../charts/machine-graph.ts';
import { actorOf, microstepAt, recordAt, type StepModel } from './steps.ts';
import { causeOf, type Cause } from './transitions.ts';

/** A machine id → its statechart's edges, or null when there is no chart for it. */
export type EdgesOfMachine = (machine: string) => readonly ChartEdge[] | null;

export interface StepContext {
  /** The event record shown with a microstep. */
  event: EventRecord | null;
  /** The transitions of the actor's statechart. */
  edges: readonly ChartEdge[] | null;
  /** For a status record: the actor's state when it stopped. */
  lastState: DescribeContext['lastState'];
}

export function contextAt(model: StepModel, step: number, edgesOfMachine: EdgesOfMachine = () => null): StepContext {
  const r = recordAt(model, step);
  const eventIndex = model.eventOf[step]!;
  const actor = actorOf(r);
  const machine = model.byActor.get(actor)?.machine ?? null;
  return {
    event: eventIndex >= 0 ? (model.records[eventIndex] as EventRecord) : null,
    edges: machine === null ? null : edgesOfMachine(machine),
    lastState: r.type === 'status' && actor !== '' ? (microstepAt(model, actor, step)?.state ?? null) : null,
  };
}

/** Why a microstep happened, as the describer words it: 'on accept ✓', 'automatically (always [noMoreClients])'. */
export function causeText(cause: Cause): string {
  if (cause.kind === 'event') return `on ${cause.label}`;
  return cause.label === 'automatically' ? 'automatically' : `automatically (${cause.label})`;
}

/** The microstep's cause, read off its chart. */
export function microstepCause(r: MicrostepRecord, context: Pick<StepContext, 'edges' | 'event'>): Cause {
  return causeOf(r, context.edges, context.event?.event.type ?? r.event);
}

/** A sentence for a record that the describer could not read. */
export function unknownRecordText(r: TraceRecord): string {
  const actor = actorOf(r);
  const type = typeof r.type === 'string' ? r.type : 'unknown';
  return `${actor === '' ? 'The run' : actor} left a “${type}” record, which this page does not know how to show.`;
}

/** One sentence for a step: its caption, read aloud to screen readers. */
export function captionOf(r: TraceRecord, context: StepContext): string {
  try {
    const describe: DescribeContext = { lastState: context.lastState };
    if (r.type === 'microstep' && Array.isArray(r.transitions) && r.transitions.length > 0) {
      describe.cause = causeText(microstepCause(r, context));
    }
    const text = describeRecord(r, describe) as string | undefined;
    return typeof text === 'string' && text !== '' ? text : unknownRecordText(r);
  } catch {
    return unknownRecordText(r);
  }
}

/** The caption of a step. */
export function captionAt(model: StepModel, step: number, edgesOfMachine?: EdgesOfMachine): string {
  return captionOf(recordAt(model, step), contextAt(model, step, edgesOfMachine));
}
