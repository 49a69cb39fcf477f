/**
 * Give a machine, and every machine it may invoke or spawn, the run's own
 * implementations of the effects it names. `machine.provide()` reaches one
 * machine only; a server's `session` child would keep the placeholders
 * (and fail with "The 'send' socket actor was not provided"). So the
 * binding walks the actors each machine lists in `setup({ actors })`:
 * a placeholder is replaced by its implementation, found by identity
 * (a machine may list `socketActors.send` under any name), and a child
 * machine is bound in turn.
 *
 * Children must be named in `setup({ actors })` and invoked or spawned by
 * that name; inline logic in an `invoke` cannot be reached.
 *
 * Browser-safe.
 */
import type { AnyActorLogic, AnyStateMachine } from 'xstate';

/** A state machine's logic, as opposed to promise or callback logic. */
function isMachine(logic: unknown): logic is AnyStateMachine {
  return typeof logic === 'object' && logic !== null && typeof (logic as { provide?: unknown }).provide === 'function' && 'root' in logic;
}

/** Bind `machine` and its children, replacing each placeholder logic found in `replacements`. */
export function bindMachine(machine: AnyStateMachine, replacements: ReadonlyMap<AnyActorLogic, AnyActorLogic>): AnyStateMachine {
  const bound = new Map<AnyStateMachine, AnyStateMachine>();
  const bind = (m: AnyStateMachine): AnyStateMachine => {
    const known = bound.get(m);
    if (known !== undefined) return known;
    const actors: Record<string, AnyActorLogic> = {};
    const listed = (m.implementations.actors ?? {}) as Record<string, AnyActorLogic>;
    for (const [name, logic] of Object.entries(listed)) {
      const replacement = replacements.get(logic);
      if (replacement !== undefined) actors[name] = replacement;
      else if (isMachine(logic) && logic !== m) actors[name] = bind(logic);
    }
    const provided = m.provide({ actors } as never) as AnyStateMachine;
    bound.set(m, provided);
    return provided;
  };
  return bind(machine);
}
