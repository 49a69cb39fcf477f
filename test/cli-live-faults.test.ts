/**
 * The live faults and --timeout, in the runtime (runtime/run/conn-faults.ts,
 * give-up.ts), on both transports: a server started with faults splits and
 * delays its sends and resets past a byte limit, on its own connections only,
 * with `fault` records that name it; a client given a limit gives up saying
 * what it waited for. The CLI end of it is test/cli-live-options.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import greeting from '../lessons/01-greeting/lesson.ts';
import listAndQuit from '../lessons/02-list-and-quit/lesson.ts';
import theStream from '../lessons/04-the-stream/lesson.ts';
import { FAULT_OPTIONS, liveOptionsOf, rolesOf, TIMEOUT_OPTION, type LessonDefinition } from '../lessons/lesson-types.ts';
import { lessons, runnableMachines } from '../lessons/index.ts';
import { client1Machine } from '../machines/greeting/client1.ts';
import { server1aMachine } from '../machines/commands/server1a.ts';
import { client4Machine } from '../machines/stream/client4.ts';
import { client4onceMachine } from '../machines/stream/client4once.ts';
import { LONG_LINE, MESSAGES } from '../machines/stream/messages.ts';
import { server4Machine } from '../machines/stream/server4.ts';
import { MemoryFolder } from '../runtime/files/memory-folder.ts';
import type { ConnFaults } from '../runtime/run/conn-faults.ts';
import { giveUpSentence } from '../runtime/run/give-up.ts';
import { checkMachineOptions } from '../runtime/server/machine-options.ts';
import { machineList } from '../runtime/server/page-runs.ts';
import { RunSystem } from '../runtime/run/run-system.ts';
import { describeRecord } from '../runtime/trace/describe.ts';
import type { TraceRecord } from '../runtime/trace/records.ts';
import { Trace } from '../runtime/trace/trace.ts';
import { createSimNetwork } from '../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../runtime/transport/tcp.ts';
import type { Transport } from '../runtime/transport/types.ts';

interface Net {
  name: 'sim' | 'tcp';
  make(): { transport: Transport; settle?: () => Promise<void>; clock: () => number };
}

const NETS: Net[] = [
  {
    name: 'sim',
    make() {
      const net = createSimNetwork({ seed: 3 });
      return { transport: net.transport(), settle: () => net.run(), clock: () => net.now() };
    },
  },
  {
    name: 'tcp',
    make() {
      const transport = createTcpTransport();
      return { transport, clock: () => transport.now() };
    },
  },
];

interface Side {
  machine: AnyStateMachine;
  id: string;
  input: (port: number) => unknown;
  faults?: ConnFaults;
  giveUpMs?: number;
}

/** A server and a client of `lesson` in one run; resolves with both outputs and the trace. */
async function pair(net: Net, lesson: LessonDefinition, server: Side, client: Side, files?: MemoryFolder) {
  const { transport, settle, clock } = net.make();
  const trace = new Trace({ transport: net.name, clock, startedAt: 0 });
  const run = new RunSystem({ transport, trace, roles: rolesOf(lesson), ...(files === undefined ? {} : { files }) });
  const port = new Promise<number>((resolve) => trace.subscribe((r) => r.type === 'listen' && resolve(r.address.port)));
  const s = run.start(server.machine, { id: server.id, input: server.input(0), ...(server.faults === undefined ? {} : { faults: server.faults }) });
  await settle?.();
  const c = run.start(client.machine, {
    id: client.id,
    input: client.input(await port),
    ...(client.giveUpMs === undefined ? {} : { giveUpMs: client.giveUpMs }),
  });
  await settle?.();
  const clientOut = await c.done;
  await settle?.();
  await Promise.race([s.done, new Promise((r) => setTimeout(r, 1500))]);
  await run.stop();
  return { server: await s.done, client: clientOut, records: trace.records as TraceRecord[] };
}

