// Lesson 4 on both transports and against its Python scripts: the stream's truths as tests. A send
// may be partial and the loop sends the rest; a recv returns what has arrived; two sends read as
// one and one send read in pieces; end of data is an empty read; the pieces joined are the stream.
import { afterEach, describe, expect, it } from 'vitest';
import lesson from '../../lessons/04-the-stream/lesson.ts';
import { simulateScenario } from '../../lessons/run-scenario.ts';
import { client4Machine } from '../../machines/stream/client4.ts';
import { LONG_LINE, MESSAGES } from '../../machines/stream/messages.ts';
import { server4Machine } from '../../machines/stream/server4.ts';
import { toJsonLines } from '../../runtime/trace/json.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { ROOT, run, start } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { liveRun } from './live-helpers.ts';
import { recvPieces, runTcp, sentBy } from './run-helpers.ts';

const STREAM = MESSAGES.join('');
const HARD = { sendBuffer: 32, receiveBuffer: 64, segment: 8, jitter: 5, readDelay: 5 };
const recvSizes = (records: readonly TraceRecord[], actor: string) => records.flatMap((r) => (r.type === 'recv' && r.actor === actor ? [r.size] : []));
const sendRecords = (records: readonly TraceRecord[]) => records.filter((r): r is Extract<TraceRecord, { type: 'send' }> => r.type === 'send');

describe('lesson 4 on the simulated network', () => {
  it('client4 reassembles the four messages, whatever the seed and knobs; the last read is empty', async () => {
    for (const [seed, knobs] of [[1, {}], [2, {}], [7, HARD], [8, HARD]] as const) {
      const { records, result } = await simulateScenario(lesson, 'reassemble', { seed }, knobs);
      expect(result.outputs.client4, `seed ${seed}`).toMatchObject({ text: STREAM, error: null });
      expect(recvPieces(records, 'client4').join('')).toBe(STREAM);
      expect(recvSizes(records, 'client4').at(-1)).toBe(0);
      expect(sentBy(records).server4).toBe(STREAM);
    }
  });

  it('one send read in pieces: the 3,001-byte line never fits one recv(1024)', async () => {
    const { records } = await simulateScenario(lesson, 'reassemble', { seed: 1 });
    expect(recvSizes(records, 'client4').every((n) => n <= 1024)).toBe(true);
    const long = sendRecords(records).find((r) => r.accepted === LONG_LINE.length)!;
    const inside = records.filter((r) => r.type === 'recv' && r.actor === 'client4' && r.offset < long.offset + long.accepted && r.offset + r.size > long.offset);
    expect(inside.length).toBeGreaterThanOrEqual(3);
  });

  it('two sends read as one: with seed 1 the reader wakes late enough to get "Hello, " and "world!\\n" together', async () => {
    const { records } = await simulateScenario(lesson, 'reassemble', { seed: 1 });
    expect(recvPieces(records, 'client4')[0]!.startsWith('Hello, world!\n')).toBe(true);
    // And with the reader on time, they come apart.
    const onTime = await simulateScenario(lesson, 'reassemble', { seed: 1 }, { readDelay: 0 });
    expect(recvPieces(onTime.records, 'client4')[0]).toBe('Hello, ');
  });

  it('partial send: with a 32-byte send buffer, send() takes part and the loop sends the rest', async () => {
    const { records, result } = await simulateScenario(lesson, 'reassemble', { seed: 3 }, { sendBuffer: 32 });
    const partial = sendRecords(records).filter((r) => r.accepted < r.offered);
    expect(partial.length).toBeGreaterThan(50);
    expect(result.outputs.server4).toMatchObject({ partial: partial.length, error: null });
    // Every offer of a partial send continues where the last one stopped.
    for (const r of sendRecords(records)) expect(r.offered).toBeGreaterThan(0);
    expect(records.filter((r) => r.type === 'microstep' && r.actor === 'server4' && r.state === 'sending').length).toBeGreaterThan(partial.length);
  });

  it('one recv() is wrong: the mistake reads a piece with hard settings, and often all it needs on loopback', async () => {
    const hard = await Promise.all([1, 2, 3, 4].map((seed) => simulateScenario(lesson, 'one-recv', { seed }, HARD)));
    // At most what the 32-byte send buffer let out before the read: never the whole stream.
    for (const { result } of hard) expect((result.outputs.client4once as { size: number }).size).toBeLessThanOrEqual(32);
    const easy = await simulateScenario(lesson, 'one-recv', { seed: 1 });
    expect((easy.result.outputs.client4once as { text: string }).text.startsWith('Hello, world!')).toBe(true);
  });

  it('the same seed and knobs give a byte-identical trace; a knob changes the trace', async () => {
    const a = toJsonLines((await simulateScenario(lesson, 'reassemble', { seed: 5 }, HARD)).records);
    expect(toJsonLines((await simulateScenario(lesson, 'reassemble', { seed: 5 }, HARD)).records)).toBe(a);
    expect(toJsonLines((await simulateScenario(lesson, 'reassemble', { seed: 5 }, { ...HARD, segment: 64 })).records)).not.toBe(a);
  });
});

