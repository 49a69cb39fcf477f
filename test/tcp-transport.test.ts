// The real-socket transport on real sockets: what only it has (Node's errors,
// its limits, peers that are not ours). Stream semantics shared with the
// simulated network are in test/transport/contract.test.ts. Every server
// listens on a loopback address (127.0.0.1 or ::1) with port 0 and is closed
// by its test; no test sends anything off this machine.
import { connect as netConnect, createServer, type LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportErrorCode } from '../runtime/transport/errors.ts';
import type { Connection, Listener, Transport } from '../runtime/transport/types.ts';
import {
  RECEIVE_HIGH_WATER_MARK,
  SEND_BUFFER_BYTES,
  TcpConnection,
  createTcpTransport,
  type TcpTransportOptions,
} from '../runtime/transport/tcp.ts';
import { hostPort, isInvalidName, plainAddress } from '../runtime/transport/tcp/addresses.ts';
import { resolveLimits } from '../runtime/transport/tcp/limits.ts';
import { fromNodeError } from '../runtime/transport/tcp/node-errors.ts';
import { run } from './helpers/processes.ts';
import { needTool } from './helpers/require-tool.ts';
import { ReceiveBuffer } from '../runtime/transport/tcp/receive-buffer.ts';

/** Node reads a socket in chunks of at most this many bytes (libuv's read buffer). */
const NODE_READ_CHUNK = 64 * 1024;

const text = (s: string) => new TextEncoder().encode(s);
const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
/** Equal bytes? (toEqual on a megabyte walks it element by element: seconds.) */
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- bookkeeping: whatever a test opens is closed after it ---------------

const opened: { close(): Promise<void> }[] = [];
function track<T extends { close(): Promise<void> }>(thing: T): T {
  opened.push(thing);
  return thing;
}

/** TCP handles still open in this process: none may outlive a test. */
function tcpHandles(): string[] {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP'));
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((thing) => thing.close().catch(() => {})));
  expect(tcpHandles()).toEqual([]);
});

async function expectCode(promise: Promise<unknown>, code: TransportErrorCode): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'TransportError', code });
}

/** A listener on `host`, a client connected to it, and the server's end of that connection. */
async function pair(transport: Transport = createTcpTransport(), host = '127.0.0.1') {
  const listener = track(await transport.listen({ host, port: 0, backlog: 5 }));
  const [client, server] = await Promise.all([
    transport.connect({ host, port: listener.address.port }),
    listener.accept(),
  ]);
  return { listener, client: track(client), server: track(server) };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
  return bytes;
}

/** recv(max) until end of data; also reports the largest single read. */
/** Python's sendall(): send() takes at most a chunk, so offer the rest until all of it is taken. */
async function sendAll(conn: Connection, bytes: Uint8Array): Promise<number> {
  let sent = 0;
  while (sent < bytes.length) sent += await conn.send(bytes.subarray(sent));
  return sent;
}

async function readToEnd(conn: Connection, max: number): Promise<{ bytes: Uint8Array; largest: number }> {
  const parts: Uint8Array[] = [];
  for (let part = await conn.recv(max); part.length > 0; part = await conn.recv(max)) parts.push(part);
  return { bytes: concat(parts), largest: Math.max(0, ...parts.map((p) => p.length)) };
}

async function waitUntil(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  for (const deadline = Date.now() + ms; !condition(); await sleep(5)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
  }
}

/** Whether this machine lets us bind ::1 (some containers have no IPv6 loopback). */
async function canBind(host: string): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, host, () => server.close(() => resolve(true)));
  });
}
const ipv6 = await canBind('::1');

// ---- pure pieces ---------------------------------------------------------

