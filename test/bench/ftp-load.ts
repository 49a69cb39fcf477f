// Loads for the FTP bench that curl cannot make: many idle logged-in sessions, and a stream of
// fuzzed command lines. Raw sockets on 127.0.0.1; every loop is bounded in count and time.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/** Resident memory of a process and, with `tree`, of its children too (vsftpd forks per session), in KiB. */
export function rssKiB(pid: number, tree = false): number {
  const own = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  if (!tree) return own;
  let sum = own;
  for (const child of childrenOf(pid)) sum += rssKiB(child, true);
  return sum;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Open `count` control connections and log each in; resolves with the sockets once every one has its 230. */
export async function idleSessions(port: number, count: number, user: string, password: string, timeoutMs = 60_000): Promise<Socket[]> {
  const deadline = Date.now() + timeoutMs;
  const sockets: Socket[] = [];
  /** Every socket opened, logged in or not: destroyed if the whole set cannot be had. */
  const opened: Socket[] = [];
  try {
  const batch = 100;
  for (let i = 0; i < count; i += batch) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no login within ${timeoutMs} ms`)), Math.max(1, deadline - Date.now()))));
    const batchOpened = await Promise.race([late, Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, () =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect({ port, host: '127.0.0.1' });
          opened.push(s);
          let text = '';
          s.setEncoding('latin1');
          s.on('data', (d: string) => {
            text += d;
            if (text.startsWith('220') && !text.includes('331')) s.write(`USER ${user}\r\nPASS ${password}\r\n`);
            if (/^230 /m.test(text)) {
              s.removeAllListeners('data');
              s.resume();
              resolve(s);
            } else if (/^(4|5)\d\d /m.test(text)) reject(new Error(`login refused: ${text.trim().split('\n').at(-1)}`));
          });
          s.on('error', reject);
          s.on('close', () => reject(new Error(`the server closed a connection before its login ended: ${text.trim().split('\n').at(-1) ?? 'no reply'}`)));
        }),
      ),
    )]).finally(() => clearTimeout(timer));
    sockets.push(...batchOpened);
    if (Date.now() > deadline) throw new Error('idle sessions: out of time');
  }
  } catch (error) {
    for (const s of opened) s.destroy();
    throw error;
  }
  return sockets;
}

const VERBS = [
  'USER', 'PASS', 'ACCT', 'REIN', 'SYST', 'FEAT', 'OPTS', 'HELP', 'STAT', 'NOOP', 'SITE', 'PWD', 'CWD', 'CDUP', 'XPWD', 'XCWD', 'XCUP', 'XMKD', 'XRMD',
  'LIST', 'NLST', 'MLSD', 'MLST', 'RETR', 'STOR', 'STOU', 'APPE', 'REST', 'ABOR', 'ALLO', 'DELE', 'MKD', 'RMD', 'RNFR', 'RNTO', 'SIZE', 'MDTM',
  'TYPE', 'MODE', 'STRU', 'PORT', 'PASV', 'EPRT', 'EPSV',
];

/** A seeded generator (mulberry32), so a run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One fuzzed line (with its line end): random bytes, a long line, Telnet bytes, or a verb with a garbage argument. */
export function fuzzLine(rand: () => number): Buffer {
  const kind = rand();
  const garbage = (n: number) => Buffer.from(Array.from({ length: n }, () => {
    const b = Math.floor(rand() * 256);
    return b === 0x0a ? 0x20 : b;
  }));
  if (kind < 0.3) return Buffer.concat([garbage(1 + Math.floor(rand() * 60)), Buffer.from('\r\n')]);
  if (kind < 0.32) return Buffer.concat([garbage(4000 + Math.floor(rand() * 3000)), Buffer.from('\r\n')]);
  if (kind < 0.4) return Buffer.from([0xff, 0xf4, 0xff, 0xf2, ...Buffer.from(`${VERBS[Math.floor(rand() * VERBS.length)]} `), ...garbage(Math.floor(rand() * 20)), 0x0d, 0x0a]);
  const verb = VERBS[Math.floor(rand() * VERBS.length)]!;
  // Never QUIT (the loop would spend its time reconnecting); PASS with garbage fails logins and gets 421 now and then: the loop reconnects.
  return Buffer.concat([Buffer.from(`${rand() < 0.5 ? verb : verb.toLowerCase()} `), garbage(Math.floor(rand() * 40)), Buffer.from('\r\n')]);
}

export interface FuzzResult {
  lines: number;
  replies: number;
  reconnects: number;
  ms: number;
}

/**
 * Send `total` fuzzed lines over `connections` control connections, each logged in first and
 * logged in again whenever the server closes it; replies are read and counted (never waited for
 * one by one, so lines arrive many per read). `sample` is called every `every` lines.
 */
export async function fuzz(port: number, total: number, connections: number, user: string, password: string, sample: () => void, every = 100_000, timeoutMs = 600_000): Promise<FuzzResult> {
  const started = Date.now();
  const result: FuzzResult = { lines: 0, replies: 0, reconnects: 0, ms: 0 };
  let nextSample = every;
  const perConnection = Math.ceil(total / connections);
  const worker = async (seed: number) => {
    const rand = random(seed);
    let sent = 0;
    while (sent < perConnection && Date.now() - started < timeoutMs) {
      const [socket] = await idleSessions(port, 1, user, password);
      const closed = new Promise<void>((resolve) => socket!.once('close', () => resolve()));
      socket!.removeAllListeners('data');
      socket!.on('data', (d: Buffer) => {
        for (const c of d.toString('latin1')) if (c === '\n') result.replies++;
      });
      socket!.on('error', () => undefined);
      let open = true;
      void closed.then(() => (open = false));
      while (open && sent < perConnection) {
        const chunk: Buffer[] = [];
        for (let i = 0; i < 200 && sent < perConnection; i++, sent++) chunk.push(fuzzLine(rand));
        result.lines += chunk.length;
        if (result.lines >= nextSample) {
          nextSample += every;
          sample();
        }
        if (!socket!.write(Buffer.concat(chunk))) await Promise.race([new Promise((r) => socket!.once('drain', r)), closed]);
      }
      socket!.destroy();
      if (sent < perConnection) result.reconnects++;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => worker(i + 1)));
  result.ms = Date.now() - started;
  return result;
}
