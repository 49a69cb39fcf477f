/**
 * What XState itself costs per step, with no socket, file or trace: the
 * floor under every lesson's live speed (issues 6 and 8).
 *
 * - A bare loop: a three-state machine that invokes a promise actor and
 *   comes back, N times, with and without an `inspect` observer (our runs
 *   always have one: it is how the trace hears the machines).
 * - Lesson 5's server (retr-server) sending a 100 MiB file in 64 KiB lines,
 *   every socket and file call stubbed with a promise that answers at once:
 *   the machine's own cost per line, one `send` per line as the course's
 *   server2a.py does.
 *
 *   npx tsx test/bench/xstate-cost.ts
 */
import { pathToFileURL } from 'node:url';
import { createActor, fromPromise, setup, waitFor, assign, type AnyStateMachine } from 'xstate';
import { createRetrServer } from '../../machines/retr/retr-server.ts';

const LOOPS = 20_000;
const LINE = 64 * 1024;
const FILE = 100 * 1024 * 1024;
const CHUNK = 1024 * 1024;

const loop = setup({ actors: { call: fromPromise(async () => 1) } }).createMachine({
  context: { n: 0 },
  initial: 'calling',
  states: {
    calling: { invoke: { src: 'call', onDone: { target: 'deciding', actions: assign({ n: ({ context }) => context.n + 1 }) } } },
    deciding: { always: [{ guard: ({ context }) => context.n >= LOOPS, target: 'done' }, { target: 'calling' }] },
    done: { type: 'final' },
  },
});

/** A stub for every socket and file call retr-server makes: a file of FILE bytes in LINE-byte lines, one client. */
function stubbedRetrServer(counts: { sends: number }): AnyStateMachine {
  const line = new Uint8Array(LINE).fill(0x61);
  line[LINE - 1] = 0x0a;
  const chunk = new Uint8Array(CHUNK);
  for (let at = 0; at < CHUNK; at += LINE) chunk.set(line, at);
  let reads = 0;
  let recvs = 0;
  const answer = <T>(value: () => T) => fromPromise(async () => value());
  return createRetrServer('server2a', 'timeout').provide({
    actors: {
      listen: answer(() => ({ listener: 'l1', address: { host: '127.0.0.1', port: 1 } })),
      accept: answer(() => ({ conn: 'c1', local: { host: '127.0.0.1', port: 1 }, remote: { host: '127.0.0.1', port: 2 } })),
      recv: answer(() => (recvs++ === 0 ? new TextEncoder().encode('RETR somefile.txt\n') : new Uint8Array(0))),
      send: fromPromise(async ({ input }: { input: { bytes: Uint8Array } }) => {
        counts.sends++;
        return input.bytes.length;
      }),
      close: answer(() => undefined),
      closeListener: answer(() => undefined),
      openFile: answer(() => ({ file: 'f1', size: FILE })),
      readFile: answer(() => (reads++ < FILE / CHUNK ? chunk : new Uint8Array(0))),
      closeFile: answer(() => undefined),
    } as never,
  });
}

async function timed(machine: AnyStateMachine, input: unknown, inspect: boolean): Promise<number> {
  const t = performance.now();
  const actor = createActor(machine, { input, ...(inspect ? { inspect: () => {} } : {}) });
  actor.start();
  await waitFor(actor, (s) => s.status !== 'active', { timeout: 120_000 });
  if (actor.getSnapshot().status !== 'done') throw new Error(`${machine.id} ended ${actor.getSnapshot().status}`);
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<void> {
  for (const inspect of [false, true]) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await timed(loop, undefined, inspect));
    console.log(`xstate-cost: a step that invokes a promise actor, ${inspect ? 'with' : 'without'} an inspect observer: ${((median(runs) * 1000) / LOOPS).toFixed(1)} µs (median of 5 × ${LOOPS.toLocaleString('en')})`);
  }
  for (const inspect of [false, true]) {
    const runs: number[] = [];
    let sends = 0;
    for (let i = 0; i < 5; i++) {
      const counts = { sends: 0 };
      runs.push(await timed(stubbedRetrServer(counts), { host: '127.0.0.1', port: 1, maxClients: 1 }, inspect));
      sends = counts.sends;
    }
    const ms = median(runs);
    console.log(
      `xstate-cost: lesson 5's server, calls stubbed, ${inspect ? 'with' : 'without'} an inspect observer: ${sends} sends of ${LINE / 1024} KiB lines, ${((ms * 1000) / sends).toFixed(1)} µs a line, ${ms.toFixed(0)} ms for ${FILE / 1024 / 1024} MiB (median of 5)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bench();
