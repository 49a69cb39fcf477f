// The tap on real sockets between a Python client and a Python server
// (test/tap/peer.py): bytes unchanged and in order (SHA-256 at both ends and
// in the trace), FIN and reset passed on and attributed, each fault.
import { createHash } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { startTap, type RunningTap } from '../../runtime/tap/tap.ts';
import type { TapFaults } from '../../runtime/tap/faults.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { ROOT, run, start, type Started } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';

const python = needTool('python3', 'python3');
const PEER = `${ROOT}test/tap/peer.py`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface Tapped {
  trace: Trace;
  tap: RunningTap;
  server: Started;
}

/** A Python server running `steps`, and a tap in front of it. */
async function tapped(serverSteps: string, faults: TapFaults = {}, count = 1): Promise<Tapped> {
  const server = start('python3', [PEER, 'server', '--port', '0', '--seed', '100', '--count', String(count), '--steps', serverSteps]);
  cleanups.push(() => server.stop('SIGKILL'));
  const [, port] = await server.waitFor(/listening (\d+)/);
  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
  const tap = await startTap({ transport, trace, listen: { host: '127.0.0.1', port: 0 }, to: { host: '127.0.0.1', port: Number(port) }, faults });
  cleanups.push(() => tap.stop());
  return { trace, tap, server };
}

async function client(tap: RunningTap, steps: string, seed = 1) {
  const result = await run('python3', [PEER, 'client', '--port', String(tap.address.port), '--seed', String(seed), '--steps', steps]);
  expect(result.stderr).toBe('');
  return result.stdout;
}

/** 'sent N SHA' and 'received N SHA' lines of a peer's output. */
function said(output: string, what: 'sent' | 'received'): { n: number; sha: string }[] {
  return [...output.matchAll(new RegExp(`^${what} (\\d+) ([0-9a-f]+)$`, 'gm'))].map((m) => ({ n: Number(m[1]), sha: m[2]! }));
}

function streamOf(records: readonly TraceRecord[], actor: string, conn = 'c1'): Uint8Array {
  const parts = records.filter((r) => r.type === 'send' && r.actor === actor && r.conn === conn) as { data: Uint8Array }[];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.data.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p.data, at);
    at += p.data.length;
  }
  return out;
}

function steps(records: readonly TraceRecord[], conn = 'c1'): string[] {
  return records
    .filter((r) => 'conn' in r && r.conn === conn && (r.type === 'connect' || r.type === 'accept' || r.type === 'close' || r.type === 'reset'))
    .map((r) => `${(r as { actor: string }).actor} ${r.type}`);
}

async function serverDone(t: Tapped): Promise<string> {
  await t.server.waitFor(/^done$/m);
  return t.server.stdout();
}

python.describe('the tap between a Python client and a Python server', () => {
  it.each<[string, TapFaults, number]>([
    ['no fault', {}, 300_000],
    ['--chunk 1000', { chunk: 1000 }, 300_000],
    ['--delay 2', { delayMs: 2 }, 100_000],
    ['--chunk 100 --delay 1', { chunk: 100, delayMs: 1 }, 3_000],
  ])('passes the bytes unchanged and in order both ways, FIN as FIN (%s)', async (_name, faults, size) => {
    const t = await tapped(`recv:all,send:${size / 2},close`, faults);
    const out = await client(t.tap, `send:${size},shutdown,recv:all,close`);
    const atServer = await serverDone(t);
    const [clientSent] = said(out, 'sent');
    const [serverGot] = said(atServer, 'received');
    const [serverSent] = said(atServer, 'sent');
    const [clientGot] = said(out, 'received');
    expect(serverGot).toEqual(clientSent);
    expect(clientGot).toEqual(serverSent);
    expect(clientSent!.n).toBe(size);
    await t.tap.stop();
    // The trace holds exactly what each program sent.
    expect(sha(streamOf(t.trace.records, 'client'))).toBe(clientSent!.sha);
    expect(sha(streamOf(t.trace.records, 'server'))).toBe(serverSent!.sha);
    // The client's FIN came first (shutdown), and the server still answered.
    expect(steps(t.trace.records)).toEqual(['client connect', 'server accept', 'client close', 'server close']);
    if (faults.chunk !== undefined) expect(t.trace.records.some((r) => r.type === 'fault' && r.kind === 'split')).toBe(true);
    if (faults.delayMs !== undefined) expect(t.trace.records.some((r) => r.type === 'fault' && r.kind === 'delay')).toBe(true);
  });

  it('passes a reset by the client on as a reset, and records it as the client\'s', async () => {
    const t = await tapped('recv:1000,send:2,expect-reset');
    const out = await client(t.tap, 'send:1000,recv:2,reset');
    const atServer = await serverDone(t);
    expect(said(atServer, 'received')).toEqual(said(out, 'sent'));
    expect(atServer).toMatch(/^reset ConnectionResetError$/m);
    await t.tap.stop();
    expect(steps(t.trace.records)).toEqual(['client connect', 'server accept', 'client reset']);
    expect(t.trace.records.find((r) => r.type === 'reset')).toMatchObject({ actor: 'client', end: 'connector', by: 'local' });
  });

  it('passes a reset by the server on as a reset, and records it as the server\'s', async () => {
    const t = await tapped('send:1000,recv:2,reset');
    const out = await client(t.tap, 'recv:1000,send:2,expect-reset');
    await serverDone(t);
    expect(out).toMatch(/^reset ConnectionResetError$/m);
    await t.tap.stop();
    expect(steps(t.trace.records)).toEqual(['client connect', 'server accept', 'server reset']);
    expect(t.trace.records.find((r) => r.type === 'reset')).toMatchObject({ actor: 'server', end: 'acceptor', by: 'local' });
  });

  it('--reset-after 3000: both programs see a reset after exactly 3000 bytes', async () => {
    const t = await tapped('recv:all', { resetAfter: 3000 });
    const out = await client(t.tap, 'send:10000,recv:all');
    const atServer = await serverDone(t);
    expect(atServer).toMatch(/^reset ConnectionResetError$/m);
    expect(out).toMatch(/^reset (ConnectionResetError|BrokenPipeError)$/m);
    await t.tap.stop();
    const sent = streamOf(t.trace.records, 'client');
    expect(said(atServer, 'received')).toEqual([{ n: 3000, sha: sha(sent.subarray(0, 3000)) }]);
    expect(t.trace.records.filter((r) => r.type === 'fault' && r.kind === 'reset')).toMatchObject([{ because: 'limit', after: 3000 }]);
  });

  it('relays one connection after another, each its own connection in the trace', async () => {
    const t = await tapped('recv:all,send:500,close', {}, 3);
    for (const seed of [1, 2, 3]) await client(t.tap, `send:${seed * 1000},shutdown,recv:all,close`, seed);
    await serverDone(t);
    await t.tap.stop();
    expect(t.tap.relayed).toBe(3);
    for (const [i, conn] of ['c1', 'c2', 'c3'].entries()) {
      expect(streamOf(t.trace.records, 'client', conn)).toHaveLength((i + 1) * 1000);
      expect(steps(t.trace.records, conn)).toEqual(['client connect', 'server accept', 'client close', 'server close']);
    }
  });
});
