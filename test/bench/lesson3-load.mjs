// The client load for test/bench/lesson3-live.ts: a small node:net program, run as its own
// process so that it never shares an event loop with the server it measures.
//
//   node lesson3-load.mjs work PORT TOTAL CONCURRENCY   each client: greeting, LIST, QUIT; prints a JSON summary
//   node lesson3-load.mjs idle PORT COUNT BATCH         COUNT clients, greeted, then held open until stdin ends
import { connect } from 'node:net';

const [mode, portText, countText, batchText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const batch = Number(batchText);

/** A client that reads whole lines and waits for the line matching `until`. */
function client() {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  let buffer = '';
  let waiting = null;
  const check = () => {
    if (waiting === null) return;
    const lines = buffer.split('\n');
    const i = lines.findIndex((l, n) => n < lines.length - 1 && waiting.until(l));
    if (i < 0) return;
    buffer = lines.slice(i + 1).join('\n');
    const w = waiting;
    waiting = null;
    w.resolve(lines.slice(0, i + 1));
  };
  socket.setEncoding('utf8');
  socket.on('data', (d) => ((buffer += d), check()));
  const failed = new Promise((_, reject) => {
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('closed early')));
  });
  failed.catch(() => undefined);
  return {
    socket,
    /** The lines up to and including the first one that `until` accepts. */
    read: (until) => Promise.race([new Promise((resolve) => ((waiting = { until, resolve }), check())), failed]),
    send: (text) => socket.write(text),
    closed: new Promise((resolve) => socket.on('close', resolve)),
  };
}

/** One whole conversation; resolves true if every reply was right. */
async function conversation() {
  const c = client();
  try {
    const greeting = await c.read((l) => l.startsWith('+OK') || l.startsWith('-ERR'));
    if (!greeting.at(-1).startsWith('+OK ready')) return false;
    c.send('LIST\n');
    const status = await c.read((l) => l.startsWith('+OK') || l.startsWith('-ERR'));
    const n = /^\+OK (\d+)/.exec(status.at(-1));
    if (n === null) return false;
    for (let i = 0; i < Number(n[1]); i++) await c.read(() => true);
    c.send('QUIT\n');
    const bye = await c.read(() => true);
    if (bye.at(-1) !== '+OK bye') return false;
    c.socket.end();
    await c.closed;
    return true;
  } catch {
    c.socket.destroy();
    return false;
  }
}

if (mode === 'work') {
  let next = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      if (await conversation()) ok += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: batch }, worker));
  console.log(JSON.stringify({ ok, failed, ms: performance.now() - started }));
} else if (mode === 'idle') {
  const held = [];
  let failed = 0;
  for (let i = 0; i < count; i += batch) {
    const group = Array.from({ length: Math.min(batch, count - i) }, () => client());
    const greeted = await Promise.allSettled(group.map((c) => c.read((l) => l.startsWith('+OK ready'))));
    failed += greeted.filter((g) => g.status === 'rejected').length;
    held.push(...group);
  }
  console.log(JSON.stringify({ connected: held.length - failed, failed }));
  // Hold every connection until told to let go (stdin ends), then leave without QUIT.
  process.stdin.resume();
  process.stdin.on('end', () => {
    for (const c of held) c.socket.destroy();
    process.exit(0);
  });
} else {
  console.error('usage: lesson3-load.mjs work|idle PORT COUNT BATCH');
  process.exit(2);
}