describe('tcp transport pieces', () => {
  it('receive buffer: takes up to max, across chunks, as plain Uint8Arrays', () => {
    const buffer = new ReceiveBuffer();
    buffer.push(Buffer.from([1, 2, 3]));
    buffer.push(new Uint8Array(0));
    buffer.push(Buffer.from([4, 5]));
    const table: [number, number[]][] = [
      [2, [1, 2]],
      [2, [3, 4]],
      [10, [5]],
      [10, []],
    ];
    for (const [max, expected] of table) {
      const taken = buffer.take(max);
      expect(Object.getPrototypeOf(taken)).toBe(Uint8Array.prototype);
      expect(taken).toEqual(new Uint8Array(expected));
    }
    expect(buffer.size).toBe(0);
  });

  it('receive buffer: recv_into gathers bytes from several chunks in the buffer given; one chunk is still a view of it', () => {
    const buffer = new ReceiveBuffer();
    const into = new Uint8Array(8);
    const last = new Uint8Array([4, 5]);
    buffer.push(new Uint8Array([1, 2, 3]));
    buffer.push(last);
    const across = buffer.take(4, into);
    expect(across).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(across.buffer).toBe(into.buffer);
    expect(Object.getPrototypeOf(across)).toBe(Uint8Array.prototype);
    // One chunk holds them all: a view of that chunk, nothing copied.
    const single = buffer.take(8, into);
    expect(single).toEqual(new Uint8Array([5]));
    expect(single.buffer).toBe(last.buffer);
    // A buffer smaller than what is asked for is not used.
    buffer.push(Buffer.from([6]));
    buffer.push(Buffer.from([7]));
    const small = new Uint8Array(1);
    const fresh = buffer.take(2, small);
    expect(fresh).toEqual(new Uint8Array([6, 7]));
    expect(fresh.buffer).not.toBe(small.buffer);
  });

  it('maps Node error codes, keeping the raw code in the message', () => {
    const table: [string, TransportErrorCode][] = [
      ['ECONNREFUSED', 'ECONNREFUSED'],
      ['ECONNRESET', 'ECONNRESET'],
      ['EPIPE', 'EPIPE'],
      ['EADDRINUSE', 'EADDRINUSE'],
      ['EADDRNOTAVAIL', 'EADDRNOTAVAIL'],
      ['EACCES', 'EACCES'],
      ['ENOTFOUND', 'ENOTFOUND'],
      ['EAI_AGAIN', 'ENOTFOUND'],
      ['EAI_NONAME', 'ENOTFOUND'],
      ['ERR_SOCKET_BAD_PORT', 'EINVAL'],
      ['ENETUNREACH', 'EHOSTUNREACH'],
      ['EMFILE', 'EMFILE'],
      ['ENOBUFS', 'ECONNREFUSED'], // no counterpart: the caller's fallback
    ];
    for (const [raw, code] of table) {
      const error = fromNodeError(Object.assign(new Error(`connect ${raw} 10.0.0.1:21`), { code: raw }), 'ECONNREFUSED', 'connect');
      expect([raw, error.code, error.message]).toEqual([raw, code, `connect: connect ${raw} 10.0.0.1:21`]);
    }
  });

  it('addresses: IPv4-mapped IPv6 shown as IPv4, .invalid names refused, IPv6 in brackets', () => {
    expect(['::ffff:127.0.0.1', '::FFFF:10.1.2.3', '::1', '127.0.0.1', '::ffff:abcd'].map(plainAddress)).toEqual([
      '127.0.0.1', '10.1.2.3', '::1', '127.0.0.1', '::ffff:abcd',
    ]);
    expect(['no-such-host.invalid', 'INVALID', 'x.invalid.', 'invalid.example', 'localhost'].map(isInvalidName)).toEqual([
      true, true, true, false, false,
    ]);
    expect([hostPort('::1', 21), hostPort('127.0.0.1', 21)]).toEqual(['[::1]:21', '127.0.0.1:21']);
  });

  it('limits must be positive integers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => resolveLimits({ receiveHighWaterMark: bad })).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    }
  });

  it('now() is a monotonic millisecond clock', () => {
    const transport = createTcpTransport();
    const [a, b] = [transport.now(), transport.now()];
    expect(transport.kind).toBe('tcp');
    expect(b).toBeGreaterThanOrEqual(a);
  });
});

// ---- conversations -------------------------------------------------------

