/**
 * The simulated network (runtime/transport/sim): what only it has, chiefly
 * its virtual clock. Each test drives the programs step by step: start
 * calls, `await net.run()` to let the network carry them, then look at what
 * came back and at which virtual time. Stream semantics shared with real TCP
 * are in test/transport/contract.test.ts; Linux's figures in
 * test/transport/linux-sim.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createSimNetwork,
  EPHEMERAL_PORT_FIRST,
  EPHEMERAL_PORT_LAST,
  MAX_BACKLOG,
  MAX_PENDING_EVENTS,
  MAX_RECEIVE_BUFFER_BYTES,
  MAX_SEND_BUFFER_BYTES,
  MAX_SEGMENT_BYTES,
  MAX_SEGMENTS_IN_FLIGHT,
  SYN_RETRY_FIRST_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  LOOPBACK_MSS,
  type SegmentationPolicy,
  type SimNetwork,
  type SimOptions,
} from '../runtime/transport/sim/index.ts';
import { DEFAULT_OPTIONS, LINUX_LIKE, MAKE_IT_HARD } from '../runtime/transport/sim/index.ts';
import { mulberry32, randomInt } from '../runtime/transport/sim/prng.ts';
import { Scheduler } from '../runtime/transport/sim/scheduler.ts';
import { isTransportError } from '../runtime/transport/errors.ts';
import type { Connection, Listener, Transport } from '../runtime/transport/types.ts';

const PORT = 9000;

/**
 * A network whose timing is exact: no jitter, and writes cut only at the
 * MSS, so that a test can say at which virtual millisecond a call returns.
 * (The defaults vary both with the seed.)
 */
function quietNetwork(options: SimOptions = {}): SimNetwork {
  return createSimNetwork({ jitterMs: 0, segmentation: { kind: 'mss', size: LOOPBACK_MSS }, ...options });
}
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
/** 0, 1, 2, ... 255, 0, 1, ...: a pattern that shows any lost, doubled or reordered byte. */
const pattern = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i % 251);

/**
 * Compare large byte arrays quickly (a deep equality walks them element by
 * element): same length, and no index where they differ.
 */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.findIndex((byte, i) => byte !== expected[i])).toBe(-1);
}

/** How a call ended, and when on the virtual clock. */
type Outcome<T> = { at: number; value: T } | { at: number; code: string };

/** Start watching a call at once, so that an early rejection is never reported as unhandled. */
function watch<T>(net: SimNetwork, promise: Promise<T>): Promise<Outcome<T>> {
  return promise.then(
    (value) => ({ at: net.now(), value }),
    (error: unknown) => ({ at: net.now(), code: isTransportError(error) ? error.code : String(error) }),
  );
}

/** The error code a call rejected with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isTransportError(error) ? error.code : String(error);
  }
  throw new Error('expected the call to fail');
}

interface Pair {
  net: SimNetwork;
  transport: Transport;
  listener: Listener;
  client: Connection;
  server: Connection;
}

/** A network with a listener on 127.0.0.1:9000 and one connection, both ends in hand. */
async function connectedPair(options?: SimOptions): Promise<Pair> {
  const net = quietNetwork(options);
  const transport = net.transport();
  const listener = await transport.listen({ host: '127.0.0.1', port: PORT, backlog: 5 });
  const client = transport.connect({ host: '127.0.0.1', port: PORT });
  const server = listener.accept();
  await net.run();
  return { net, transport, listener, client: await client, server: await server };
}

/** Python's sendall(): send() may accept only part, so loop until everything went. */
async function sendAll(conn: Connection, bytes: Uint8Array): Promise<number[]> {
  const accepted: number[] = [];
  for (let sent = 0; sent < bytes.length; ) {
    const n = await conn.send(bytes.subarray(sent));
    accepted.push(n);
    sent += n;
  }
  return accepted;
}

/** Read until end of data; returns everything and the size of each read. */
async function recvAll(conn: Connection, max = 65_536): Promise<{ bytes: Uint8Array; reads: number[] }> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const part = await conn.recv(max);
    if (part.length === 0) break;
    parts.push(part);
  }
  const bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { bytes, reads: parts.map((p) => p.length) };
}

