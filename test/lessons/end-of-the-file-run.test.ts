// Lesson 5 on both transports: RETR somefile.txt into afile.txt, three ends of a file, one fault.
// Two seconds of silence as the end (2a) saves a short file when the server stalls for longer;
// closing the connection (2b) and the size first (2c) do not. An error line is never content.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import lesson, { SOMEFILE, STALL_AFTER_BYTES } from '../../lessons/05-end-of-the-file/lesson.ts';
import { runScenario, scenarioOf, simulateScenario } from '../../lessons/run-scenario.ts';
import type { Folder } from '../../runtime/files/types.ts';
import { RealFolder } from '../../runtime/files/real-folder.ts';
import type { ConnFaults } from '../../runtime/run/conn-faults.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { ROOT } from '../helpers/processes.ts';

const CLIENT = { timeout: 'client2a', close: 'client2b', size: 'client2c', missing: 'client2a' } as const;
const FIRST_FOUR_LINES = SOMEFILE.split('\n').slice(0, 4).join('\n') + '\n';

/** The whole content of a file in a folder, or null if there is none. */
async function contentOf(folder: Folder, path: string): Promise<string | null> {
  try {
    const file = await folder.open(path, 'read');
    const bytes = await file.read(0n, 1 << 20);
    await file.close();
    return new TextDecoder().decode(bytes);
  } catch {
    return null;
  }
}

const sends = (records: readonly TraceRecord[], actor: string) =>
  records.flatMap((r) => (r.type === 'send' && r.actor === actor ? [new TextDecoder().decode(r.data)] : []));

