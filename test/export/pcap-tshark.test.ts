// Captures read back by Debian's tshark. For a sim trace, a tap trace and
// a live trace: "Follow TCP stream" of every connection gives exactly the
// trace's bytes both ways, tshark warns of nothing (no malformed packet,
// no "previous segment not captured", no "ACKed unseen segment"; a reset
// is the only warning allowed, where the trace has one), and the FTP
// dissector decodes a control connection.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { client1Machine } from '../../machines/greeting/client1.ts';
import { server1Machine } from '../../machines/greeting/server1.ts';
import greeting from '../../lessons/01-greeting/lesson.ts';
import { rolesOf } from '../../lessons/lesson-types.ts';
import { runScenario, runScenarioSim, scenarioOf } from '../../lessons/run-scenario.ts';
import { traceToPcap } from '../../runtime/export/pcap-export.ts';
import { RunSystem } from '../../runtime/run/run-system.ts';
import { startTap } from '../../runtime/tap/tap.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { LESSON_01, ROOT, run, start } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { simFtpClient, simFtpServer } from '../tap/sim-ftp.ts';
import { checkCapture, expertWarnings, tshark } from './capture-check.ts';

const tsharkTool = needTool('tshark', 'tshark');
const python = needTool('python3', 'python3');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sockstep-pcap-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

let n = 0;
function exported(records: readonly TraceRecord[]): string {
  const path = join(dir, `capture-${++n}.pcap`);
  writeFileSync(path, traceToPcap(records));
  return path;
}

/** Lesson 1 on the simulated network, at `host`. */
async function simGreeting(host: string): Promise<TraceRecord[]> {
  const net = createSimNetwork({ seed: 3 });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  await runScenario(greeting, scenarioOf(greeting), { transport: net.transport(), trace, host, port: 12345, settle: () => net.run() });
  return trace.records;
}

