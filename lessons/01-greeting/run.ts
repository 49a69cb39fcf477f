/**
 * Run lesson 1's conversation: server1 serves one client, client1 reads the
 * greeting. The same function runs on the simulated network (in the
 * browser or in tests) and on real sockets. Browser-safe.
 */
import { waitFor, type AnyActorRef } from 'xstate';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import { startMachine } from '../../runtime/run-machine.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork, type SimOptions } from '../../runtime/transport/sim/index.ts';
import type { Transport } from '../../runtime/transport/types.ts';

export interface GreetingEnvironment {
  transport: Transport;
  trace: Trace;
  /** Host to listen on and connect to. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /**
   * Drives a simulated network until nothing is left to do. Absent for real
   * sockets, whose events arrive by themselves.
   */
  settle?: () => Promise<void>;
}

export interface GreetingResult {
  server: unknown;
  client: unknown;
}

/** Wait until an actor's state satisfies `ready`; on a simulated network, run it first. */
async function until(actor: AnyActorRef, ready: (s: ReturnType<AnyActorRef['getSnapshot']>) => boolean, settle?: () => Promise<void>) {
  if (settle === undefined) return waitFor(actor, ready);
  await settle();
  const snapshot = actor.getSnapshot();
  if (!ready(snapshot)) throw new Error(`${actor.id} is stuck in ${JSON.stringify(snapshot.value)}`);
  return snapshot;
}

export async function runGreeting(env: GreetingEnvironment): Promise<GreetingResult> {
  const server = startMachine(server1Machine, {
    transport: env.transport,
    trace: env.trace,
    id: 'server1',
    input: { host: env.host, port: env.port, maxClients: 1 },
  });
  try {
    // A client can only connect once the server listens, as when you start server1.py first.
    const listening = await until(server.actor, (s) => s.status !== 'active' || !s.matches('binding'), env.settle);
    if (listening.status !== 'active') throw new Error(`server1 could not listen: ${JSON.stringify(listening.context.error)}`);
    const client = startMachine(client1Machine, {
      transport: env.transport,
      trace: env.trace,
      id: 'client1',
      input: { host: env.host, port: listening.context.port },
    });
    try {
      await until(client.actor, (s) => s.status !== 'active', env.settle);
      await until(server.actor, (s) => s.status !== 'active', env.settle);
      return { server: await server.done, client: await client.done };
    } finally {
      await client.stop();
    }
  } finally {
    await server.stop();
  }
}

/** Lesson 1 on the simulated network, as the lesson page runs it: the whole trace. */
export async function runGreetingSim(options: SimOptions = {}): Promise<TraceRecord[]> {
  const seed = options.seed ?? 1;
  const net = createSimNetwork({ ...options, seed });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), lesson: '01-greeting', seed });
  await runGreeting({ transport: net.transport(), trace, host: '127.0.0.1', port: 12345, settle: () => net.run() });
  return trace.records;
}