describe('tcp transport: conversations', () => {
  it('greets over IPv4 loopback, with both endpoints known to both ends', async () => {
    const { listener, client, server } = await pair();
    expect(await client.send(text('hello\n'))).toBe(6);
    const got = await server.recv(1024);
    expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype);
    expect(got).toEqual(text('hello\n'));
    expect(listener.address).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    expect(client.remote).toEqual(listener.address);
    expect(server.local).toEqual(listener.address);
    expect(server.remote).toEqual(client.local);
    expect(client.local.host).toBe('127.0.0.1');
  });

  it(ipv6 ? 'greets over IPv6 loopback' : 'greets over IPv6 loopback (SKIPPED: ::1 cannot be bound on this machine)', async (ctx) => {
    if (!ipv6) return ctx.skip();
    const { listener, client, server } = await pair(createTcpTransport(), '::1');
    await server.send(text('220 hi\r\n'));
    expect(await client.recv(1024)).toEqual(text('220 hi\r\n'));
    expect(listener.address.host).toBe('::1');
    expect(server.remote).toEqual(client.local);
  });

  it('listens and connects by the name localhost', async () => {
    const { listener, client, server } = await pair(createTcpTransport(), 'localhost');
    expect(['127.0.0.1', '::1']).toContain(listener.address.host);
    await client.send(text('x'));
    expect(await server.recv(1)).toEqual(text('x'));
  });

  it('one recv and one send at a time; the second rejects EINVAL', async () => {
    const { client, server } = await pair(createTcpTransport({ sendBufferBytes: 1024 }));
    const first = server.recv(10);
    await expectCode(server.recv(10), 'EINVAL');
    await client.send(text('1'));
    expect(await first).toEqual(text('1'));
    // The server never reads: once the kernel's buffers and Node's 1 KiB are full, a send waits, and a second one is refused.
    let sending = client.send(new Uint8Array(1024));
    while ((await Promise.race([sending, sleep(100).then(() => 'waiting')])) !== 'waiting') sending = client.send(new Uint8Array(1024));
    await expectCode(client.send(text('3')), 'EINVAL');
    await client.reset();
    await expectCode(sending, 'ECLOSED');
  });

  it('half-close with a plain node:net peer: our shutdown() is its end of data, and its reply still arrives', async () => {
    const transport = createTcpTransport();
    const listener = track(await transport.listen({ host: '127.0.0.1', port: 0, backlog: 1 }));
    const peer = netConnect({ host: '127.0.0.1', port: listener.address.port, allowHalfOpen: true });
    const heard: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => heard.push(chunk));
    peer.on('end', () => peer.end('got ' + Buffer.concat(heard).toString()));
    const closed = new Promise((resolve) => peer.once('close', resolve));
    const server = track(await listener.accept());
    await server.send(text('request'));
    await server.shutdown();
    expect(new TextDecoder().decode((await readToEnd(server, 100)).bytes)).toBe('got request');
    await closed;
  });

  it("half-close by a plain node:net peer (Python's shutdown(SHUT_WR)): we read to end of data, then answer", async () => {
    const transport = createTcpTransport();
    const listener = track(await transport.listen({ host: '127.0.0.1', port: 0, backlog: 1 }));
    const peer = netConnect({ host: '127.0.0.1', port: listener.address.port, allowHalfOpen: true });
    const reply: Buffer[] = [];
    peer.on('data', (chunk: Buffer) => reply.push(chunk));
    const closed = new Promise((resolve) => peer.once('close', resolve));
    peer.end('LIST\r\n');
    const server = track(await listener.accept());
    expect(new TextDecoder().decode((await readToEnd(server, 100)).bytes)).toBe('LIST\r\n');
    await server.send(text('a.txt\r\n'));
    await server.close();
    await closed;
    expect(Buffer.concat(reply).toString()).toBe('a.txt\r\n');
  });
});

const python = needTool('python3', 'python3');
python.describe('tcp transport: a Python peer', () => {
  it('half-close by Python: its shutdown(SHUT_WR) is our end of data, and it still reads our reply', async () => {
    const transport = createTcpTransport();
    const listener = track(await transport.listen({ host: '127.0.0.1', port: 0, backlog: 1 }));
    const script = [
      'import socket, sys',
      `s = socket.create_connection(("127.0.0.1", ${listener.address.port}))`,
      's.sendall(b"LIST\\r\\n")',
      's.shutdown(socket.SHUT_WR)',
      'reply = b""',
      'while True:',
      '    part = s.recv(100)',
      '    if not part: break',
      '    reply += part',
      'sys.stdout.write(reply.decode())',
    ].join('\n');
    const client = run('python3', ['-c', script]);
    const server = track(await listener.accept());
    expect(new TextDecoder().decode((await readToEnd(server, 100)).bytes)).toBe('LIST\r\n');
    await server.send(text('a.txt\r\n'));
    await server.close();
    expect(await client).toMatchObject({ code: 0, stdout: 'a.txt\r\n', stderr: '' });
  });
});

// ---- what real TCP cannot tell apart -------------------------------------

