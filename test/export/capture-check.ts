// What a capture must show, computed from the trace, and what tshark reads
// back from it: the bytes of each direction of each connection ("Follow TCP
// stream") and the expert warnings.
import { execFileSync } from 'node:child_process';
import { endpointText, type ConnEnd, type Endpoint } from '../../machines/socket-calls.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

export interface Expected {
  conn: string;
  /** The connecting end's address and port, and the accepting end's, as the capture shows them. */
  connector: Endpoint;
  acceptor: Endpoint;
  /** Bytes from the connector to the acceptor, and back. */
  up: Uint8Array;
  down: Uint8Array;
}

/** Place bytes at their stream offset. */
function place(stream: number[], offset: number, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) stream[offset + i] = bytes[i]!;
}

/**
 * Each connection's bytes, both ways, from whatever in the trace holds
 * them: the sender's `send` records, else the reader's `recv` records.
 */
export function expectedStreams(records: readonly TraceRecord[]): Expected[] {
  const byConn = new Map<string, { connector?: Endpoint; acceptor?: Endpoint; up: number[]; down: number[] }>();
  const of = (conn: string) => {
    let e = byConn.get(conn);
    if (e === undefined) byConn.set(conn, (e = { up: [], down: [] }));
    return e;
  };
  const stream = (conn: string, sender: ConnEnd) => (sender === 'connector' ? of(conn).up : of(conn).down);
  for (const r of records) {
    if (r.type === 'connect') Object.assign(of(r.conn), { connector: r.local, acceptor: r.remote });
    else if (r.type === 'accept' && of(r.conn).connector === undefined) Object.assign(of(r.conn), { connector: r.remote, acceptor: r.local });
    else if (r.type === 'send') place(stream(r.conn, r.end), r.offset, r.data);
    else if (r.type === 'recv' && r.data !== undefined) place(stream(r.conn, r.end === 'connector' ? 'acceptor' : 'connector'), r.offset, r.data);
  }
  return [...byConn].map(([conn, e]) => ({
    conn,
    connector: e.connector!,
    acceptor: e.acceptor!,
    up: Uint8Array.from(e.up),
    down: Uint8Array.from(e.down),
  }));
}

export function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

export interface Followed {
  stream: number;
  node0: string;
  node1: string;
  /** Bytes from node 0 to node 1, and back. */
  from0: Uint8Array;
  from1: Uint8Array;
}

/** "Follow TCP stream" of streams 0..count-1, in one tshark run. */
export function followAll(pcap: string, count: number, extra: string[] = []): Followed[] {
  const args = ['-r', pcap, '-q', ...extra];
  for (let i = 0; i < count; i++) args.push('-z', `follow,tcp,raw,${i}`);
  const out = tshark(args);
  const blocks = out.split(/^=+$/m).filter((b) => b.includes('Follow: tcp,raw'));
  return blocks
    .map((block) => {
      const lines = block.split('\n');
      const stream = Number(/tcp\.stream eq (\d+)/.exec(block)![1]);
      const node0 = /^Node 0: (.*)$/m.exec(block)![1]!.trim();
      const node1 = /^Node 1: (.*)$/m.exec(block)![1]!.trim();
      const from0: number[] = [];
      const from1: number[] = [];
      for (const line of lines.slice(lines.findIndex((l) => l.startsWith('Node 1:')) + 1)) {
        if (line.trim() === '') continue;
        const hex = line.trim();
        const target = line.startsWith('\t') ? from1 : from0;
        for (let i = 0; i < hex.length; i += 2) target.push(parseInt(hex.slice(i, i + 2), 16));
      }
      return { stream, node0, node1, from0: Uint8Array.from(from0), from1: Uint8Array.from(from1) };
    })
    .sort((a, b) => a.stream - b.stream);
}

/** '127.0.0.1:80', '[::1]:80': as tshark names a follow node. */
export function nodeText(e: Endpoint): string {
  return endpointText(e);
}

/** Expert infos of warning level and above, as 'frame: message'. */
export function expertWarnings(pcap: string): string[] {
  // Severity is a bit field: 0x600000 warning, 0x800000 error.
  const out = tshark(['-r', pcap, '-Y', '_ws.expert.severity >= 0x600000 || _ws.malformed', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message']);
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace('\t', ': '));
}

/**
 * The capture holds each connection's bytes exactly, both ways, and no
 * warning but a reset's. Returns the number of streams checked.
 */
export function checkCapture(pcap: string, records: readonly TraceRecord[], extra: string[] = []): number {
  const expected = expectedStreams(records);
  const followed = followAll(pcap, expected.length, extra);
  if (followed.length !== expected.length) throw new Error(`tshark found ${followed.length} streams, the trace has ${expected.length} connections`);
  for (const e of expected) {
    const f = followed.find((x) => x.node0 === nodeText(e.connector) && x.node1 === nodeText(e.acceptor));
    if (f === undefined) throw new Error(`no stream ${nodeText(e.connector)} → ${nodeText(e.acceptor)} for ${e.conn}: ${followed.map((x) => `${x.node0}→${x.node1}`).join(', ')}`);
    if (!equal(f.from0, e.up)) throw new Error(`${e.conn}: the capture's bytes from the connecting end differ from the trace's (${f.from0.length} vs ${e.up.length})`);
    if (!equal(f.from1, e.down)) throw new Error(`${e.conn}: the capture's bytes from the accepting end differ from the trace's (${f.from1.length} vs ${e.down.length})`);
  }
  const warnings = expertWarnings(pcap).filter((w) => !/Connection reset \(RST\)/.test(w));
  if (warnings.length > 0) throw new Error(`tshark warns: ${warnings.slice(0, 5).join('; ')}`);
  return expected.length;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
