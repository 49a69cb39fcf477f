/**
 * Lesson 5 live: a 100 MiB RETR into afile.txt through our machines
 * (`sockstep run server2a`, `sockstep run client2a`, each a process of its
 * own, as a learner runs them) against the lesson's Python reference
 * (`python3 server2a.py`, `python3 client2a.py`), in the same run,
 * alternately, ROUNDS times each. Every afile.txt must have the SHA-256 of
 * the file sent.
 *
 * What is timed: from the moment the server says a client connected (its
 * "client connected from ..." line on stdout, read as it comes) to the
 * moment the last bytes arrived: the client's "no data for 2 s" line, read
 * as it comes, less those 2 s. Not the start-up of either program (Node
 * with TypeScript takes far longer to start than Python), and not
 * client2a's two seconds of silence at the end, which both wait the same
 * way. (afile.txt's modification time would not do: Python's buffered file
 * is flushed when it is closed, after the silence.)
 *
 * The file: FILE_BYTES of text in lines of LINE_BYTES (the last one cut
 * short); server2a sends it line by line, one send() loop per line, as
 * server2a.py's `for line in f: conn.sendall(line)` does.
 *
 * Target (issue 8): ours at least 0.5x Python's throughput.
 *
 *   npx tsx test/bench/lesson5-live.ts          LINE_BYTES=80 npx tsx test/bench/lesson5-live.ts
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { start, type Started } from '../helpers/processes.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = `${ROOT}runtime/cli/bin.js`;
const LESSON = `${ROOT}lessons/05-end-of-the-file/`;
const FILE_BYTES = Number(process.env.FILE_BYTES ?? 100 * 1024 * 1024);
const LINE_BYTES = Number(process.env.LINE_BYTES ?? 64 * 1024);
const ROUNDS = Number(process.env.ROUNDS ?? 2);

/** A text file of `size` bytes in lines of `line` bytes, the "\n" included. */
function makeFile(path: string, size: number, line: number): void {
  const body = Buffer.alloc(line, 0);
  for (let i = 0; i < line - 1; i++) body[i] = 0x61 + (i % 26);
  body[line - 1] = 0x0a;
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += line) body.copy(out, at, 0, Math.min(line, size - at));
  writeFileSync(path, out);
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

interface Pair {
  name: string;
  server: (root: string) => Started;
  /** The server's line when it listens: its port in group 1. */
  listening: RegExp;
  client: (port: string, cwd: string) => Started;
}

const PAIRS: Pair[] = [
  {
    name: 'python3 server2a.py / client2a.py',
    server: (root) => start('python3', [`${LESSON}server2a.py`, '--host', '127.0.0.1', '--port', '0', '--root', root]),
    listening: /server2a listening on 127\.0\.0\.1 port (\d+)/,
    client: (port, cwd) => start('python3', [`${LESSON}client2a.py`, '--port', port], cwd),
  },
  {
    name: 'sockstep run server2a / client2a',
    server: (root) => start('node', [CLI, 'run', 'server2a', '--port', '0', '--root', root]),
    listening: /^server2a is listening on 127\.0\.0\.1 port (\d+);/m,
    client: (port, cwd) => start('node', [CLI, 'run', 'client2a', '--port', port], cwd),
  },
];

/** When a line matching `pattern` first shows on a process's stdout (performance.now()), from now on. */
function lineTime(p: Started, pattern: RegExp): () => number {
  let at = 0;
  let tail = '';
  // Each chunk once (with the end of the one before, where a line may have been cut): a run prints megabytes.
  p.child.stdout.on('data', (chunk: string | Buffer) => {
    if (at !== 0) return;
    const text = tail + chunk.toString();
    if (pattern.test(text)) at = performance.now();
    tail = text.slice(-200);
  });
  return () => at;
}

/** One transfer: seconds from the server's "client connected" to the last bytes' arrival, and the file's digest. */
async function transfer(pair: Pair, root: string): Promise<{ seconds: number; sha: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'sockstep-bench5-'));
  const server = pair.server(root);
  try {
    const [, port] = await server.waitFor(pair.listening, 60_000);
    const connected = lineTime(server, /client connected from/);
    const client = pair.client(port!, cwd);
    const quiet = lineTime(client, /no data for 2 s/);
    const code = await client.exited;
    if (code !== 0) throw new Error(`${pair.name}: the client exited ${code}: ${client.stderr()}`);
    if (connected() === 0 || quiet() === 0) throw new Error(`${pair.name}: no "client connected" or "no data for 2 s" line`);
    const file = join(cwd, 'afile.txt');
    return { seconds: (quiet() - 2000 - connected()) / 1000, sha: await sha256(file) };
  } finally {
    await server.stop('SIGINT');
    rmSync(cwd, { recursive: true, force: true });
  }
}

export default async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'sockstep-bench5-root-'));
  try {
    const somefile = join(root, 'somefile.txt');
    makeFile(somefile, FILE_BYTES, LINE_BYTES);
    const expected = await sha256(somefile);
    const mib = FILE_BYTES / (1024 * 1024);
    console.log(`lesson 5 live: RETR of ${mib} MiB in lines of ${LINE_BYTES} bytes into afile.txt, ${ROUNDS} rounds each, alternately`);
    const best = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const pair of PAIRS) {
        const { seconds, sha } = await transfer(pair, root);
        const ok = sha === expected;
        console.log(`  ${pair.name.padEnd(36)} ${seconds.toFixed(3).padStart(7)} s  ${(mib / seconds).toFixed(0).padStart(5)} MiB/s  sha256 ${ok ? 'equal' : `DIFFERENT (${sha})`}`);
        if (!ok) throw new Error(`${pair.name}: afile.txt is not the file sent`);
        best.set(pair.name, Math.min(best.get(pair.name) ?? Infinity, seconds));
      }
    }
    const [python, ours] = PAIRS.map((p) => best.get(p.name)!);
    const ratio = python! / ours!;
    console.log(`best of ${ROUNDS}: python ${python!.toFixed(3)} s, ours ${ours!.toFixed(3)} s: ours at ${ratio.toFixed(2)}x Python's speed (target >= 0.5x) ${ratio >= 0.5 ? 'OK' : 'MISSED'}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
