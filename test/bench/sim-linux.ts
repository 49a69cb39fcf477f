/**
 * The simulated network with its Linux-like defaults (LINUX_LIKE), against
 * its targets (issue 8):
 * - throughput: 50 MiB sent as a sendall loop of 64 KiB send() calls and
 *   read with recv(65536), on the raw transport (no trace; the traced
 *   figure is measured on top of this by the tracing bench). Target:
 *   >= 100 MB/s of simulated traffic per real second.
 * - send() calls of a 200,000-byte sendall loop to a reader that keeps up,
 *   against what Python makes on loopback in the same run (a blocking
 *   socket, the same loop, 20 runs each). Target: within 2x.
 *
 *   npx tsx test/bench/sim-linux.ts
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { createSimNetwork, LINUX_LIKE } from '../../runtime/transport/sim/index.ts';
import type { Connection, Transport } from '../../runtime/transport/types.ts';

const TOTAL_BYTES = 50 * 1024 * 1024;
const SEND_CHUNK = 64 * 1024;
const RECV_MAX = 65_536;
const SENDALL_BYTES = 200_000;
const SENDALL_RUNS = 20;
const PORT = 9000;

/** Python's sendall(): send() accepts what fits, so loop until all of it went. Returns the number of send() calls. */
async function sendAll(conn: Connection, bytes: Uint8Array): Promise<number> {
  let calls = 0;
  for (let sent = 0; sent < bytes.length; calls++) sent += await conn.send(bytes.subarray(sent));
  return calls;
}

async function readAll(conn: Connection): Promise<number> {
  let received = 0;
  for (let part = await conn.recv(RECV_MAX); part.length > 0; part = await conn.recv(RECV_MAX)) received += part.length;
  return received;
}

/** A listener, one connection to it, and both programs run to the end on a fresh Linux-like network. */
async function conversation(
  seed: number,
  client: (conn: Connection) => Promise<number>,
  server: (conn: Connection) => Promise<number>,
): Promise<{ client: number; server: number }> {
  const net = createSimNetwork({ ...LINUX_LIKE, seed });
  const transport: Transport = net.transport();
  const listener = await transport.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
  const served = listener.accept().then(async (conn) => {
    const result = await server(conn);
    await conn.close();
    return result;
  });
  const talked = transport.connect({ host: '127.0.0.1', port: PORT }).then(async (conn) => {
    const result = await client(conn);
    await conn.close();
    return result;
  });
  await net.run();
  return { client: await talked, server: await served };
}

/** Real milliseconds to carry TOTAL_BYTES. */
async function transferOnce(seed: number): Promise<number> {
  const chunk = new Uint8Array(SEND_CHUNK).map((_, i) => i);
  const started = performance.now();
  const { server } = await conversation(
    seed,
    async (conn) => {
      for (let sent = 0; sent < TOTAL_BYTES; sent += SEND_CHUNK) await sendAll(conn, chunk);
      return 0;
    },
    readAll,
  );
  if (server !== TOTAL_BYTES) throw new Error(`received ${server} of ${TOTAL_BYTES} bytes`);
  return performance.now() - started;
}

/** send() calls of a sendall of SENDALL_BYTES on the simulated network, one per seed. */
async function simSendCalls(): Promise<number[]> {
  const data = new Uint8Array(SENDALL_BYTES).fill(120);
  const calls: number[] = [];
  for (let seed = 1; seed <= SENDALL_RUNS; seed++) calls.push((await conversation(seed, (conn) => sendAll(conn, data), readAll)).client);
  return calls;
}

/** The same on loopback with Python: a blocking socket, a reader thread doing recv(65536). */
function pythonSendCalls(): number[] {
  const script = `
import socket, threading, json
def reader(s):
    while s.recv(${RECV_MAX}): pass
counts = []
for run in range(${SENDALL_RUNS}):
    srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
    c = socket.create_connection(srv.getsockname()); s, _ = srv.accept(); srv.close()
    t = threading.Thread(target=reader, args=(s,)); t.start()
    data = b"x" * ${SENDALL_BYTES}; sent = 0; calls = 0
    while sent < len(data):
        sent += c.send(data[sent:]); calls += 1
    c.close(); t.join(); s.close(); counts.append(calls)
print(json.dumps(counts))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as number[];
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

export default async function bench(): Promise<void> {
  await transferOnce(1); // warm-up: let the JIT compile the hot paths
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) runs.push(await transferOnce(i + 1));
  runs.sort((a, b) => a - b);
  const median = runs[2]!;
  const megabytes = TOTAL_BYTES / 1e6;
  const rate = megabytes / (median / 1000);
  console.log(
    `sim-linux untraced: ${megabytes.toFixed(1)} MB in ${median.toFixed(0)} ms median of 5, ${rate.toFixed(0)} MB/s ` +
      `(best ${(megabytes / (runs[0]! / 1000)).toFixed(0)} MB/s); target >= 100 MB/s: ${(rate / 100).toFixed(2)}x the target`,
  );

  const sim = await simSendCalls();
  let python: number[] | null = null;
  try {
    python = pythonSendCalls();
  } catch (error) {
    console.log(`sim-linux sendall: python3 could not be run (${(error as Error).message.split('\n')[0]}); Debian package: python3`);
  }
  const simMean = mean(sim);
  console.log(`sim-linux sendall of ${SENDALL_BYTES} bytes, ${SENDALL_RUNS} runs: sim ${simMean.toFixed(2)} send() calls (min ${Math.min(...sim)}, max ${Math.max(...sim)})`);
  if (python !== null) {
    const pyMean = mean(python);
    console.log(
      `sim-linux sendall: python3 on loopback ${pyMean.toFixed(2)} send() calls (min ${Math.min(...python)}, max ${Math.max(...python)}); ` +
        `ratio sim/python ${(simMean / pyMean).toFixed(2)} (target <= 2)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bench();
