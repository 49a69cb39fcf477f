// The tap on the simulated network: deterministic, so every rule can be
// checked exactly (bytes, FIN, reset, faults, FTP rewriting, several at once).
import { describe, expect, it } from 'vitest';
import { startTap, type RunningTap } from '../../runtime/tap/tap.ts';
import type { TapFaults } from '../../runtime/tap/faults.ts';
import { NAMING_WAIT_MS, RELAY_READ_BYTES } from '../../runtime/tap/limits.ts';
import type { FaultRecord, TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork, type SimNetwork } from '../../runtime/transport/sim/index.ts';
import type { Connection, Transport } from '../../runtime/transport/types.ts';
import { simFtpClient, simFtpServer, type DataMode } from './sim-ftp.ts';

const SERVER_PORT = 2000;
const TAP_PORT = 3000;

function bytesOf(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function join(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function sendAll(conn: Connection, bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < bytes.length; ) i += await conn.send(bytes.subarray(i));
}

/** Read until end of data; the sizes of the reads too. */
async function readAll(conn: Connection): Promise<{ bytes: Uint8Array; reads: number[] }> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const b = await conn.recv(65536);
    if (b.length === 0) break;
    chunks.push(b.slice());
  }
  return { bytes: join(chunks), reads: chunks.map((c) => c.length) };
}

async function readExactly(conn: Connection, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const b = await conn.recv(n - got);
    if (b.length === 0) break;
    chunks.push(b.slice());
    got += b.length;
  }
  return join(chunks);
}

/** What a call rejected with, as its code, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

interface World {
  net: SimNetwork;
  t: Transport;
  trace: Trace;
  tap: RunningTap;
}

async function world(faults: TapFaults = {}, to = SERVER_PORT, maxConnections?: number): Promise<World> {
  const net = createSimNetwork({ seed: 5 });
  const t = net.transport();
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const starting = startTap({
    transport: t,
    trace,
    listen: { host: '127.0.0.1', port: TAP_PORT },
    to: { host: '127.0.0.1', port: to },
    faults,
    ...(maxConnections === undefined ? {} : { maxConnections }),
  });
  await net.run();
  return { net, t, trace, tap: await starting };
}

/** Run programs to the end, then stop the tap. */
async function settle(w: World, ...programs: Promise<unknown>[]): Promise<void> {
  await w.net.run();
  await Promise.all(programs);
  const stopping = w.tap.stop();
  await w.net.run();
  await stopping;
}

type Sent = { actor: string; conn: string; data: Uint8Array };

function sends(records: readonly TraceRecord[], actor: string, conn = 'c1'): Uint8Array {
  return join(records.filter((r): r is TraceRecord & Sent => r.type === 'send' && r.actor === actor && r.conn === conn).map((r) => r.data));
}

function faults(records: readonly TraceRecord[], kind: FaultRecord['kind']): FaultRecord[] {
  return records.filter((r): r is FaultRecord => r.type === 'fault' && r.kind === kind);
}

/** The socket records in order, as `actor type` (and `by` for resets). */
function socketSteps(records: readonly TraceRecord[], conn = 'c1'): string[] {
  return records
    .filter((r) => 'conn' in r && r.conn === conn && r.type !== 'send' && r.type !== 'fault')
    .map((r) => `${(r as { actor: string }).actor} ${r.type}${r.type === 'reset' ? ` by ${r.by}` : ''}`);
}