describe('lesson 5 on the simulated network', () => {
  it('files/somefile.txt and the simulated runs send the same file', () => {
    expect(readFileSync(join(ROOT, 'lessons/05-end-of-the-file/files/somefile.txt'), 'utf8')).toBe(SOMEFILE);
  });

  it.each([
    ['timeout', 'quiet', '+OK\n'],
    ['close', 'closed', '+OK\n'],
    ['size', 'size', `+OK ${SOMEFILE.length}\n`],
  ] as const)('%s: afile.txt is somefile.txt, the status line first, the file line by line', async (scenario, end, status) => {
    const { records, result } = await simulateScenario(lesson, scenario, { seed: 1 });
    const client = CLIENT[scenario];
    expect(result.outputs[client]).toEqual({ written: SOMEFILE.length, end, error: null });
    expect(await contentOf(result.folders[client]!, 'afile.txt')).toBe(SOMEFILE);
    const server = `server2${client.at(-1)}`;
    expect(sends(records, server)).toEqual([status, ...SOMEFILE.split(/(?<=\n)/)]);
    // The server's folder is its own: no afile.txt there, and the client's holds no somefile.txt.
    expect(await result.folders[server]!.list('.')).toEqual(['somefile.txt']);
    expect(await result.folders[client]!.list('.')).toEqual(['afile.txt']);
  });

  it('the fault: a server stalled for 2.5 s makes the course\'s client save four lines, without a word', async () => {
    const { records, result } = await simulateScenario(lesson, 'timeout', { seed: 1 }, { stall: 2500 });
    expect(result.outputs.client2a).toEqual({ written: FIRST_FOUR_LINES.length, end: 'quiet', error: null });
    expect(await contentOf(result.folders.client2a!, 'afile.txt')).toBe(FIRST_FOUR_LINES);
    const stall = records.find((r) => r.type === 'fault')!;
    expect(stall).toMatchObject({ kind: 'delay', program: 'server2a', ms: 2500, pieces: 1 });
    expect((stall as { offset: number }).offset).toBeLessThanOrEqual(STALL_AFTER_BYTES);
    // The client gave up at 2 s of silence on the transport's clock: no wall time passed.
    const quiet = records.find((r) => r.type === 'error' && r.actor === 'client2a')!;
    expect(quiet).toMatchObject({ op: 'recv', code: 'ETIMEDOUT' });
    expect(records.find((r) => r.type === 'print' && r.actor === 'client2a' && r.text.startsWith('saved'))).toMatchObject({ text: `saved afile.txt: ${FIRST_FOUR_LINES.length} bytes` });
  });

  it.each([
    ['close', 'client2b', 'closed'],
    ['size', 'client2c', 'size'],
  ] as const)('the same fault: %s gets the whole file, only later', async (scenario, client, end) => {
    const { records, result } = await simulateScenario(lesson, scenario, { seed: 1 }, { stall: 5000 });
    expect(result.outputs[client]).toEqual({ written: SOMEFILE.length, end, error: null });
    expect(await contentOf(result.folders[client]!, 'afile.txt')).toBe(SOMEFILE);
    expect(records.at(-1)!.t).toBeGreaterThan(5000);
  });

  it('a stall just under 2 s goes unnoticed by the course\'s client: it gets the whole file', async () => {
    const { result } = await simulateScenario(lesson, 'timeout', { seed: 1 }, { stall: 1900 });
    expect(result.outputs.client2a).toMatchObject({ written: SOMEFILE.length });
  });

  it('no such file: the error line is printed, never saved; the afile.txt already there stays as it was', async () => {
    const { records, result } = await simulateScenario(lesson, 'missing', { seed: 1 });
    expect(sends(records, 'server2a')).toEqual(['-ERR no such file: somefile.txt\n']);
    expect(result.outputs.client2a).toMatchObject({ written: 0, error: { code: 'ERR', message: 'The server answered "-ERR no such file: somefile.txt", so afile.txt was not written.' } });
    expect(records.some((r) => r.type === 'openFile' && r.actor === 'client2a')).toBe(false);
    expect(await contentOf(result.folders.client2a!, 'afile.txt')).toBe('the afile.txt of an earlier run\n');
  });

  it.each([
    ['close', 'client2b'],
    ['size', 'client2c'],
    ['timeout', 'client2a'],
  ] as const)('a server that resets mid-file (%s): the client throws the temporary file away; no afile.txt appears', async (scenario, client) => {
    const s = scenarioOf(lesson, scenario);
    const net = createSimNetwork({ seed: 1 });
    const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
    const serverFaults: ConnFaults = { resetAfter: 300 };
    const result = await runScenario(lesson, s, { transport: net.transport(), trace, host: '127.0.0.1', port: 12345, settle: () => net.run(), serverFaults });
    expect(result.outputs[client]).toMatchObject({ error: { code: 'ECONNRESET' } });
    expect(await result.folders[client]!.list('.')).toEqual([]);
    expect(trace.records.find((r) => r.type === 'closeFile' && r.actor === client)).toMatchObject({ path: 'afile.txt', discarded: true });
  });
});

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A scenario on real TCP, each program in a real folder of its own (the server's holding somefile.txt). */
async function runLive(scenario: string, serverFaults?: ConnFaults) {
  const s = scenarioOf(lesson, scenario);
  const serverDir = mkdtempSync(join(tmpdir(), 'sockstep-l5-server-'));
  const clientDir = mkdtempSync(join(tmpdir(), 'sockstep-l5-client-'));
  temps.push(serverDir, clientDir);
  if (scenario !== 'missing') writeFileSync(join(serverDir, 'somefile.txt'), SOMEFILE);
  else writeFileSync(join(clientDir, 'afile.txt'), 'old\n');
  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now(), lesson: lesson.id, scenario });
  const folders = { [s.servers[0]!.actor]: await RealFolder.open(serverDir), [s.clients[0]!.actor]: await RealFolder.open(clientDir) };
  const result = await runScenario(lesson, s, { transport, trace, host: '127.0.0.1', port: 0, folders, ...(serverFaults === undefined ? {} : { serverFaults }) });
  const afile = join(clientDir, 'afile.txt');
  return { result, records: trace.records, afile: existsSync(afile) ? readFileSync(afile, 'utf8') : null, clientDir };
}

describe('lesson 5 on real TCP, in real folders', () => {
  it.each(['timeout', 'close', 'size'] as const)('%s: afile.txt on disk is somefile.txt', async (scenario) => {
    const { result, afile, clientDir } = await runLive(scenario);
    expect(result.outputs[CLIENT[scenario]]).toMatchObject({ written: SOMEFILE.length, error: null });
    expect(afile).toBe(SOMEFILE);
    // No temporary file is left beside it.
    expect(readdir(clientDir)).toEqual(['afile.txt']);
  }, 20_000);

  it('no such file: afile.txt on disk is left as it was', async () => {
    const { result, afile } = await runLive('missing');
    expect(result.outputs.client2a).toMatchObject({ error: { code: 'ERR' } });
    expect(afile).toBe('old\n');
  });

  it('a real 2.5 s stall: the course\'s client saves four lines on disk', async () => {
    const { result, afile } = await runLive('timeout', { stall: { afterBytes: STALL_AFTER_BYTES, ms: 2500 } });
    expect(result.outputs.client2a).toMatchObject({ end: 'quiet', error: null });
    expect(afile).toBe(FIRST_FOUR_LINES);
  }, 20_000);
});

function readdir(path: string): string[] {
  return readdirSync(path).sort();
}