describe('send: the send buffer and the window', () => {
  it('accepts up to the send buffer at once, and sendall delivers all 200000 bytes in order', async () => {
    const { net, client, server } = await connectedPair({ sendBufferBytes: 65_536 });
    const data = pattern(200_000);
    const start = net.now();
    const first = watch(net, client.send(data));
    await net.run();
    expect(await first).toEqual({ at: start, value: 65_536 }); // a partial write, at once

    const rest = sendAll(client, data.subarray(65_536)).then(async (accepted) => {
      await client.close();
      return accepted;
    });
    const received = recvAll(server);
    await net.run();
    expect((await rest).reduce((a, b) => a + b, 0)).toBe(200_000 - 65_536);
    expectSameBytes((await received).bytes, data);
  });

  it('receiver silly-window avoidance: reads that free less than half the buffer do not reopen the window', async () => {
    const { net, client, server } = await connectedPair({ receiveBufferBytes: 100, sendBufferBytes: 100, latencyMs: 5 });
    const start = net.now();
    expect(await client.send(pattern(100))).toBe(100); // fills the peer's buffer once it lands
    await net.run({ untilMs: start + 10 }); // landed at +5, acknowledged at +10: the send buffer is empty again
    expect(await client.send(pattern(100))).toBe(100); // ...and full again, waiting for the window
    const blocked = watch(net, client.send(pattern(50)));
    expect(await server.recv(30)).toHaveLength(30); // 30 of 100 freed: less than min(100 / 2, MSS), no update
    await net.run({ untilMs: start + 100 });
    expect(net.pending()).toBe(0);
    expect(await server.recv(30)).toHaveLength(30); // 60 freed: the window reopens (update lands at +105)...
    await net.run();
    // ...60 bytes leave and land (+110), their acknowledgement frees the send buffer (+115): the blocked send wakes.
    expect(await blocked).toEqual({ at: start + 115, value: 50 });
  });

  it('returns 0 for an empty send', async () => {
    const { client } = await connectedPair();
    expect(await client.send(new Uint8Array(0))).toBe(0);
  });
});

describe('recv: a byte stream, not messages', () => {
  it('returns fewer bytes than asked for when fewer have arrived', async () => {
    const { net, client, server } = await connectedPair();
    const start = net.now();
    await client.send(text('hello'));
    const read = watch(net, server.recv(1024));
    await net.run();
    expect(await read).toEqual({ at: start + 1, value: text('hello') });
  });

  it('wakes a waiting reader with the first segment to arrive', async () => {
    const { net, client, server } = await connectedPair({ segmentation: { kind: 'mss', size: 4 } });
    const start = net.now();
    const read = watch(net, server.recv(100));
    await client.send(text('0123456789'));
    await net.run();
    expect(await read).toEqual({ at: start + 1, value: text('0123') });
    expect(str(await server.recv(100))).toBe('456789'); // the other two segments, joined
  });

  it.each([
    { segmentation: { kind: 'whole' }, first: 5000 },
    { segmentation: { kind: 'mss', size: 1460 }, first: 1460 },
    // The first draw from seed 1 (nothing else on a jitter-free network draws before it).
    { segmentation: { kind: 'random', min: 100, max: 200 }, first: randomInt(mulberry32(1), 100, 200) },
  ] satisfies { segmentation: SegmentationPolicy; first: number }[])(
    'cuts a 5000-byte send per $segmentation: a waiting reader first gets $first bytes',
    async ({ segmentation, first }) => {
      const { net, client, server } = await connectedPair({ segmentation });
      const read = watch(net, server.recv(10_000));
      await client.send(pattern(5000));
      await net.run();
      expect(await read).toMatchObject({ value: pattern(5000).subarray(0, first) });
    },
  );

  it('times out with ETIMEDOUT and stays usable for a later recv', async () => {
    const { net, client, server } = await connectedPair();
    const start = net.now();
    const first = watch(net, server.recv(100, { timeoutMs: 50 }));
    await net.run();
    expect(await first).toEqual({ at: start + 50, code: 'ETIMEDOUT' });

    const second = watch(net, server.recv(100, { timeoutMs: 50 }));
    const late = net.sleep(20).then(() => client.send(text('late')));
    await net.run();
    await late;
    expect(await second).toEqual({ at: start + 71, value: text('late') });
  });

  it.each([
    { max: 0, options: undefined },
    { max: -1, options: undefined },
    { max: 1.5, options: undefined },
    { max: Number.NaN, options: undefined },
    { max: 10, options: { timeoutMs: -1 } },
  ])('rejects EINVAL for recv($max, $options)', async ({ max, options }) => {
    const { server } = await connectedPair();
    expect(await codeOf(server.recv(max, options))).toBe('EINVAL');
  });

  it('rejects EINVAL for a second recv while one is waiting', async () => {
    const { server } = await connectedPair();
    const first = server.recv(10);
    expect(await codeOf(server.recv(10))).toBe('EINVAL');
    await server.close();
    expect(await codeOf(first)).toBe('ECLOSED');
  });

  it('rejects EINVAL for a second send while one waits for room', async () => {
    const { net, client } = await connectedPair({ receiveBufferBytes: 10, sendBufferBytes: 10 });
    await client.send(pattern(10));
    const waiting = watch(net, client.send(pattern(5))); // window full: waits
    expect(await codeOf(client.send(pattern(1)))).toBe('EINVAL');
    await client.reset();
    await net.run();
    expect(await waiting).toMatchObject({ code: 'ECLOSED' });
  });

  it('rejects EINVAL for a second accept while one is waiting', async () => {
    const net = createSimNetwork();
    const listener = await net.transport().listen({ host: '127.0.0.1', port: 7100, backlog: 1 });
    const first = watch(net, listener.accept());
    expect(await codeOf(listener.accept())).toBe('EINVAL');
    await listener.close();
    await net.run();
    expect(await first).toMatchObject({ code: 'ECLOSED' });
  });
});