describe('the tap on the simulated network', () => {
  it.each<[string, TapFaults]>([
    ['no fault', {}],
    ['--chunk 1000', { chunk: 1000 }],
    ['--delay 3', { delayMs: 3 }],
    ['--chunk 7 --delay 1', { chunk: 7, delayMs: 1 }],
  ])('passes both programs\' bytes unchanged and in order, and a half-close as one (%s)', async (_name, f) => {
    const w = await world(f);
    const up = bytesOf(f.chunk === 7 ? 3000 : 100_000, 1);
    const down = bytesOf(f.chunk === 7 ? 2000 : 70_000, 2);
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    const server = (async () => {
      const c = await listener.accept();
      const got = await readAll(c);
      await sendAll(c, down); // after the client's FIN: the half-close was passed on as one
      await c.close();
      return got;
    })();
    const client = (async () => {
      const c = await w.t.connect({ host: '127.0.0.1', port: TAP_PORT });
      await sendAll(c, up);
      await c.shutdown();
      const got = await readAll(c);
      await c.close();
      return got;
    })();
    await settle(w, server, client);
    const [atServer, atClient] = [await server, await client];
    expect(atServer.bytes).toEqual(up);
    expect(atClient.bytes).toEqual(down);
    const records = w.trace.records;
    expect(sends(records, 'client')).toEqual(up);
    expect(sends(records, 'server')).toEqual(down);
    expect(socketSteps(records)).toEqual(['client connect', 'server accept', 'client close', 'server close']);
    // One send record per read of the tap's: never more than RELAY_READ_BYTES.
    const sizes = records.filter((r) => r.type === 'send').map((r) => (r as { accepted: number }).accepted);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(RELAY_READ_BYTES);
    const firstServerSend = records.findIndex((r) => r.type === 'send' && r.actor === 'server');
    const clientClose = records.findIndex((r) => r.type === 'close' && r.actor === 'client');
    expect(clientClose).toBeLessThan(firstServerSend);

    const splits = faults(records, 'split');
    const delays = faults(records, 'delay');
    if (f.chunk === undefined) expect(splits).toEqual([]);
    else {
      // Every send of more than a piece has its split record, naming the bytes as the send record does.
      const big = records.filter((r) => r.type === 'send' && r.accepted > f.chunk!) as (TraceRecord & { type: 'send' })[];
      expect(big.length).toBeGreaterThan(0);
      expect(splits.map((s) => s.kind === 'split' && [s.sender, s.offset, s.size, s.pieces])).toEqual(
        big.map((r) => [r.actor, r.offset, r.accepted, Math.ceil(r.accepted / f.chunk!)]),
      );
    }
    if (f.delayMs === undefined) expect(delays).toEqual([]);
    else expect(delays.length).toBeGreaterThan(0);
    if (f.chunk !== undefined && f.delayMs !== undefined) {
      // Pieces arrive one by one: no read returns more than a piece.
      expect(Math.max(...atServer.reads)).toBeLessThanOrEqual(f.chunk);
      expect(Math.max(...atClient.reads)).toBeLessThanOrEqual(f.chunk);
      // And each waited: the whole took at least a delay per piece.
      const pieces = Math.ceil(up.length / f.chunk) + Math.ceil(down.length / f.chunk);
      expect(w.net.now()).toBeGreaterThanOrEqual(pieces * f.delayMs);
    }
  });

  it.each(['client', 'server'] as const)('passes a reset by the %s on as a reset, and says who did it', async (resetter) => {
    const w = await world();
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    // The resetter sends 10 bytes, waits for a 2-byte answer, then resets; the other end's next read fails.
    const resetting = async (c: Connection) => {
      await sendAll(c, bytesOf(10, 3));
      await readExactly(c, 2);
      await c.reset();
      return 'reset';
    };
    const answering = async (c: Connection) => {
      await readExactly(c, 10);
      await sendAll(c, bytesOf(2, 4));
      return outcome(c.recv(100));
    };
    const server = listener.accept().then((c) => (resetter === 'server' ? resetting(c) : answering(c)));
    const client = w.t.connect({ host: '127.0.0.1', port: TAP_PORT }).then((c) => (resetter === 'client' ? resetting(c) : answering(c)));
    await settle(w, server, client);
    expect([await server, await client].sort()).toEqual(['ECONNRESET', 'reset']);
    const end = resetter === 'client' ? 'connector' : 'acceptor';
    expect(socketSteps(w.trace.records)).toEqual(['client connect', 'server accept', `${resetter} reset by local`]);
    expect(w.trace.records.find((r) => r.type === 'reset')).toMatchObject({ actor: resetter, end, by: 'local' });
  });

  it('records a program that closed and then gets bytes as resetting, as its kernel does', async () => {
    const w = await world();
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    const server = (async () => {
      const c = await listener.accept();
      await readAll(c);
      // The first bytes reach the closed client, which answers with a reset; the tap
      // notices on the next bytes and passes the reset on: the third send fails.
      const results = [];
      for (let i = 0; i < 3; i++) {
        results.push(await outcome(sendAll(c, bytesOf(5, i))));
        await w.net.sleep(10);
      }
      return results;
    })();
    const client = (async () => {
      const c = await w.t.connect({ host: '127.0.0.1', port: TAP_PORT });
      await sendAll(c, bytesOf(3, 1));
      await c.close(); // a full close: bytes that come later are answered with a reset
    })();
    await settle(w, server, client);
    expect(await server).toEqual(['ok', 'ok', 'EPIPE']);
    expect(socketSteps(w.trace.records)).toEqual(['client connect', 'server accept', 'client close', 'client reset by local']);
  });

  it('--reset-after: the tap resets both programs once that many bytes have passed', async () => {
    const w = await world({ resetAfter: 300 });
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    const server = (async () => {
      const c = await listener.accept();
      const got: Uint8Array[] = [];
      for (;;) {
        try {
          const b = await c.recv(65536);
          if (b.length === 0) return { got: join(got), end: 'eof' };
          got.push(b.slice());
        } catch (error) {
          return { got: join(got), end: (error as { code: string }).code };
        }
      }
    })();
    const up = bytesOf(1000, 9);
    const client = (async () => {
      const c = await w.t.connect({ host: '127.0.0.1', port: TAP_PORT });
      await sendAll(c, up);
      return outcome(c.recv(10));
    })();
    await settle(w, server, client);
    expect(await server).toEqual({ got: up.subarray(0, 300), end: 'ECONNRESET' });
    expect(await client).toBe('ECONNRESET');
    expect(faults(w.trace.records, 'reset')).toMatchObject([{ conn: 'c1', because: 'limit', after: 300 }]);
    // The client's send record still holds what it sent: the trace is the programs' view.
    expect(sends(w.trace.records, 'client')).toEqual(up);
  });

  it('resets the client when the server is not there, and records why', async () => {
    const w = await world({}, 2999);
    const client = (async () => {
      const c = await w.t.connect({ host: '127.0.0.1', port: TAP_PORT });
      return outcome(c.recv(10));
    })();
    await settle(w, client);
    expect(await client).toBe('ECONNRESET');
    expect(socketSteps(w.trace.records)).toEqual(['client connect']);
    expect(faults(w.trace.records, 'reset')).toMatchObject([{ because: 'unreachable', code: 'ECONNREFUSED' }]);
  });

  it('records a silent connection after NAMING_WAIT_MS, and stop() resets it as the tap\'s doing', async () => {
    const w = await world();
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    const server = listener.accept().then((c) => outcome(c.recv(10)));
    let connectedAt = 0;
    const client = w.t.connect({ host: '127.0.0.1', port: TAP_PORT }).then((c) => {
      connectedAt = w.net.now();
      return outcome(c.recv(10));
    });
    await w.net.run({ untilMs: 1000 });
    const connect = w.trace.records.find((r) => r.type === 'connect')!;
    expect(connect.t).toBeGreaterThanOrEqual(connectedAt + NAMING_WAIT_MS - 5);
    expect(connect.t).toBeLessThanOrEqual(connectedAt + NAMING_WAIT_MS + 5);
    const stopping = w.tap.stop();
    await w.net.run();
    await stopping;
    expect([await server, await client]).toEqual(['ECONNRESET', 'ECONNRESET']);
    expect(faults(w.trace.records, 'reset')).toMatchObject([{ because: 'stopped', after: 0 }]);
  });

  it('resets a connection beyond maxConnections at once, and says why', async () => {
    const w = await world({}, SERVER_PORT, 2);
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    const held: Connection[] = [];
    const server = (async () => {
      for (let i = 0; i < 2; i++) held.push(await listener.accept());
    })();
    const clients = [1, 2, 3].map(async (n) => {
      await w.net.sleep(n * 10);
      const c = await w.t.connect({ host: '127.0.0.1', port: TAP_PORT });
      return outcome(c.recv(10));
    });
    await w.net.run({ untilMs: 500 });
    await server;
    expect(await clients[2]).toBe('ECONNRESET');
    expect(faults(w.trace.records, 'reset')).toMatchObject([{ because: 'busy', message: '2 connections' }]);
    expect(w.tap.relayed).toBe(2);
    const stopping = w.tap.stop();
    await w.net.run();
    await stopping;
    expect([await clients[0], await clients[1]]).toEqual(['ECONNRESET', 'ECONNRESET']);
  });

  it('relays several connections at once, each its own connection in the trace', async () => {
    const w = await world({ chunk: 100 });
    const listener = await w.t.listen({ host: '127.0.0.1', port: SERVER_PORT, backlog: 5 });
    const echo = (async () => {
      for (let i = 0; i < 3; i++) {
        const c = await listener.accept();
        void readAll(c).then(async ({ bytes }) => {
          await sendAll(c, bytes);
          await c.close();
        });
      }
    })();
    const clients = [1, 2, 3].map(async (n) => {
      const c = await w.t.connect({ host: '127.0.0.1', port: TAP_PORT });
      const mine = bytesOf(1000 * n, n);
      await sendAll(c, mine);
      await c.shutdown();
      const back = await readAll(c);
      await c.close();
      return { mine, back: back.bytes };
    });
    await settle(w, echo, ...clients);
    const conns = new Set(w.trace.records.filter((r) => r.type === 'connect').map((r) => (r as { conn: string }).conn));
    expect(conns.size).toBe(3);
    for (const c of clients) {
      const { mine, back } = await c;
      expect(back).toEqual(mine);
      const conn = [...conns].find((id) => sends(w.trace.records, 'client', id).length === mine.length)!;
      expect(sends(w.trace.records, 'client', conn)).toEqual(mine);
      expect(sends(w.trace.records, 'server', conn)).toEqual(mine);
    }
    expect(w.tap.relayed).toBe(3);
  });
});

