/**
 * What tracing costs. 50 MiB sent as a sendall loop of 64 KiB send() calls
 * and read with a recv(65536) loop, on the simulated network and on real
 * TCP (loopback, both ends in this process), each measured three ways,
 * alternated in one run so that load on a shared machine hits all alike:
 *   untraced   the raw transport;
 *   traced     every call through a run's socket table, recorded with its
 *              bytes (kept once, as bytes), as the page and a live run keep them;
 *   + file     traced, and every record also written out as a JSON line as
 *              it happens, as `sockstep run --trace FILE` does.
 *
 * Targets (issue 6): tracing costs no more than 1.25x the untraced time on
 * both transports, and the trace file is no more than 1.5x the bytes carried.
 * Writing the file costs base64 and the disk on top: reported beside it.
 *
 *   npx tsx test/bench/trace-cost.ts
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CallSite } from '../../machines/socket-calls.ts';
import { SocketTable } from '../../runtime/run/socket-table.ts';
import { recordToJson } from '../../runtime/trace/json.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport } from '../../runtime/transport/tcp.ts';
import type { Transport } from '../../runtime/transport/types.ts';

const TOTAL_BYTES = 50 * 1024 * 1024;
const SEND_CHUNK = 64 * 1024;
const RECV_MAX = 65_536;
const RUNS = 5;

/** The calls a program makes: the raw transport's, or the same through a traced socket table. */
interface Sockets {
  listen(port: number): Promise<{ port: number; accept(): Promise<Conn>; close(): Promise<void> }>;
  connect(port: number): Promise<Conn>;
}
interface Conn {
  send(bytes: Uint8Array): Promise<number>;
  recv(max: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

function raw(transport: Transport): Sockets {
  return {
    async listen(port) {
      const l = await transport.listen({ host: '127.0.0.1', port, backlog: 1 });
      return { port: l.address.port, accept: () => l.accept(), close: () => l.close() };
    },
    connect: (port) => transport.connect({ host: '127.0.0.1', port }),
  };
}

function traced(table: SocketTable): Sockets {
  const conn = (handle: string, site: CallSite): Conn => ({
    send: (bytes) => table.send({ conn: handle, bytes }, site),
    recv: (max) => table.recv({ conn: handle, max }, site),
    close: () => table.close({ conn: handle }, site),
  });
  const server: CallSite = { actor: 'server', at: 'server.receiving' };
  const client: CallSite = { actor: 'client', at: 'client.sending' };
  return {
    async listen(port) {
      const { listener, address } = await table.listen({ host: '127.0.0.1', port, backlog: 1 }, server);
      return {
        port: address.port,
        accept: async () => conn((await table.accept({ listener }, server)).conn, server),
        close: () => table.closeListener({ listener }, server),
      };
    },
    connect: async (port) => conn((await table.connect({ host: '127.0.0.1', port }, client)).conn, client),
  };
}

async function transfer(sockets: Sockets, drive: () => Promise<void>): Promise<void> {
  const listener = await (async () => {
    const p = sockets.listen(0);
    await drive();
    return p;
  })();
  const receiving = (async () => {
    const conn = await listener.accept();
    let received = 0;
    for (;;) {
      const bytes = await conn.recv(RECV_MAX);
      if (bytes.length === 0) break;
      received += bytes.length;
    }
    await conn.close();
    return received;
  })();
  const sending = (async () => {
    const conn = await sockets.connect(listener.port);
    const chunk = new Uint8Array(SEND_CHUNK).map((_, i) => i);
    for (let total = 0; total < TOTAL_BYTES; total += SEND_CHUNK) {
      for (let sent = 0; sent < chunk.length; ) sent += await conn.send(chunk.subarray(sent));
    }
    await conn.close();
  })();
  await drive();
  await sending;
  const received = await receiving;
  await listener.close();
  if (received !== TOTAL_BYTES) throw new Error(`received ${received} of ${TOTAL_BYTES} bytes`);
}

type Mode = 'untraced' | 'traced' | 'file';

/** One transfer; real milliseconds taken and, with a file, the file's size. */
async function once(kind: 'sim' | 'tcp', mode: Mode, dir: string): Promise<{ ms: number; fileBytes: number }> {
  const net = kind === 'sim' ? createSimNetwork() : null;
  const transport = net?.transport() ?? createTcpTransport();
  const drive = net === null ? () => Promise.resolve() : () => net.run();
  const file = path.join(dir, `${kind}.jsonl`);
  const started = performance.now();
  if (mode === 'untraced') {
    await transfer(raw(transport), drive);
    return { ms: performance.now() - started, fileBytes: 0 };
  }
  const trace = new Trace({ transport: kind, clock: () => transport.now() });
  if (mode === 'traced') {
    await transfer(traced(new SocketTable(transport, trace)), drive);
    return { ms: performance.now() - started, fileBytes: 0 };
  }
  const fd = openSync(file, 'w');
  const write = (r: Parameters<typeof recordToJson>[0]) => writeSync(fd, recordToJson(r) + '\n');
  write(trace.header);
  trace.subscribe(write);
  await transfer(traced(new SocketTable(transport, trace)), drive);
  closeSync(fd);
  return { ms: performance.now() - started, fileBytes: statSync(file).size };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mbps = (ms: number) => (TOTAL_BYTES / 1e6 / (ms / 1000)).toFixed(0);

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sockstep-trace-cost-'));
  try {
    for (const kind of ['sim', 'tcp'] as const) {
      const times: Record<Mode, number[]> = { untraced: [], traced: [], file: [] };
      let fileBytes = 0;
      // The first round warms the JIT up for all three and is not counted.
      for (let i = 0; i <= RUNS; i++) {
        for (const mode of ['untraced', 'traced', 'file'] as const) {
          const run = await once(kind, mode, dir);
          if (i > 0) times[mode].push(run.ms);
          if (mode === 'file') fileBytes = run.fileBytes;
        }
      }
      const [plain, withTrace, withFile] = [median(times.untraced), median(times.traced), median(times.file)];
      console.log(
        `trace-cost ${kind}: 50 MiB untraced ${plain.toFixed(1)} ms (${mbps(plain)} MB/s), ` +
          `traced ${withTrace.toFixed(1)} ms (${mbps(withTrace)} MB/s), medians of ${RUNS}: ` +
          `tracing costs ${(withTrace / plain).toFixed(2)}x (target <= 1.25x)`,
      );
      console.log(
        `trace-cost ${kind}: traced and written to a file as it runs ${withFile.toFixed(1)} ms (${mbps(withFile)} MB/s, ` +
          `${(withFile / plain).toFixed(2)}x untraced); trace file ${(fileBytes / 1e6).toFixed(1)} MB = ` +
          `${(fileBytes / TOTAL_BYTES).toFixed(2)}x the bytes carried (target <= 1.5x)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bench();