describe('close and reset', () => {
  it('is idempotent, and later calls on that end reject ECLOSED', async () => {
    const { client } = await connectedPair();
    await client.close();
    await client.close();
    await client.reset();
    expect(await codeOf(client.send(text('x')))).toBe('ECLOSED');
    expect(await codeOf(client.recv(1))).toBe('ECLOSED');
  });

  it('reset(): a waiting recv at the peer rejects ECONNRESET, a waiting send then EPIPE (reported once)', async () => {
    const { net, client, server } = await connectedPair({ receiveBufferBytes: 10, sendBufferBytes: 10 });
    const start = net.now();
    const reading = watch(net, server.recv(100));
    await server.send(pattern(10));
    const writing = watch(net, server.send(pattern(10))); // window full: waits
    await client.reset();
    await net.run();
    expect(await reading).toEqual({ at: start + 1, code: 'ECONNRESET' });
    expect(await writing).toEqual({ at: start + 1, code: 'EPIPE' }); // the error was already reported to recv
  });

  it('a close() waiting behind a full window still delivers all accepted bytes before the FIN', async () => {
    const { net, client, server } = await connectedPair({ segmentation: { kind: 'random', min: 1, max: 3000 } });
    const data = pattern(150_000);
    const sending = sendAll(client, data).then(() => client.close());
    const received = recvAll(server, 1000);
    await net.run();
    await sending;
    expectSameBytes((await received).bytes, data);
  });
});

