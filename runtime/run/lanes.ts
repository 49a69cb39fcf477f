/**
 * The name of every machine actor in a run: its lane in the sequence
 * diagram and the `actor` of every record it leaves. A program started by
 * the run is named by the run ('server1'); a child is named by the id its
 * parent gave it ('session3'), or by its systemId when it has one. Names are unique within a run: a second
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
  /**
   * The actor's name in its system, when its parent gave it one: it names the lane then. Read from
   * `options` (XState's own field, v5): XState announces a new actor before it sets `systemId`.
   */
  options?: { systemId?: string };
  sessionId: string;
  /** XState's own field (v5): the actor that invoked or spawned this one. */
  _parent?: ActorLike;
  logic?: { id?: string; root?: unknown };
}

/** What a run knows of one machine actor. */
export interface Lane {
  /** The actor's name in the trace. */
  name: string;
  /** Its first state is in the trace. */
  started: boolean;
  /** Its end (done, error, stopped) is in the trace: an actor ends once. */
  ended: boolean;
}

/**
 * Lanes are kept by the actor object, weakly: a server that serves a
 * million clients, one session each, holds no lane of a session once the
 * session is gone. A name is unique among the actors still running; once
 * an actor has ended, its name may be given again (as a thread id may).
 */
export class Lanes {
  private readonly byActor = new WeakMap<object, Lane>();
  private readonly running = new Set<string>();

  /** Give an actor its lane (once); returns it. */
  add(actor: ActorLike): Lane {
    const known = this.byActor.get(actor);
    if (known !== undefined) return known;
    // A systemId is the name the parent chose for the system (the FTP listener's 'session12', whose
    // XState id is '12': machines/ftp/server/listener.ts says why); otherwise the id.
    const base = actor.options?.systemId ?? actor.id;
    let name = base;
    for (let n = 2; this.running.has(name); n++) name = `${base}#${n}`;
    this.running.add(name);
    const lane: Lane = { name, started: false, ended: false };
    this.byActor.set(actor, lane);
    return lane;
  }

  /** The lane of a machine actor, if it has one. */
  of(actor: ActorLike | undefined): Lane | undefined {
    return actor === undefined ? undefined : this.byActor.get(actor);
  }

  /** The name of a machine actor, if it has one. */
  nameOf(actor: ActorLike | undefined): string | undefined {
    return this.of(actor)?.name;
  }

  /** The actor has ended: its name is free again. */
  end(lane: Lane): void {
    lane.ended = true;
    this.running.delete(lane.name);
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
