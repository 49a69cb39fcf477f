/**
 * Start one machine on a transport: its socket actors bound to that
 * transport, every call and every step recorded in the trace.
 * Browser-safe: the transport decides whether the sockets are real.
 */
import { createActor, waitFor, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { bindSockets } from './socket-bindings.ts';
import { inspector } from './trace/inspect.ts';
import type { Trace } from './trace/trace.ts';
import { traceTransport } from './trace/traced-transport.ts';
import type { Transport } from './transport/types.ts';

export interface RunningMachine {
  actor: AnyActorRef;
  /** Resolves with the machine's output once it reaches a final state. */
  done: Promise<unknown>;
  /** Stop the machine and close every socket it still has open. */
  stop(): Promise<void>;
}

export interface StartOptions {
  transport: Transport;
  trace: Trace;
  /** The actor's name in the trace: its lane in the sequence diagram. */
  id: string;
  input?: unknown;
}

export function startMachine(machine: AnyStateMachine, options: StartOptions): RunningMachine {
  const sockets = bindSockets(traceTransport(options.transport, options.trace, options.id));
  const provided = machine.provide({ actors: sockets.actors } as never);
  const actor = createActor(provided, {
    id: options.id,
    input: options.input,
    inspect: inspector(options.trace),
  });
  const done = waitFor(actor, (s) => s.status !== 'active').then((s) => s.output as unknown);
  // A waiting promise that nobody awaits must not crash the process when the actor is stopped.
  done.catch(() => undefined);
  actor.start();
  return {
    actor,
    done,
    async stop() {
      actor.stop();
      await sockets.closeAll();
    },
  };
}