describe('FTP through the tap on the simulated network', () => {
  const files = { 'notes.txt': new TextEncoder().encode('hello\r\n'), 'big.bin': bytesOf(150_000, 7) };

  async function session(modes: DataMode[], tapFaults: TapFaults = {}, chain = false) {
    const w = await world(tapFaults);
    const server = await simFtpServer(w.t, '127.0.0.1', SERVER_PORT, files);
    // A second tap in front of the first, splitting into 1-byte pieces, so the first sees every line cut up.
    let front: RunningTap | null = null;
    let port = TAP_PORT;
    if (chain) {
      const starting = startTap({ transport: w.t, trace: new Trace({ transport: 'sim', clock: () => w.net.now(), startedAt: 0 }), listen: { host: '127.0.0.1', port: 4000 }, to: { host: '127.0.0.1', port: TAP_PORT }, faults: { chunk: 1 } });
      await w.net.run();
      front = await starting;
      port = 4000;
    }
    const steps = modes.flatMap((mode) => [
      { mode, command: 'LIST' },
      { mode, command: 'RETR big.bin' },
    ]);
    const client = simFtpClient(w.t, { host: '127.0.0.1', port }, steps);
    await w.net.run();
    const got = await client;
    await server.stop();
    const stops = [w.tap.stop(), front?.stop()];
    await w.net.run();
    await Promise.all(stops);
    return { got, records: w.trace.records, steps };
  }

  it.each<DataMode>(['PASV', 'EPSV', 'PORT', 'EPRT'])('%s: the data connections go through the tap, recorded and linked', async (mode) => {
    const { got, records } = await session([mode]);
    expect(new TextDecoder().decode(got[0])).toBe('notes.txt\r\nbig.bin\r\n');
    expect(got[1]).toEqual(files['big.bin']);
    const opens = records.filter((r) => r.type === 'connect' || r.type === 'accept') as (TraceRecord & { actor: string; conn: string; label?: string; link?: string; type: string })[];
    const control = opens.find((r) => r.label === 'control')!;
    expect(control).toMatchObject({ type: 'connect', actor: 'client', conn: 'c1' });
    const data = opens.filter((r) => r.label === 'data');
    expect(data).toHaveLength(4); // two data connections, two ends each
    // Roles, not ends: in active mode the server connects.
    const connector = mode === 'PORT' || mode === 'EPRT' ? 'server' : 'client';
    for (const r of data.filter((d) => d.type === 'connect')) expect(r).toMatchObject({ actor: connector, link: 'c1' });
    const rewrites = faults(records, 'rewrite');
    expect(rewrites).toHaveLength(2);
    for (const r of rewrites) {
      if (r.kind !== 'rewrite') continue;
      expect(r.sender).toBe(mode === 'PORT' || mode === 'EPRT' ? 'client' : 'server');
      expect(r.from.startsWith(mode === 'PASV' ? '227 ' : mode === 'EPSV' ? '229 ' : mode)).toBe(true);
      // The line as sent is in the sender's send records, at the offset the fault names.
      const stream = sends(records, r.sender, 'c1');
      expect(new TextDecoder().decode(stream.subarray(r.offset, r.offset + r.size))).toBe(`${r.from}\r\n`);
    }
    // Each data connection's bytes are in the trace once, from the server.
    const bigConn = data.find((d) => d.type === 'connect' && sends(records, 'server', d.conn).length === 150_000)!;
    expect(sends(records, 'server', bigConn.conn)).toEqual(files['big.bin']);
  });

  it('works through two taps in a row, the first cutting every line into 1-byte pieces', async () => {
    const { got } = await session(['PASV', 'EPRT', 'EPSV', 'PORT'], {}, true);
    expect(got).toHaveLength(8);
    for (let i = 1; i < 8; i += 2) expect(got[i]).toEqual(files['big.bin']);
  });

  it('keeps working with --chunk and --delay on every connection', async () => {
    const { got, records } = await session(['EPSV', 'PORT'], { chunk: 50, delayMs: 1 });
    expect(got[1]).toEqual(files['big.bin']);
    expect(got[3]).toEqual(files['big.bin']);
    expect(faults(records, 'split').length).toBeGreaterThan(0);
  });
});