tsharkTool.describe('captures read back by tshark', () => {
  describe('from simulated runs', () => {
    it('lesson 1 (both ends in the trace: recv records hold no bytes)', async () => {
      const records = await runScenarioSim(greeting);
      const pcap = exported(records);
      expect(checkCapture(pcap, records)).toBe(1);
      // SYN, SYN-ACK, ACK; the greeting and its ACK; a FIN and its ACK each way.
      expect(tshark(['-r', pcap, '-T', 'fields', '-e', 'tcp.flags.str']).trim().split('\n')).toHaveLength(9);
    });

    it('lesson 1 over IPv6', async () => {
      const records = await simGreeting('::1');
      const pcap = exported(records);
      expect(checkCapture(pcap, records)).toBe(1);
      expect(tshark(['-r', pcap, '-T', 'fields', '-e', 'ipv6.src']).trim().split('\n')[0]).toBe('::1');
    });

    it('an FTP session through the tap on port 21: the FTP dissector decodes the control connection', async () => {
      // Each write one segment: Wireshark's FTP dissector reads a line per segment, and a
      // command cut in two would show as two (it does not join lines across segments).
      const net = createSimNetwork({ seed: 4, segmentation: { kind: 'whole' } });
      const t = net.transport();
      const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: Date.UTC(2026, 0, 5, 9, 30) });
      const server = await simFtpServer(t, '127.0.0.1', 2121, { 'a.txt': new TextEncoder().encode('hello\r\n'), 'b.bin': new Uint8Array(100_000).fill(7) });
      const starting = startTap({ transport: t, trace, listen: { host: '127.0.0.1', port: 21 }, to: { host: '127.0.0.1', port: 2121 }, faults: { chunk: 1000 } });
      await net.run();
      const tap = await starting;
      const client = simFtpClient(t, { host: '127.0.0.1', port: 21 }, [
        { mode: 'PASV', command: 'LIST' },
        { mode: 'EPRT', command: 'RETR b.bin' },
      ]);
      await net.run();
      await client;
      await server.stop();
      const stopping = tap.stop();
      await net.run();
      await stopping;
      const pcap = exported(trace.records);
      expect(checkCapture(pcap, trace.records)).toBe(3);
      const commands = tshark(['-r', pcap, '-Y', 'ftp', '-T', 'fields', '-e', 'ftp.request.command']).split('\n').filter((c) => c !== '');
      expect(commands).toEqual(['USER', 'PASS', 'PASV', 'LIST', 'EPRT', 'RETR', 'QUIT']);
      // Times are the run's start plus each record's t.
      const first = tshark(['-r', pcap, '-c', '1', '-T', 'fields', '-e', 'frame.time_epoch']).trim();
      expect(Number(first) * 1000).toBeCloseTo(Date.UTC(2026, 0, 5, 9, 30) + trace.records.find((r) => r.type === 'connect')!.t, 0);
    });

    it('one send larger than an IP datagram is cut into segments, and a gap in a trace shows as one', () => {
      const big = new Uint8Array(200_000).map((_, i) => i % 253);
      const records: TraceRecord[] = [
        { seq: 0, t: 0, type: 'run', version: 2, transport: 'tcp', startedAt: 1_700_000_000_000 },
        { seq: 1, t: 1, type: 'connect', actor: 'c', conn: 'c1', end: 'connector', local: { host: '10.0.0.1', port: 40000 }, remote: { host: '10.0.0.2', port: 8080 } },
        { seq: 2, t: 2, type: 'send', actor: 'c', conn: 'c1', end: 'connector', offered: big.length, accepted: big.length, offset: 0, data: big },
        { seq: 3, t: 3, type: 'recv', actor: 'c', conn: 'c1', end: 'connector', max: 10, size: 4, offset: 0, data: Uint8Array.of(1, 2, 3, 4) },
        { seq: 4, t: 4, type: 'recv', actor: 'c', conn: 'c1', end: 'connector', max: 10, size: 0, offset: 4 },
        { seq: 5, t: 5, type: 'close', actor: 'c', conn: 'c1', end: 'connector' },
      ];
      const pcap = exported(records);
      expect(checkCapture(pcap, records)).toBe(1);
      const lengths = tshark(['-r', pcap, '-Y', 'tcp.len > 0', '-T', 'fields', '-e', 'tcp.len']).trim().split('\n').map(Number);
      expect(lengths).toEqual([65_495, 65_495, 65_495, 3_515, 4]);
      // The check can fail: drop the first send's bytes and the capture has a hole.
      const holed = records.map((r) => (r.type === 'send' ? { ...r, offset: 1000, data: big.subarray(1000), accepted: big.length - 1000 } : r));
      expect(expertWarnings(exported(holed)).join('\n')).toMatch(/previous segment.* not captured/i);
    });
  });

  python.describe('from real runs', () => {
    it('a tap trace: Python client and server, split pieces, a reset by the client', async () => {
      const server = start('python3', [`${ROOT}test/tap/peer.py`, 'server', '--port', '0', '--count', '2', '--steps', 'recv:20000,send:30000,expect-reset']);
      cleanups.push(() => server.stop('SIGKILL'));
      const [, port] = await server.waitFor(/listening (\d+)/);
      const transport = createTcpTransport();
      const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
      const tap = await startTap({ transport, trace, listen: { host: '127.0.0.1', port: 0 }, to: { host: '127.0.0.1', port: Number(port) }, faults: { chunk: 3000 } });
      cleanups.push(() => tap.stop());
      for (const seed of [1, 2]) {
        const client = await run('python3', [`${ROOT}test/tap/peer.py`, 'client', '--port', String(tap.address.port), '--seed', String(seed), '--steps', 'send:20000,recv:30000,reset']);
        expect(client.code).toBe(0);
      }
      await server.waitFor(/^done$/m);
      await tap.stop();
      const pcap = exported(trace.records);
      expect(checkCapture(pcap, trace.records)).toBe(2);
      expect(expertWarnings(pcap).filter((w) => /Connection reset/.test(w))).toHaveLength(2);
    });

    it('a live trace: the client1 machine against server1.py (recv records hold the bytes)', async () => {
      const server = start('python3', [`${LESSON_01}server1.py`, '--host', '127.0.0.1', '--port', '0']);
      cleanups.push(() => server.stop());
      const [, port] = await server.waitFor(/listening on 127\.0\.0\.1 port (\d+)/);
      const transport = createTcpTransport();
      const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
      const system = new RunSystem({ transport, trace, roles: rolesOf(greeting) });
      const running = system.start(client1Machine, { id: 'client1', input: { host: '127.0.0.1', port: Number(port) } });
      await running.done;
      await system.stop();
      expect(trace.records.some((r) => r.type === 'recv' && r.data !== undefined)).toBe(true);
      const pcap = exported(trace.records);
      expect(checkCapture(pcap, trace.records)).toBe(1);
      const text = tshark(['-r', pcap, '-q', '-z', 'follow,tcp,ascii,0']);
      expect(text).toContain('You are connected');
    });

    it('a live trace: the server1 machine against client1.py', async () => {
      const transport = createTcpTransport();
      const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
      const system = new RunSystem({ transport, trace, roles: rolesOf(greeting) });
      cleanups.push(() => system.stop());
      const running = system.start(server1Machine, { id: 'server1', input: { host: '127.0.0.1', port: 0, maxClients: 1 } });
      const port = await new Promise<number>((resolve) => {
        const found = trace.records.find((r) => r.type === 'listen');
        if (found?.type === 'listen') resolve(found.address.port);
        trace.subscribe((r) => r.type === 'listen' && resolve(r.address.port));
      });
      const client = await run('python3', [`${LESSON_01}client1.py`, '--port', String(port)]);
      expect(client.stdout).toBe('You are connected\n');
      await running.done;
      const pcap = exported(trace.records);
      expect(checkCapture(pcap, trace.records)).toBe(1);
    });
  });
});