describe('connect and listen', () => {
  it('completes the handshake in one round trip; the server end is ready half a round trip later', async () => {
    const net = quietNetwork({ latencyMs: 5 });
    const t = net.transport();
    const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
    const accepted = watch(net, listener.accept());
    const connected = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    await net.run();
    const client = await connected;
    const server = await accepted;
    expect(client.at).toBe(10);
    expect(server.at).toBe(15);
    if (!('value' in client && 'value' in server)) throw new Error('handshake failed');
    expect(client.value.local).toEqual({ host: '127.0.0.1', port: EPHEMERAL_PORT_FIRST });
    expect(client.value.remote).toEqual({ host: '127.0.0.1', port: PORT });
    expect(server.value.local).toEqual(client.value.remote);
    expect(server.value.remote).toEqual(client.value.local);
  });

  it('refuses a connection to a port nobody listens on, after one round trip', async () => {
    const net = quietNetwork({ latencyMs: 3 });
    const attempt = watch(net, net.transport().connect({ host: '127.0.0.1', port: 1234 }));
    await net.run();
    expect(await attempt).toEqual({ at: 6, code: 'ECONNREFUSED' });
  });

  it('rejects an unknown host name with ENOTFOUND at once', async () => {
    const net = createSimNetwork();
    expect(await codeOf(net.transport().connect({ host: 'no-such-host.example', port: 21 }))).toBe('ENOTFOUND');
    expect(await codeOf(net.transport().listen({ host: 'no-such-host.example', port: 21, backlog: 1 }))).toBe('ENOTFOUND');
  });

  it('times out connecting to an address no machine answers for', async () => {
    const net = createSimNetwork();
    const t = net.transport();
    const quick = watch(net, t.connect({ host: '192.0.2.1', port: 21, timeoutMs: 5000 }));
    const patient = watch(net, t.connect({ host: '192.0.2.1', port: 21 }));
    await net.run();
    expect(await quick).toEqual({ at: 5000, code: 'ETIMEDOUT' });
    expect(await patient).toEqual({ at: DEFAULT_CONNECT_TIMEOUT_MS, code: 'ETIMEDOUT' }); // the default: Linux's SYN retries run out
  });

  it('resolves names from the hosts option, all pointing at this machine', async () => {
    const net = createSimNetwork({ hosts: { 'ftp.example': '203.0.113.7' } });
    const t = net.transport();
    const listener = await t.listen({ host: '0.0.0.0', port: 21, backlog: 1 });
    const client = t.connect({ host: 'FTP.example', port: 21 });
    const server = listener.accept();
    await net.run();
    expect((await client).remote).toEqual({ host: '203.0.113.7', port: 21 });
    expect((await server).local).toEqual({ host: '203.0.113.7', port: 21 });
  });

  it('with a full backlog, drops the SYN: connect waits and completes at the SYN retry after accept() makes room', async () => {
    const net = quietNetwork();
    const t = net.transport();
    const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 0 }); // room for one
    const first = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    const second = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    await net.run({ untilMs: 100 });
    expect(await first).toMatchObject({ at: 2 });
    expect(net.listeners()).toEqual([{ host: '127.0.0.1', port: PORT, backlog: 0, queued: 1 }]);

    await listener.accept(); // room for one more, at t = 100
    await net.run();
    // The retry leaves at 1 s, and the handshake takes one round trip (2 ms).
    expect(await second).toMatchObject({ at: SYN_RETRY_FIRST_MS + 2 });
    expect(net.listeners()[0]!.queued).toBe(1);
  });

  it('with a full backlog that is never accepted, connect times out with ETIMEDOUT', async () => {
    const net = quietNetwork();
    const t = net.transport();
    await t.listen({ host: '127.0.0.1', port: PORT, backlog: 0 });
    const queued = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    const waiting = watch(net, t.connect({ host: '127.0.0.1', port: PORT, timeoutMs: 3000 }));
    await net.run();
    expect(await queued).toMatchObject({ at: 2 });
    expect(await waiting).toEqual({ at: 3000, code: 'ETIMEDOUT' });
  });

  it('retries a dropped SYN at 1 s, then 2 s; a SYN-ACK that finds the client gone frees its place', async () => {
    const net = quietNetwork({ latencyMs: 600 });
    const t = net.transport();
    await t.listen({ host: '127.0.0.1', port: PORT, backlog: 0 }); // room for one
    // SYN at 0 reaches the server at 600 and takes the only place; the SYN-ACK would come back at 1200.
    const impatient = watch(net, t.connect({ host: '127.0.0.1', port: PORT, timeoutMs: 1000 }));
    // Its SYN at 0 finds the backlog full (dropped at 600), so does the retry at 1000 (dropped at 1600:
    // the place is freed only at 1800, when the client's RST answering the late SYN-ACK arrives).
    // The retry at 2000 gets in: SYN-ACK back at 2000 + 2 * 600.
    const patient = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    await net.run();
    expect(await impatient).toEqual({ at: 1000, code: 'ETIMEDOUT' });
    expect(await patient).toMatchObject({ at: 2 * SYN_RETRY_FIRST_MS + 1200 });
  });

  it('a cancelled connect stops retrying and frees its port; its late SYN-ACK is answered with RST, freeing the place', async () => {
    const net = quietNetwork({ latencyMs: 600 });
    const t = net.transport();
    const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 0 });
    const controller = new AbortController();
    const cancelled = watch(net, t.connect({ host: '127.0.0.1', port: PORT, signal: controller.signal }));
    void net.sleep(700).then(() => controller.abort()); // its SYN took the place at 600; the SYN-ACK is on its way
    const next = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    await net.run();
    expect(await cancelled).toEqual({ at: 700, code: 'ECANCELED' });
    // RST reaches the listener at 1800: the next client's retry at 2000 gets the place.
    expect(await next).toMatchObject({ at: 2 * SYN_RETRY_FIRST_MS + 1200 });
    expect(listener.address.port).toBe(PORT);
    // Only the second client's port is in use: the cancelled one's (the first) is free again.
    const third = watch(net, t.connect({ host: '127.0.0.1', port: 1 }));
    await net.run();
    expect(await third).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it("closing a listener resets its backlog's connections and rejects a waiting accept() with ECLOSED", async () => {
    const net = createSimNetwork();
    const t = net.transport();
    const busy = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 5 });
    const idle = await t.listen({ host: '127.0.0.1', port: PORT + 1, backlog: 5 });
    const client = t.connect({ host: '127.0.0.1', port: PORT });
    await net.run();
    const waitingAccept = watch(net, idle.accept());
    await busy.close();
    await idle.close();
    const reply = watch(net, (await client).recv(100));
    await net.run();
    expect(await reply).toMatchObject({ code: 'ECONNRESET' });
    expect(await waitingAccept).toMatchObject({ code: 'ECLOSED' });
    expect(await codeOf(busy.accept())).toBe('ECLOSED');
    const again = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    await net.run();
    expect(await again).toMatchObject({ code: 'ECONNREFUSED' });
    expect(net.listeners()).toEqual([]);
  });

  it.each([
    { first: '127.0.0.1', second: '127.0.0.1', result: 'EADDRINUSE' },
    { first: 'localhost', second: '127.0.0.1', result: 'EADDRINUSE' },
    { first: '0.0.0.0', second: '127.0.0.1', result: 'EADDRINUSE' },
    { first: '127.0.0.1', second: '0.0.0.0', result: 'EADDRINUSE' },
    { first: '::1', second: '::', result: 'EADDRINUSE' },
    { first: '127.0.0.1', second: '::1', result: 'ok' },
    { first: '0.0.0.0', second: '::', result: 'ok' },
  ])('listening on $first then $second, same port: $result', async ({ first, second, result }) => {
    const t = createSimNetwork().transport();
    await t.listen({ host: first, port: PORT, backlog: 1 });
    const again = t.listen({ host: second, port: PORT, backlog: 1 });
    expect(await again.then(() => 'ok', (error: unknown) => (isTransportError(error) ? error.code : error))).toBe(result);
  });

  it('frees the port when a listener closes', async () => {
    const t = createSimNetwork().transport();
    const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
    await listener.close();
    await expect(t.listen({ host: '127.0.0.1', port: PORT, backlog: 1 })).resolves.toBeDefined();
  });

  it('rejects EADDRNOTAVAIL for an address of no interface here', async () => {
    const t = createSimNetwork().transport();
    expect(await codeOf(t.listen({ host: '10.1.2.3', port: PORT, backlog: 1 }))).toBe('EADDRNOTAVAIL');
  });

  it.each([
    { port: -1, backlog: 1 },
    { port: 65_536, backlog: 1 },
    { port: PORT, backlog: -1 },
    { port: PORT, backlog: 1.5 },
  ])('rejects EINVAL for listen on port $port with backlog $backlog', async ({ port, backlog }) => {
    const t = createSimNetwork().transport();
    expect(await codeOf(t.listen({ host: '127.0.0.1', port, backlog }))).toBe('EINVAL');
  });

  it('hands out ports from 49152 for listen({ port: 0 }) and for client ends, in order', async () => {
    const net = createSimNetwork();
    const t = net.transport();
    const a = await t.listen({ host: '127.0.0.1', port: 0, backlog: 1 });
    const b = await t.listen({ host: '::1', port: 0, backlog: 1 });
    const client = t.connect({ host: '127.0.0.1', port: a.address.port });
    await net.run();
    expect([a.address.port, b.address.port, (await client).local.port]).toEqual([49_152, 49_153, 49_154]);
  });

  it('carries a conversation over IPv6 loopback', async () => {
    const net = createSimNetwork();
    const t = net.transport();
    const listener = await t.listen({ host: '::', port: PORT, backlog: 1 });
    const clientP = t.connect({ host: '::1', port: PORT });
    const serverP = listener.accept();
    await net.run();
    const [client, server] = [await clientP, await serverP];
    expect(client.local).toEqual({ host: '::1', port: EPHEMERAL_PORT_FIRST });
    expect(server.local).toEqual({ host: '::1', port: PORT });
    await client.send(text('EPSV\r\n'));
    await net.run();
    expect(str(await server.recv(100))).toBe('EPSV\r\n');
    // '::' takes IPv6 only (IPV6_V6ONLY): an IPv4 client is refused.
    const ipv4 = watch(net, t.connect({ host: '127.0.0.1', port: PORT }));
    await net.run();
    expect(await ipv4).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('knobs and presets', () => {
  it('readDelayMs: a reader woken late finds segments that landed meanwhile joined in one read', async () => {
    /** Sizes of the reads of four 10-byte sends, 1 ms apart, by a reader always waiting in recv(). */
    async function reads(readDelayMs: number): Promise<number[]> {
      const { net, client, server } = await connectedPair({ readDelayMs, seed: 3 });
      const sizes: number[] = [];
      const reading = (async () => {
        for (let got = 0; got < 40; ) {
          const part = await server.recv(100);
          sizes.push(part.length);
          got += part.length;
        }
      })();
      const writing = (async () => {
        for (let i = 0; i < 4; i++) {
          await client.send(pattern(10));
          await net.sleep(1);
        }
      })();
      await net.run();
      await Promise.all([reading, writing]);
      return sizes;
    }
    expect(await reads(0)).toEqual([10, 10, 10, 10]);
    const late = await reads(5);
    expect(late.length).toBeLessThan(4);
    expect(late.reduce((a, b) => a + b, 0)).toBe(40);
  });

  it('LINUX_LIKE is the default; MAKE_IT_HARD makes sends partial and reads split, and still delivers every byte', async () => {
    expect({ ...DEFAULT_OPTIONS, seed: undefined, hosts: undefined }).toEqual({ ...LINUX_LIKE, seed: undefined, hosts: undefined });
    const net = createSimNetwork({ ...MAKE_IT_HARD, seed: 4 });
    const t = net.transport();
    const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
    const data = text('USER bob\r\nPASS secret\r\nLIST\r\n'.repeat(20));
    const sending = t.connect({ host: '127.0.0.1', port: PORT }).then(async (conn) => {
      const counts = await sendAll(conn, data);
      await conn.close();
      return counts;
    });
    const received = listener.accept().then((conn) => recvAll(conn, 1024));
    await net.run();
    const counts = await sending;
    const { bytes, reads } = await received;
    expectSameBytes(bytes, data);
    expect(counts.length).toBeGreaterThan(10); // a 32-byte send buffer: many partial sends
    expect(Math.max(...reads)).toBeLessThanOrEqual(64); // never more than the receive buffer
    expect(reads.length).toBeGreaterThan(10);
  });

  it('cutChance: 1 cuts every write in two, 0 (loopback) none', async () => {
    for (const [cutChance, expected] of [
      [0, [17]],
      [1, 2],
    ] as const) {
      const { net, client, server } = await connectedPair({ segmentation: { kind: 'mss', size: LOOPBACK_MSS, cutChance } });
      const read = watch(net, server.recv(100));
      await client.send(text('You are connected'));
      await net.run();
      const first = await read;
      if (!('value' in first)) throw new Error('recv failed');
      if (typeof expected === 'number') expect(first.value.length).toBeLessThan(17);
      else expect([first.value.length]).toEqual(expected);
    }
  });
});

describe('determinism', () => {
  /** A short randomised conversation, logged as (virtual time, call, result). */
  async function conversation(seed: number): Promise<string[]> {
    const net = createSimNetwork({ seed, jitterMs: 3, segmentation: { kind: 'random', min: 1, max: 700 } });
    const t = net.transport();
    const log: string[] = [];
    const note = (entry: string): void => void log.push(`${net.now()} ${entry}`);
    const server = (async () => {
      const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
      const conn = await listener.accept();
      for (;;) {
        const bytes = await conn.recv(1000);
        note(`server recv ${bytes.length} ${str(bytes).slice(0, 12)}`);
        if (bytes.length === 0) break;
        note(`server send ${await conn.send(bytes.subarray(0, 10))}`);
      }
      await conn.close();
    })();
    const client = (async () => {
      const conn = await t.connect({ host: '127.0.0.1', port: PORT });
      note(`client connected ${conn.local.port}`);
      for (const accepted of await sendAll(conn, text('x'.repeat(2500) + 'y'.repeat(2500)))) note(`client send ${accepted}`);
      await conn.close();
    })();
    await net.run();
    await Promise.all([server, client]);
    return log;
  }

  it('replays the same seed exactly: same calls, same results, same virtual times', async () => {
    const first = await conversation(42);
    expect(first.length).toBeGreaterThan(5);
    expect(await conversation(42)).toEqual(first);
  });

  it('cuts the stream differently with a different seed', async () => {
    /** The sizes of the server's reads, without their times: the cutting alone. */
    const readSizes = (log: string[]) =>
      log.filter((line) => line.includes('server recv')).map((line) => line.split(' ')[3]);
    expect(readSizes(await conversation(1))).not.toEqual(readSizes(await conversation(2)));
  });

  it('delivers every byte exactly once and in order, whatever the seed, jitter, cutting and window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 3000 }),
        async (seed, jitterMs, maxSegment, receiveBufferBytes, length, readSize) => {
          const net = createSimNetwork({
            seed,
            jitterMs,
            receiveBufferBytes,
            sendBufferBytes: receiveBufferBytes,
            segmentation: { kind: 'random', min: 1, max: maxSegment },
          });
          const t = net.transport();
          const listener = await t.listen({ host: '127.0.0.1', port: PORT, backlog: 1 });
          const data = pattern(length);
          const sending = t.connect({ host: '127.0.0.1', port: PORT }).then(async (conn) => {
            await sendAll(conn, data);
            await conn.close();
          });
          const received = listener.accept().then((conn) => recvAll(conn, readSize));
          await net.run();
          await sending;
          expectSameBytes((await received).bytes, data);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('limits', () => {
  it.each([
    { name: 'receiveBufferBytes = MAX_RECEIVE_BUFFER_BYTES', options: { receiveBufferBytes: MAX_RECEIVE_BUFFER_BYTES }, ok: true },
    { name: 'receiveBufferBytes above MAX_RECEIVE_BUFFER_BYTES', options: { receiveBufferBytes: MAX_RECEIVE_BUFFER_BYTES + 1 }, ok: false },
    { name: 'receiveBufferBytes 0', options: { receiveBufferBytes: 0 }, ok: false },
    { name: 'sendBufferBytes = MAX_SEND_BUFFER_BYTES', options: { sendBufferBytes: MAX_SEND_BUFFER_BYTES }, ok: true },
    { name: 'sendBufferBytes above MAX_SEND_BUFFER_BYTES', options: { sendBufferBytes: MAX_SEND_BUFFER_BYTES + 1 }, ok: false },
    { name: 'fractional readDelayMs', options: { readDelayMs: 0.5 }, ok: false },
    { name: 'cutChance above 1', options: { segmentation: { kind: 'mss', size: 100, cutChance: 1.5 } }, ok: false },
    { name: 'mss = MAX_SEGMENT_BYTES', options: { segmentation: { kind: 'mss', size: MAX_SEGMENT_BYTES } }, ok: true },
    { name: 'mss above MAX_SEGMENT_BYTES', options: { segmentation: { kind: 'mss', size: MAX_SEGMENT_BYTES + 1 } }, ok: false },
    { name: 'mss 0', options: { segmentation: { kind: 'mss', size: 0 } }, ok: false },
    { name: 'random max above MAX_SEGMENT_BYTES', options: { segmentation: { kind: 'random', min: 1, max: MAX_SEGMENT_BYTES + 1 } }, ok: false },
    { name: 'random min above max', options: { segmentation: { kind: 'random', min: 10, max: 5 } }, ok: false },
    { name: 'fractional latencyMs', options: { latencyMs: 0.5 }, ok: false },
    { name: 'negative jitterMs', options: { jitterMs: -1 }, ok: false },
    { name: 'infinite connectTimeoutMs', options: { connectTimeoutMs: Number.POSITIVE_INFINITY }, ok: false },
    { name: 'fractional seed', options: { seed: 1.5 }, ok: false },
    { name: 'a host that is not an IP address', options: { hosts: { broken: 'not-an-address' } }, ok: false },
  ] satisfies { name: string; options: SimOptions; ok: boolean }[])('options: $name is accepted: $ok (else EINVAL)', ({ options, ok }) => {
    const make = () => createSimNetwork(options);
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('MAX_SEGMENTS_IN_FLIGHT: no more segments than that travel at once; the rest wait in the send buffer', async () => {
    const { net, client, server } = await connectedPair({
      receiveBufferBytes: 1024 * 1024,
      segmentation: { kind: 'mss', size: 1 },
    });
    const data = pattern(MAX_SEGMENTS_IN_FLIGHT + 5000);
    expect(await client.send(data)).toBe(data.length); // the send buffer takes it all
    const inFlight = () => (client as unknown as { out: { segmentsInFlight: number } }).out.segmentsInFlight;
    expect(inFlight()).toBe(MAX_SEGMENTS_IN_FLIGHT);
    await net.run({ maxEvents: 1 }); // one segment lands: one more leaves
    expect(inFlight()).toBe(MAX_SEGMENTS_IN_FLIGHT);
    await net.run();
    expect(await server.recv(data.length)).toHaveLength(data.length);
  });

  it('MAX_PENDING_EVENTS: scheduling one more event than that throws', () => {
    const scheduler = new Scheduler();
    const nothing = (): void => undefined;
    for (let i = 0; i < MAX_PENDING_EVENTS; i++) scheduler.at(i, nothing);
    expect(scheduler.pending()).toBe(MAX_PENDING_EVENTS);
    expect(() => scheduler.at(0, nothing)).toThrow(RangeError);
  });

  it.each([
    { asked: MAX_BACKLOG * 10, capacity: MAX_BACKLOG },
    { asked: 5, capacity: 5 },
    { asked: 0, capacity: 0 },
  ])('MAX_BACKLOG: listen(backlog $asked) keeps backlog $capacity (and lets one more wait)', async ({ asked, capacity }) => {
    const net = createSimNetwork();
    await net.transport().listen({ host: '127.0.0.1', port: PORT, backlog: asked });
    expect(net.listeners()[0]!.backlog).toBe(capacity);
  });

  it('EPHEMERAL_PORT_FIRST..LAST: when every one is taken, port 0 fails EADDRINUSE and connect EADDRNOTAVAIL', async () => {
    const net = createSimNetwork();
    const t = net.transport();
    const count = EPHEMERAL_PORT_LAST - EPHEMERAL_PORT_FIRST + 1;
    const listeners: Listener[] = [];
    for (let i = 0; i < count; i++) listeners.push(await t.listen({ host: '127.0.0.1', port: 0, backlog: 1 }));
    expect(listeners.at(-1)!.address.port).toBe(EPHEMERAL_PORT_LAST);
    expect(await codeOf(t.listen({ host: '127.0.0.1', port: 0, backlog: 1 }))).toBe('EADDRINUSE');
    expect(await codeOf(t.connect({ host: '127.0.0.1', port: EPHEMERAL_PORT_FIRST }))).toBe('EADDRNOTAVAIL');
    await listeners[7]!.close();
    expect((await t.listen({ host: '127.0.0.1', port: 0, backlog: 1 })).address.port).toBe(EPHEMERAL_PORT_FIRST + 7);
  });
});

describe('run()', () => {
  it('stops at untilMs and leaves the clock there; maxEvents stops after that many events', async () => {
    const net = createSimNetwork();
    const woke: number[] = [];
    for (const ms of [10, 20, 30]) void net.sleep(ms).then(() => woke.push(net.now()));
    await net.run({ untilMs: 25 });
    expect([woke, net.now(), net.pending()]).toEqual([[10, 20], 25, 1]);
    await net.run({ maxEvents: 0 });
    expect(woke).toEqual([10, 20]);
    await net.run();
    expect([woke, net.now(), net.pending()]).toEqual([[10, 20, 30], 30, 0]);
  });

  it("fires the transport clock's timers inside run() on the virtual clock; a cleared timer never fires and leaves nothing pending", async () => {
    const net = createSimNetwork();
    const { clock } = net.transport();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(net.now()), 2000);
    const cleared = clock.setTimeout(() => fired.push(-1), 1000);
    clock.clearTimeout(cleared);
    expect(fired).toEqual([]); // nothing moves outside run()
    const wall = performance.now();
    await net.run();
    expect(performance.now() - wall).toBeLessThan(1000);
    expect([fired, net.pending()]).toEqual([[2000], 0]);
  });

  it('refuses to run twice at once', async () => {
    const net = createSimNetwork();
    const first = net.run();
    await expect(net.run()).rejects.toThrow(/already running/);
    await first;
  });
});
