/**
 * The name of every machine actor in a run: its lane in the sequence
 * diagram and the `actor` of every record it leaves. A program started by
 * the run is named by the run ('server1'); a child is named by the id its
 * parent gave it ('session3'). Names are unique within a run: a second
 * actor asking for a taken name gets 'name#2'.
 *
 * Socket calls are promise actors whose parent is the machine that invoked
 * them; the call is recorded on that parent's lane.
 *
 * Browser-safe.
 */

/** The parts of an XState actor reference a run reads. */
export interface ActorLike {
  id: string;
  sessionId: string;
  /** XState's own field (v5): the actor that invoked or spawned this one. */
  _parent?: ActorLike;
  logic?: { id?: string; root?: unknown };
}

export class Lanes {
  private readonly bySession = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** Give an actor its name (once); returns it. */
  add(actor: ActorLike): string {
    const known = this.bySession.get(actor.sessionId);
    if (known !== undefined) return known;
    let name = actor.id;
    for (let n = 2; this.taken.has(name); n++) name = `${actor.id}#${n}`;
    this.taken.add(name);
    this.bySession.set(actor.sessionId, name);
    return name;
  }

  /** The name of a machine actor, if it has one. */
  nameOf(actor: ActorLike | undefined): string | undefined {
    return actor === undefined ? undefined : this.bySession.get(actor.sessionId);
  }

  /** The lane a promise actor's work belongs on: its parent machine's. */
  laneOf(promiseActor: ActorLike): string {
    return this.nameOf(promiseActor._parent) ?? promiseActor.id;
  }
}

/** A state machine's logic has a root state node; promise logic does not. */
export function isMachineActor(actor: ActorLike): boolean {
  return typeof actor.logic?.root === 'object';
}
