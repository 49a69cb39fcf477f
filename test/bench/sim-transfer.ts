/**
 * How fast the simulated network carries a bulk transfer: 10 MB sent as a
 * sendall loop of 64 KiB send() calls, read with a recv(65536) loop, on the
 * default options (1460-byte segments, 64 KiB window). Prints megabytes of
 * simulated traffic per real second, untraced and with full tracing (every
 * send and recv call recorded with its bytes, as a lesson run records them),
 * measured alternately in one run, and the size of the trace as JSON lines.
 * Target with tracing: at least 50 MB/s.
 *
 *   npx tsx test/bench/sim-transfer.ts
 */
import { pathToFileURL } from 'node:url';
import { Trace } from '../../runtime/trace/trace.ts';
import { traceTransport } from '../../runtime/trace/traced-transport.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import type { Connection, Transport } from '../../runtime/transport/types.ts';

const TOTAL_BYTES = 10 * 1024 * 1024;
const SEND_CHUNK = 64 * 1024;
const RECV_MAX = 65_536;
const PORT = 9000;

/** Python's sock.sendall(): send() accepts what fits, so loop until all of it went. */
async function sendAll(conn: Connection, bytes: Uint8Array): Promise<void> {
  for (let sent = 0; sent < bytes.length; ) sent += await conn.send(bytes.subarray(sent));
}

async function client(transport: Transport): Promise<void> {
  const conn = await transport.connect({ host: '127.0.0.1', port: PORT });
  const chunk = new Uint8Array(SEND_CHUNK).map((_, i) => i);
  for (let sent = 0; sent < TOTAL_BYTES; sent += SEND_CHUNK) await sendAll(conn, chunk);
  await conn.close();
}

async function server(transport: Transport): Promise<number> {
  const listener = await transport.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
  const conn = await listener.accept();
  let received = 0;
  for (;;) {
    const bytes = await conn.recv(RECV_MAX);
    if (bytes.length === 0) break;
    received += bytes.length;
  }
  await conn.close();
  await listener.close();
  return received;
}

/** One transfer; returns real milliseconds taken and, when traced, the trace. */
async function transferOnce(traced: boolean): Promise<{ ms: number; trace: Trace | null }> {
  const net = createSimNetwork();
  const trace = traced ? new Trace({ transport: 'sim', clock: () => net.now(), seed: net.seed }) : null;
  const side = (actor: string) => (trace === null ? net.transport() : traceTransport(net.transport(), trace, actor));
  const started = performance.now();
  const received = server(side('server'));
  const sent = client(side('client'));
  await net.run();
  await sent;
  if ((await received) !== TOTAL_BYTES) throw new Error(`received ${await received} of ${TOTAL_BYTES} bytes`);
  return { ms: performance.now() - started, trace };
}

function report(label: string, runs: number[], extra = ''): void {
  const sorted = [...runs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const megabytes = TOTAL_BYTES / 1e6;
  console.log(
    `sim-transfer ${label}: ${megabytes.toFixed(1)} MB in ${median.toFixed(1)} ms median of ${runs.length}, ` +
      `${(megabytes / (median / 1000)).toFixed(0)} MB/s (best ${(megabytes / (sorted[0]! / 1000)).toFixed(0)} MB/s)${extra}`,
  );
}

export default async function bench(): Promise<void> {
  // Warm-up: let the JIT compile the hot paths of both variants.
  await transferOnce(false);
  await transferOnce(true);
  const plain: number[] = [];
  const traced: number[] = [];
  let traceBytes = 0;
  let records = 0;
  // Alternate the two so that load on a shared machine hits both alike.
  for (let i = 0; i < 5; i++) {
    plain.push((await transferOnce(false)).ms);
    const run = await transferOnce(true);
    traced.push(run.ms);
    traceBytes = run.trace!.toJSONL().length;
    records = run.trace!.records.length;
  }
  report('untraced', plain);
  report('traced', traced, `; trace ${records} records, ${(traceBytes / 1e6).toFixed(1)} MB as JSON lines (target: >= 50 MB/s)`);
  const ratio = traced.sort((a, b) => a - b)[2]! / plain.sort((a, b) => a - b)[2]!;
  console.log(`sim-transfer tracing costs ${ratio.toFixed(2)}x the untraced time`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bench();
