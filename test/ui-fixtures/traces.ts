/**
 * Traces for the UI's tests, made by the real machines on the simulated
 * network (fast and deterministic), so they never drift from what the page
 * shows:
 *   greetingTrace()      lesson 1 as the page runs it (seed 1)
 *   refusedClientTrace() client1 alone, nothing listening: it ends in `failed`
 */
import { client1Machine } from '../../machines/greeting/client1.ts';
import { runGreetingSim } from '../../lessons/01-greeting/run.ts';
import { startMachine } from '../../runtime/run-machine.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';

export function greetingTrace(seed = 1): Promise<TraceRecord[]> {
  return runGreetingSim({ seed });
}

/** client1 connects to a port nobody listens on: connect fails with ECONNREFUSED. */
export async function refusedClientTrace(): Promise<TraceRecord[]> {
  const net = createSimNetwork({ seed: 1 });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), lesson: '01-greeting', seed: 1 });
  const client = startMachine(client1Machine, { transport: net.transport(), trace, id: 'client1', input: { host: '127.0.0.1', port: 12345 } });
  try {
    await net.run();
    await client.done;
  } finally {
    await client.stop();
  }
  return trace.records;
}