describe('tcp transport: a reset that looks like end of data', () => {
  it('detects it while this end can still write: a zero-length write collects the reset the kernel holds', async () => {
    // The contract suite has the full case (400,000 bytes, then reset); here the bare mechanism.
    const { client, server } = await pair(createTcpTransport({ receiveHighWaterMark: 16 * 1024 }));
    await sendAll(client, pattern(400_000));
    await sleep(50);
    await client.reset();
    await sleep(300);
    let received = 0;
    const error = await (async () => {
      for (let part = await server.recv(65_536); part.length > 0; part = await server.recv(65_536)) received += part.length;
    })().then(() => 'end of data', (e: { code: string }) => e.code);
    expect([error, received < 400_000]).toEqual(['ECONNRESET', true]);
  });

  it('PINNED (Node cannot tell): after our own shutdown(), a reset behind unread data reads as a clean end of data', async () => {
    // libuv reports end of data without a last read (POLLHUP after a short
    // read), so Node emits 'end' and no 'error'; the only way left to ask
    // the kernel is a write, which shutdown() has ruled out. ARCHITECTURE.md,
    // "What real TCP can tell apart", says so. If this starts failing with
    // ECONNRESET, Node has learned to tell: make it the contract.
    const { client, server } = await pair(createTcpTransport({ receiveHighWaterMark: 16 * 1024 }));
    await server.shutdown();
    await sendAll(client, pattern(400_000));
    await sleep(50);
    await client.reset();
    await sleep(300);
    let received = 0;
    const outcome = await (async () => {
      for (let part = await server.recv(65_536); part.length > 0; part = await server.recv(65_536)) received += part.length;
    })().then(() => 'end of data', (e: { code: string }) => e.code);
    expect([outcome, received < 400_000]).toEqual(['end of data', true]);
  });
});

// ---- failures ------------------------------------------------------------

describe('tcp transport: failures', () => {
  it('unknown host: .invalid names fail at once, resolver failures map to ENOTFOUND', async () => {
    const transport = createTcpTransport();
    await expectCode(transport.connect({ host: 'no-such-host.invalid', port: 21 }), 'ENOTFOUND');
    await expectCode(transport.listen({ host: 'no-such-host.invalid', port: 0, backlog: 1 }), 'ENOTFOUND');
    const failing: LookupFunction = (_host, _options, callback) =>
      callback(Object.assign(new Error('getaddrinfo EAI_AGAIN ftp.example'), { code: 'EAI_AGAIN' }), '', 4);
    await expectCode(createTcpTransport({ lookup: failing }).connect({ host: 'ftp.example', port: 21 }), 'ENOTFOUND');
  });

  it('EADDRINUSE for a port already listened on, EADDRNOTAVAIL for an address not ours', async () => {
    const transport = createTcpTransport();
    const listener = track(await transport.listen({ host: '127.0.0.1', port: 0, backlog: 1 }));
    await expectCode(transport.listen({ host: '127.0.0.1', port: listener.address.port, backlog: 1 }), 'EADDRINUSE');
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): assigned to no machine. Binding sends nothing.
    await expectCode(transport.listen({ host: '192.0.2.1', port: 0, backlog: 1 }), 'EADDRNOTAVAIL');
  });

  it('EINVAL for ports out of range and other bad arguments, before Node is asked', async () => {
    const transport = createTcpTransport();
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      await expectCode(transport.listen({ host: '127.0.0.1', port, backlog: 1 }), 'EINVAL');
      await expectCode(transport.connect({ host: '127.0.0.1', port }), 'EINVAL');
    }
    await expectCode(transport.connect({ host: '127.0.0.1', port: 0 }), 'EINVAL');
    await expectCode(transport.connect({ host: '127.0.0.1', port: 21, timeoutMs: -1 }), 'EINVAL');
    await expectCode(transport.listen({ host: '127.0.0.1', port: 0, backlog: -1 }), 'EINVAL');
    const { client } = await pair(transport);
    await expectCode(client.recv(0), 'EINVAL');
    await expectCode(client.recv(10, { timeoutMs: Number.NaN }), 'EINVAL');
    await expectCode(client.send('text' as unknown as Uint8Array), 'EINVAL');
  });

});

// ---- closing -------------------------------------------------------------