describe('lesson 4 on real TCP', () => {
  it.each(['reassemble', 'one-recv'])('%s: the same conversation as on the simulated network', async (scenario) => {
    const tcp = await runTcp(lesson, scenario);
    const sim = await simulateScenario(lesson, scenario, { seed: 1 });
    expect(sentBy(tcp.records)).toEqual(sentBy(sim.records));
    if (scenario === 'reassemble') expect(tcp.outputs.client4).toMatchObject({ text: STREAM, error: null });
    else expect(tcp.outputs.client4once).toMatchObject({ error: null });
  });
});

const python = needTool('python3', 'python3');
const LESSON_04 = `${ROOT}lessons/04-the-stream/`;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const EXPECTED_LINES = [
  "line 1: 'Hello, world!' (13 bytes)",
  "line 2: '0123456789012345678901234567890123456789…' (3,000 bytes)",
  "line 3: 'bye' (3 bytes)",
];

python.describe('lesson 4 across languages', () => {
  it('client4.py reads our server4 whole, and prints what our client4 prints of it', async () => {
    const live = await liveRun(lesson);
    cleanups.push(() => live.run.stop());
    live.start(server4Machine, 'server4', { host: '127.0.0.1', port: 0 });
    const port = await live.listening;
    const client = await run('python3', [`${LESSON_04}client4.py`, '--port', String(port)]);
    expect(client.code).toBe(0);
    expect(client.stdout.trim().split('\n').slice(-3)).toEqual(EXPECTED_LINES);
    expect(client.stdout).toMatch(/^\d+ recv calls, 3,019 bytes in all$/m);
    expect(live.prints('server4')).toContain('send: 3001 of 3001 bytes');
  });

  it('our client4 reads server4.py whole; client4_once.py gets at most 1024 bytes of it', async () => {
    const server = start('python3', [`${LESSON_04}server4.py`, '--host', '127.0.0.1', '--port', '0']);
    cleanups.push(() => server.stop());
    const [, port] = await server.waitFor(/server4 listening on 127\.0\.0\.1 port (\d+)/);
    const live = await liveRun(lesson);
    cleanups.push(() => live.run.stop());
    const { done } = live.start(client4Machine, 'client4', { host: '127.0.0.1', port: Number(port) });
    expect(await done).toMatchObject({ text: STREAM, error: null });
    expect(live.prints('client4').slice(-3)).toEqual(EXPECTED_LINES);
    const once = await run('python3', [`${LESSON_04}client4_once.py`, '--port', port!]);
    expect(once.stdout).toMatch(/^got (\d+) bytes: 'Hello, /);
    expect(Number(/^got (\d+)/.exec(once.stdout)![1])).toBeLessThanOrEqual(1024);
    await server.waitFor(/send: 4 of 4 bytes[^]*send: 4 of 4 bytes/);
  });

  it('against our server4 sending in 5-byte pieces, client4_once.py gets "Hello" and client4.py still gets everything', async () => {
    const faulty = async (delayMs: number) => {
      const live = await liveRun(lesson);
      cleanups.push(() => live.run.stop());
      live.run.start(server4Machine, { id: 'server4', input: { host: '127.0.0.1', port: 0 }, faults: { chunk: 5, delayMs } });
      return String(await live.listening);
    };
    const once = await run('python3', [`${LESSON_04}client4_once.py`, '--port', await faulty(50)]);
    expect(once.stdout).toBe("got 5 bytes: 'Hello'\n");
    const whole = await run('python3', [`${LESSON_04}client4.py`, '--port', await faulty(1)], 60_000);
    expect(whole.stdout).toMatch(/^recv: 5 bytes$/m);
    expect(whole.stdout.trim().split('\n').slice(-3)).toEqual(EXPECTED_LINES);
  }, 60_000);
});
