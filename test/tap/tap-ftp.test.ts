// FTP through the tap: curl against pyftpdlib, passive (EPSV, PASV) and
// active (EPRT, PORT) mode, a listing and file transfers both ways. The tap
// rewrites the data address so that each data connection goes through it
// too, and records it as a data connection linked to its control connection.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { traceToPcap } from '../../runtime/export/pcap-export.ts';
import { startTap, type RunningTap } from '../../runtime/tap/tap.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import { run, start, type Started } from '../helpers/processes.ts';
import { needTool } from '../helpers/require-tool.ts';
import { checkCapture, tshark } from '../export/capture-check.ts';

const curl = needTool('curl', 'curl');
const pyftpdlib = needTool('/usr/lib/python3/dist-packages/pyftpdlib', 'python3-pyftpdlib');
const tsharkTool = needTool('tshark', 'tshark');

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let root: string;
let ftpd: Started | null = null;
let ftpPort = 0;
const FILE = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);

beforeAll(async () => {
  if (curl.missing !== null || pyftpdlib.missing !== null) return;
  root = mkdtempSync(join(tmpdir(), 'sockstep-ftp-'));
  writeFileSync(join(root, 'file.bin'), FILE);
  writeFileSync(join(root, 'notes.txt'), 'hello\n');
  ftpd = start('/usr/bin/python3', ['-m', 'pyftpdlib', '-i', '127.0.0.1', '-p', '0', '-d', root, '-w']);
  // pyftpdlib logs to stderr: ">>> starting FTP server on 127.0.0.1:40559, pid=... <<<"
  for (let i = 0; i < 300 && ftpPort === 0; i++) {
    const m = /starting FTP server on 127\.0\.0\.1:(\d+)/.exec(ftpd.stderr());
    if (m) ftpPort = Number(m[1]);
    else await new Promise((r) => setTimeout(r, 20));
  }
  if (ftpPort === 0) throw new Error(`pyftpdlib did not start: ${ftpd.stderr()}`);
});

afterAll(async () => {
  await ftpd?.stop('SIGKILL');
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
});

let tap: RunningTap | null = null;
afterEach(async () => {
  await tap?.stop();
  tap = null;
});

async function tapped(): Promise<{ trace: Trace; url: string }> {
  const transport = createTcpTransport();
  const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
  tap = await startTap({ transport, trace, listen: { host: '127.0.0.1', port: 0 }, to: { host: '127.0.0.1', port: ftpPort } });
  return { trace, url: `ftp://127.0.0.1:${tap.address.port}` };
}