const server4 = (faults?: ConnFaults): Side => ({ machine: server4Machine, id: 'server4', input: () => ({ host: '127.0.0.1', port: 0, maxClients: 1 }), ...(faults === undefined ? {} : { faults }) });
const client = (machine: AnyStateMachine, id: string, giveUpMs?: number): Side => ({
  machine,
  id,
  input: (port) => ({ host: '127.0.0.1', port }),
  ...(giveUpMs === undefined ? {} : { giveUpMs }),
});

for (const net of NETS) {
  describe(`live faults on our server's connections (${net.name})`, () => {
    it('--chunk 5 --delay 200: a client that reads once gets 5 bytes; one that reads to the end gets everything', async () => {
      const once = await pair(net, theStream, server4({ chunk: 5, delayMs: 200 }), client(client4onceMachine, 'client4once'));
      // At most the first piece (the simulated network may cut even that once more).
      expect(once.client).toMatchObject({ error: null });
      const got = once.client as { size: number; text: string };
      expect(got.size).toBeGreaterThan(0);
      expect(got.size).toBeLessThanOrEqual(5);
      expect('Hello'.startsWith(got.text)).toBe(true);
      const faults = once.records.filter((r) => r.type === 'fault');
      expect(faults[0]).toMatchObject({ kind: 'split', program: 'server4', sender: 'server4', conn: 'c1', offset: 0, size: 7, piece: 5, pieces: 2, cause: '--chunk 5' });
      expect(faults[1]).toMatchObject({ kind: 'delay', program: 'server4', ms: 200, pieces: 2, cause: '--delay 200' });
      expect(describeRecord(faults[0]!)).toBe("server4's 7 bytes on c1 go out in 2 pieces of at most 5 bytes (--chunk 5): the other program's recv() may get them one piece at a time.");
      expect(describeRecord(faults[1]!)).toBe('server4 waits 200 ms before each of the 2 pieces of its 7 bytes on c1 (--delay 200).');

      const whole = await pair(net, theStream, server4({ chunk: 5, delayMs: 1 }), client(client4Machine, 'client4'));
      expect(whole.client).toMatchObject({ text: MESSAGES.join(''), error: null });
      // Every recv got at most a piece: 5 bytes.
      expect((whole.client as { sizes: number[] }).sizes.every((n) => n <= 5 * 4)).toBe(true);
      // The send records still hold what the machine sent, one record per send() call.
      expect(whole.records.filter((r) => r.type === 'send').map((r) => (r as { accepted: number }).accepted)).toEqual([7, 7, LONG_LINE.length, 4]);
    }, 20_000);

    it('--reset-after: the connection is reset once that many bytes have passed; the client sees ECONNRESET, the server drops it', async () => {
      const ran = await pair(net, theStream, server4({ resetAfter: 100 }), client(client4Machine, 'client4'));
      expect(ran.client).toMatchObject({ error: { code: 'ECONNRESET' } });
      expect((ran.client as { sizes: number[] }).sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
      const reset = ran.records.find((r) => r.type === 'fault' && r.kind === 'reset')!;
      expect(reset).toMatchObject({ program: 'server4', because: 'limit', after: 100, cause: '--reset-after 100' });
      expect(describeRecord(reset)).toBe("server4's run resets c1 after 100 bytes (--reset-after 100): the other program sees a reset (ECONNRESET), not end of data.");
      expect(ran.server).toMatchObject({ dropped: 1 });
    }, 20_000);

    it('faults apply to the program given them only: the client of the same run sends unchanged', async () => {
      const files = new MemoryFolder({ 'a.txt': '' });
      const ran = await pair(
        net,
        listAndQuit,
        { machine: server1aMachine, id: 'server1a', input: () => ({ host: '127.0.0.1', port: 0, maxClients: 1 }), faults: { chunk: 3 } },
        { ...client(listAndQuit.machines[2]!.machine, 'client1a') },
        files,
      );
      const faults = ran.records.filter((r) => r.type === 'fault') as { sender: string }[];
      expect(faults.length).toBeGreaterThan(0);
      expect(faults.every((f) => f.sender === 'server1a')).toBe(true);
      expect(ran.client).toMatchObject({ error: null });
    }, 20_000);

    it('--timeout: a client gives up, naming the state it waited in and what the server had done', async () => {
      // server1a greets, then waits for a command; client1 waits for end of data that never comes.
      const ran = await pair(
        net,
        greeting,
        { machine: server1aMachine, id: 'server1a', input: () => ({ host: '127.0.0.1', port: 0, maxClients: 1 }) },
        client(client1Machine, 'client1', 300),
        new MemoryFolder({}),
      );
      expect(ran.client).toMatchObject({
        error: { code: 'ETIMEDOUT', message: 'no end of data after 0.3 s in `receiving`: the server sent 29 bytes and never closed its side' },
      });
      const error = ran.records.find((r) => r.type === 'error' && r.op === 'recv')!;
      expect(describeRecord(error)).toContain('no end of data after 0.3 s in `receiving`');
    }, 20_000);
  });
}

describe('the diagnosis of a client that gave up', () => {
  it.each([
    [{ op: 'recv', at: 'client1.receiving', ms: 3000, peer: 'the server', received: 17, sent: 0 }, 'no end of data after 3 s in `receiving`: the server sent 17 bytes and never closed its side'],
    [{ op: 'recv', at: 'client2a.readingStatus', ms: 2500, peer: 'the server', received: 0, sent: 18 }, 'no answer after 2.5 s in `readingStatus`: the server sent nothing and never closed its side'],
    [{ op: 'send', at: 'client1a.sendingAll', ms: 1000, peer: 'the server', received: 0, sent: 4_194_304 }, 'no room to send after 1 s in `sendingAll`: the server is not reading (4,194,304 bytes sent so far)'],
    [{ op: 'connect', ms: 3000, peer: 'the server', received: 0, sent: 0 }, 'no answer to connect after 3 s: nothing accepted the connection'],
  ] as const)('%j', (g, sentence) => {
    expect(giveUpSentence(g)).toBe(sentence);
  });
});

describe('every runnable machine takes the live options of its role', () => {
  it('servers take --chunk, --delay and --reset-after; clients take --timeout', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(5);
    for (const { entry } of runnableMachines()) {
      const names = entry.cli!.options.map((o) => o.name);
      if (entry.role === 'server') for (const o of FAULT_OPTIONS) expect(names, entry.machine.id).toContain(o.name);
      if (entry.role === 'client') expect(names, entry.machine.id).toContain(TIMEOUT_OPTION.name);
    }
  });

  it("the live app lists them with each machine's options (GET /api/machines reads cli.options) and checks their values", () => {
    const server1 = machineList().find((m) => m.id === 'server1')!;
    expect(server1.options.map((o) => o.name)).toEqual(expect.arrayContaining(['chunk', 'delay', 'reset-after']));
    expect(machineList().find((m) => m.id === 'client2a')!.options.map((o) => o.name)).toContain('timeout');
    const ok = checkMachineOptions(server1.options, { chunk: '5', delay: 200 }, { machine: 'server1', allowRemote: false });
    expect(ok).toMatchObject({ ok: true, values: { chunk: 5, delay: 200 } });
    expect(liveOptionsOf((ok as { values: Record<string, number> }).values)).toEqual({ faults: { chunk: 5, delayMs: 200 } });
    expect(checkMachineOptions(server1.options, { chunk: 0 }, { machine: 'server1', allowRemote: false })).toMatchObject({ ok: false, option: 'chunk' });
  });

  it('their values become the run\'s faults and limit', () => {
    expect(liveOptionsOf({ chunk: 5, delay: 200, 'reset-after': 1000, port: 1 })).toEqual({ faults: { chunk: 5, delayMs: 200, resetAfter: 1000 } });
    expect(liveOptionsOf({ timeout: 2.5 })).toEqual({ giveUpMs: 2500 });
    expect(liveOptionsOf({ host: 'x' })).toEqual({});
  });
});
