/**
 * XState v5 inspection → trace records. Pass the result as the `inspect`
 * option of `createActor`; every actor of the system reports through it,
 * children included. Only machine actors are recorded: the promise actors
 * that carry out socket calls leave socket records instead.
 *
 * A machine prints by emitting `{ type: 'print', text }` (XState's `emit`
 * action): that becomes a `print` record, what the Python script would print.
 */
import type { InspectionEvent } from 'xstate';
import { isMachineActor, type ActorLike, type Lane, type Lanes } from '../run/lanes.ts';
import type { MicrostepRecord, Role, StateValue } from './records.ts';
import { toJson } from './to-json.ts';
import type { Trace } from './trace.ts';

interface StateNodeLike {
  id: string;
  /** Keys from the root: ['sending'] or ['transfer', 'data', 'receiving']. */
  path: string[];
}
interface TransitionLike {
  source: StateNodeLike;
  target?: readonly StateNodeLike[];
  eventType: string;
}

/**
 * The state value made of these states: ['a'] gives 'a', ['a', 'b'] gives
 * { a: 'b' }, and paths into parallel regions merge into one object.
 */
export function valueOfPaths(paths: readonly string[][]): StateValue {
  const tree: Record<string, string[][]> = {};
  for (const [head, ...rest] of paths) if (head !== undefined) (tree[head] ??= []).push(rest);
  const keys = Object.keys(tree);
  if (keys.length === 1 && tree[keys[0]!]!.every((p) => p.length === 0)) return keys[0]!;
  const value: { [key: string]: StateValue } = {};
  for (const key of keys) {
    const inner = tree[key]!.filter((p) => p.length > 0);
    value[key] = inner.length === 0 ? {} : valueOfPaths(inner);
  }
  return value;
}

export interface InspectorOptions {
  trace: Trace;
  lanes: Lanes;
  /** The role of each machine (by machine id) in the lesson. */
  roles?: Readonly<Record<string, Role>>;
}

/** A child's done or error event: 'xstate.done.actor.7' (kind 'done', XState id '7'). */
const CHILD_EVENT = /^xstate\.(done|error)\.actor\.(.+)$/;

export function inspector({ trace, lanes, roles = {} }: InspectorOptions): (event: InspectionEvent) => void {
  const laneOf = (actor: unknown): Lane | undefined => lanes.of(actor as ActorLike);
  /**
   * An event's type as the trace names it. A child's done or error event
   * names the child by its XState id; a machine that spawns many children
   * gives them numbers for ids (XState copies its children object on every
   * spawn, and named keys cost V8 a new object shape each), and their names
   * ('thread7') as systemIds, which is what lanes call them. The trace says
   * 'xstate.done.actor.thread7', the name the learner sees everywhere else.
   * Found when the event reaches its actor, while the child is still among
   * its children; the microstep it causes carries the same event object.
   */
  const named = new WeakMap<object, string>();
  const typeOf = (event: { type: string }, receiver: unknown): string => {
    const known = named.get(event);
    if (known !== undefined) return known;
    const m = CHILD_EVENT.exec(event.type);
    if (m === null) return event.type;
    const children = (receiver as { getSnapshot?: () => { children?: Record<string, unknown> } }).getSnapshot?.().children;
    const name = lanes.nameOf(children?.[m[2]!] as ActorLike | undefined);
    const type = name === undefined || name === m[2] ? event.type : `xstate.${m[1]}.actor.${name}`;
    named.set(event, type);
    return type;
  };
  /** Record an actor's first state, once: a step with no transition. */
  const recordFirstState = (lane: Lane, event: string, state: StateValue) => {
    if (lane.started) return;
    lane.started = true;
    trace.add({ type: 'microstep', actor: lane.name, event, state, transitions: [] });
  };

  return (ev) => {
    switch (ev.type) {
      case '@xstate.actor': {
        const ref = ev.actorRef as unknown as ActorLike;
        if (!isMachineActor(ref)) return;
        const actor = lanes.add(ref).name;
        const machine = ref.logic?.id ?? ref.id;
        const parent = lanes.nameOf(ref._parent);
        const role = roles[machine];
        trace.add({
          type: 'actor',
          actor,
          machine,
          ...(parent === undefined ? {} : { parent }),
          ...(role === undefined ? {} : { role }),
        });
        return;
      }
      case '@xstate.event': {
        const actor = laneOf(ev.actorRef)?.name;
        if (actor === undefined) return;
        const event = (toJson(ev.event) ?? { type: ev.event.type }) as { type: string };
        event.type = typeOf(ev.event, ev.actorRef);
        trace.add({ type: 'event', actor, event });
        return;
      }
      case '@xstate.action': {
        // `emit({ type: 'print', text })` in a machine: what its program prints.
        if (ev.action.type !== 'xstate.emit') return;
        const actor = laneOf(ev.actorRef)?.name;
        const emitted = (ev.action.params as { event?: { type?: unknown; text?: unknown } } | undefined)?.event;
        if (actor === undefined || emitted?.type !== 'print') return;
        trace.add({ type: 'print', actor, text: String(emitted.text ?? '') });
        return;
      }
      case '@xstate.microstep': {
        const lane = laneOf(ev.actorRef);
        if (lane === undefined) return;
        // `_transitions` is XState's own field (v5): the transitions this microstep took.
        const taken = ev._transitions as unknown as TransitionLike[];
        // Stopping an actor is reported as a microstep that takes no transition; its status record says it better.
        if (taken.length === 0) return;
        // An initial state left at once by an `always` transition never shows
        // up as a snapshot: record it from where the first transitions start.
        const eventType = typeOf(ev.event, ev.actorRef);
        recordFirstState(lane, eventType, valueOfPaths(taken.map((t) => t.source.path)));
        const snapshot = ev.snapshot as unknown as { value: StateValue };
        const transitions: MicrostepRecord['transitions'] = taken.map((t) => ({
          source: t.source.id,
          targets: (t.target ?? []).map((n) => n.id),
          event: t.eventType,
        }));
        trace.add({ type: 'microstep', actor: lane.name, event: eventType, state: snapshot.value, transitions });
        return;
      }
      case '@xstate.snapshot': {
        const lane = laneOf(ev.actorRef);
        if (lane === undefined) return;
        const snapshot = ev.snapshot as unknown as { status: string; value: StateValue; output?: unknown };
        // The initial state arrives as a snapshot, not a microstep: record it as the first step.
        recordFirstState(lane, ev.event.type, snapshot.value);
        if (snapshot.status !== 'active' && !lane.ended) {
          lanes.end(lane);
          const output = toJson(snapshot.output);
          trace.add({
            type: 'status',
            actor: lane.name,
            status: snapshot.status as 'done' | 'error' | 'stopped',
            ...(output === undefined ? {} : { output }),
          });
        }
        return;
      }
    }
  };
}