async function curlOk(args: string[]): Promise<string> {
  const result = await run('curl', ['--silent', '--show-error', '--max-time', '20', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout;
}

type Opening = TraceRecord & { type: 'connect' | 'accept'; actor: string; conn: string; label?: string; link?: string };

function openings(records: readonly TraceRecord[]): Opening[] {
  return records.filter((r): r is Opening => r.type === 'connect' || r.type === 'accept');
}

function bytesSent(records: readonly TraceRecord[], actor: string, conn: string): Uint8Array {
  const parts = records.filter((r) => r.type === 'send' && r.actor === actor && r.conn === conn) as { data: Uint8Array }[];
  return Uint8Array.from(parts.flatMap((p) => [...p.data]));
}

const MODES = [
  { mode: 'EPSV', flags: [], command: 'EPSV', connector: 'client' },
  { mode: 'PASV', flags: ['--disable-epsv'], command: 'PASV', connector: 'client' },
  { mode: 'EPRT', flags: ['-P', '-'], command: 'EPRT', connector: 'server' },
  { mode: 'PORT', flags: ['-P', '-', '--disable-eprt'], command: 'PORT', connector: 'server' },
] as const;

curl.describe('FTP through the tap (curl and pyftpdlib)', () => {
  pyftpdlib.describe('in passive and active mode', () => {
    it.each(MODES)('$mode: a listing and a download, the data connections recorded and linked', async ({ flags, command, connector }) => {
      const { trace, url } = await tapped();
      const listing = await curlOk([...flags, `${url}/`]);
      expect(listing).toMatch(/file\.bin/);
      expect(listing).toMatch(/notes\.txt/);
      const out = join(root, `got-${command}.bin`);
      await curlOk([...flags, '-o', out, `${url}/file.bin`]);
      expect(sha(readFileSync(out))).toBe(sha(FILE));
      rmSync(out);
      await tap!.stop();

      const records = trace.records;
      const opened = openings(records);
      const controls = opened.filter((r) => r.type === 'connect' && r.label === 'control');
      expect(controls).toHaveLength(2); // one curl session each
      const data = opened.filter((r) => r.type === 'connect' && r.label === 'data');
      expect(data).toHaveLength(2);
      for (const [i, d] of data.entries()) {
        // Linked to its own session's control connection; the connecting program is the one the mode says.
        expect(d).toMatchObject({ actor: connector, link: controls[i]!.conn });
        expect(opened.find((r) => r.type === 'accept' && r.conn === d.conn)).toMatchObject({ label: 'data', actor: connector === 'client' ? 'server' : 'client' });
      }
      // The control connection really carried the mode's command, as curl sent it.
      const commands = new TextDecoder().decode(bytesSent(records, 'client', controls[0]!.conn));
      expect(commands).toMatch(new RegExp(`^${command}\\b`, 'm'));
      // The downloaded file is in the trace once, as the server sent it.
      expect(sha(bytesSent(records, 'server', data[1]!.conn))).toBe(sha(FILE));
      const rewrites = records.filter((r) => r.type === 'fault' && r.kind === 'rewrite');
      expect(rewrites).toHaveLength(2);
    });

    tsharkTool.describe('as a capture', () => {
      it('every connection\'s bytes both ways, no warning, FTP decoded on the tap\'s port', async () => {
        const { trace, url } = await tapped();
        await curlOk([`${url}/`]);
        await curlOk(['-P', '-', '--disable-eprt', '-o', '/dev/null', `${url}/file.bin`]);
        const port = tap!.address.port;
        await tap!.stop();
        const pcap = join(root, 'session.pcap');
        writeFileSync(pcap, traceToPcap(trace.records));
        // Wireshark decodes FTP on port 21 unless told otherwise (-d, "Decode As").
        const decodeAs = ['-d', `tcp.port==${port},ftp`];
        expect(checkCapture(pcap, trace.records, decodeAs)).toBe(4);
        const verbs = tshark(['-r', pcap, ...decodeAs, '-Y', 'ftp.request', '-T', 'fields', '-e', 'ftp.request.command']).split('\n');
        expect(verbs).toEqual(expect.arrayContaining(['USER', 'PASS', 'EPSV', 'LIST', 'PORT', 'RETR', 'QUIT']));
        rmSync(pcap);
      });
    });

    it('an upload in active mode and one in passive mode arrive unchanged', async () => {
      const { trace, url } = await tapped();
      const source = join(root, 'source.bin');
      writeFileSync(source, FILE.subarray(0, 123_457));
      await curlOk(['-T', source, `${url}/up-passive.bin`]);
      await curlOk(['-P', '-', '-T', source, `${url}/up-active.bin`]);
      expect(sha(readFileSync(join(root, 'up-passive.bin')))).toBe(sha(FILE.subarray(0, 123_457)));
      expect(sha(readFileSync(join(root, 'up-active.bin')))).toBe(sha(FILE.subarray(0, 123_457)));
      await tap!.stop();
      const data = openings(trace.records).filter((r) => r.type === 'connect' && r.label === 'data');
      expect(data.map((d) => d.actor)).toEqual(['client', 'server']);
      for (const d of data) expect(sha(bytesSent(trace.records, 'client', d.conn))).toBe(sha(FILE.subarray(0, 123_457)));
    });
  });
});