describe('tcp transport: closing', () => {
  it('close is idempotent; send and recv after it reject ECLOSED; the peer sees end of data', async () => {
    const { client, server } = await pair();
    const waiting = expectCode(client.recv(10), 'ECLOSED');
    const first = client.close();
    expect(client.close()).toBe(first);
    await first;
    await waiting;
    await expectCode(client.send(text('x')), 'ECLOSED');
    await expectCode(client.recv(10), 'ECLOSED');
    await expect(client.reset()).resolves.toBeUndefined();
    expect(await server.recv(10)).toEqual(new Uint8Array(0));
  });

  it('listener close: a waiting accept rejects ECLOSED; accepted connections stay open', async () => {
    const { listener, client, server } = await pair();
    const waiting = expectCode(listener.accept(), 'ECLOSED');
    await expectCode(listener.accept(), 'EINVAL'); // one accept at a time
    const closing = listener.close();
    expect(listener.close()).toBe(closing);
    await closing;
    await waiting;
    await expectCode(listener.accept(), 'ECLOSED');
    await client.send(text('still here'));
    expect(await server.recv(100)).toEqual(text('still here'));
  });

  it('listener close resets connections that were never accepted', async () => {
    const transport = createTcpTransport();
    const listener = track(await transport.listen({ host: '127.0.0.1', port: 0, backlog: 5 }));
    const waiting = track(await transport.connect({ host: '127.0.0.1', port: listener.address.port }));
    await listener.close();
    await expectCode(waiting.recv(10), 'ECONNRESET');
  });

  it('close resets the connection when queued bytes cannot leave within the flush limit', async () => {
    const { client, server } = await pair(createTcpTransport({ closeFlushLimitMs: 100 }));
    // The server never reads: its buffers and the kernel's fill, and the send stays pending.
    const sending = expectCode(sendAll(client, new Uint8Array(32 * 1024 * 1024)), 'ECLOSED');
    await waitUntil(() => (server as TcpConnection).readingPaused, 'the server stopped reading');
    const started = performance.now();
    await client.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    await sending;
  });
});

// ---- limits --------------------------------------------------------------

describe('tcp transport: limits', () => {
  it('accept queue limit: a connection beyond it is reset', async () => {
    const transport = createTcpTransport({ acceptQueueLimit: 1 });
    const listener = track(await transport.listen({ host: '127.0.0.1', port: 0, backlog: 5 }));
    const port = listener.address.port;
    const first = track(await transport.connect({ host: '127.0.0.1', port }));
    // The reset may overtake the end of the handshake, failing connect() itself.
    const second = transport.connect({ host: '127.0.0.1', port }).then((conn) => track(conn).recv(10));
    await expectCode(second, 'ECONNRESET');
    const accepted = track(await listener.accept());
    expect(accepted.remote).toEqual(first.local);
  });

  it.each([
    [SEND_BUFFER_BYTES, 200_000, 200_000],
    [SEND_BUFFER_BYTES, SEND_BUFFER_BYTES + 200_000, SEND_BUFFER_BYTES],
    [1000, 200_000, 1000],
    [1000, 999, 999],
  ])('send buffer %i: an offer of %i bytes to an empty buffer is taken %i at once', async (limit, offered, taken) => {
    const { client, server } = await pair(createTcpTransport({ sendBufferBytes: limit }));
    const bytes = pattern(offered);
    expect(await client.send(bytes)).toBe(taken);
    await client.close();
    const received = await readToEnd(server, 65536);
    expect(sameBytes(received.bytes, bytes.subarray(0, taken))).toBe(true);
  });

  it('receive high-water mark: an unread flood pauses reading, recv resumes it', async () => {
    const { client, server } = await pair();
    // More than the mark and both kernel buffers (several MB each on loopback) together.
    const flood = pattern(4 * RECEIVE_HIGH_WATER_MARK + 16 * 1024 * 1024);
    const sending = sendAll(client, flood);
    const end = server as TcpConnection;
    await waitUntil(() => end.readingPaused, 'reading paused');
    const buffered = end.bufferedBytes;
    expect(buffered).toBeGreaterThan(RECEIVE_HIGH_WATER_MARK);
    expect(buffered).toBeLessThanOrEqual(RECEIVE_HIGH_WATER_MARK + NODE_READ_CHUNK);
    await sleep(100);
    expect(end.bufferedBytes).toBe(buffered); // nothing more was read while paused
    // Reading resumes once recv() brings the buffer down to half the mark.
    const first: Uint8Array[] = [];
    while (end.bufferedBytes > RECEIVE_HIGH_WATER_MARK / 2) {
      expect(end.readingPaused).toBe(true);
      first.push(await server.recv(16 * 1024));
    }
    expect(end.readingPaused).toBe(false);
    const [accepted, rest] = await Promise.all([
      sending.then(async (n) => (await client.close(), n)),
      readToEnd(server, 64 * 1024),
    ]);
    const received = concat([...first, rest.bytes]);
    expect(accepted).toBe(flood.length);
    expect(received.length).toBe(flood.length);
    expect(sameBytes(received, flood)).toBe(true);
  });
});
