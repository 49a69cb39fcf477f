/**
 * The transport contract: one table of stream-semantics cases, each run on
 * the simulated network and on real TCP over 127.0.0.1. A case that real
 * TCP cannot show on loopback checks the simulated network against a
 * recorded Linux figure (linux-figures.ts says how each was measured) and
 * what our TCP transport does instead.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECT_TIMEOUT_MS as TCP_DEFAULT_CONNECT_TIMEOUT_MS } from '../../runtime/transport/tcp.ts';
import { DEFAULT_OPTIONS } from '../../runtime/transport/sim/index.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../../runtime/transport/linux.ts';
import type { Connection, SendOptions } from '../../runtime/transport/types.ts';
import {
  codeOf,
  expectSameBytes,
  NETS,
  on,
  pattern,
  recvAll,
  sendAll,
  settle,
  SILENT_HOST,
  str,
  text,
  type CaseOptions,
  type Net,
} from './harness.ts';
import { LINUX } from './linux-figures.ts';

const EMPTY = new Uint8Array(0);
/** Long enough for loopback to deliver what was sent (real ms on TCP; virtual, free, on sim). */
const SETTLE_MS = 100;

interface ContractCase {
  name: string;
  options?: CaseOptions;
  run(net: Net): Promise<void>;
}

/**
 * Send until a send() finds no room: the peer never reads, so the buffers
 * fill. Each call gets `options`. Returns the bytes accepted before, and the
 * send() still waiting for room.
 */
async function blockedSend(net: Net, client: Connection, options: SendOptions): Promise<{ accepted: number; pending: Promise<number> }> {
  const chunk = pattern(1024 * 1024);
  let accepted = 0;
  for (;;) {
    const pending = client.send(chunk, options);
    const first = await Promise.race([settle(pending), net.sleep(SETTLE_MS).then(() => null)]);
    if (first === null) return { accepted, pending };
    if (!('value' in first)) throw new Error(`send failed with ${first.code} before the buffers filled`);
    accepted += first.value;
  }
}

const CASES: ContractCase[] = [
  // ---- a byte stream, not messages -----------------------------------------
  {
    name: 'partial send: an offer larger than the send buffer is accepted in part; sendall delivers every byte in order',
    async run(net) {
      const { client, server } = await net.pair();
      const data = pattern(8 * 1024 * 1024);
      const first = await client.send(data);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(data.length);
      const sending = sendAll(client, data.subarray(first)).then(() => client.close());
      const got = await recvAll(server);
      await sending;
      expectSameBytes(got.bytes, data);
    },
  },
  {
    name: 'send buffer: a 200,000-byte send() to a reader that keeps up is accepted whole, as on Linux',
    async run(net) {
      const { client, server } = await net.pair();
      const reading = recvAll(server);
      expect(await client.send(pattern(200_000))).toBe(200_000);
      await client.close();
      expect((await reading).bytes.length).toBe(200_000);
    },
  },
  {
    name: 'split: one send read in pieces, recv never returns more than max',
    async run(net) {
      const { client, server } = await net.pair();
      await client.send(text('0123456789'));
      await net.sleep(SETTLE_MS);
      expect(str(await server.recv(4))).toBe('0123');
      expect(str(await server.recv(100))).toBe('456789');
    },
  },
  {
    name: 'joined: two sends that have both arrived come back in one recv',
    async run(net) {
      const { client, server } = await net.pair();
      await client.send(text('US'));
      await client.send(text('ER bob\r\n'));
      await net.sleep(SETTLE_MS);
      expect(str(await server.recv(1024))).toBe('USER bob\r\n');
    },
  },
  {
    name: "send copies the caller's bytes: a Node Buffer refilled after send() does not change what was sent",
    async run(net) {
      const { client, server } = await net.pair();
      const buffer = Buffer.alloc(8);
      buffer.fill('A');
      expect(await client.send(buffer)).toBe(8);
      buffer.fill('B');
      expect(await client.send(buffer)).toBe(8);
      await client.close();
      expect(str((await recvAll(server)).bytes)).toBe('AAAAAAAABBBBBBBB');
    },
  },
  {
    name: 'end of data: an empty read, every time; the other direction stays open (half-close by the peer)',
    async run(net) {
      const { client, server } = await net.pair();
      await client.send(text('bye'));
      await client.close();
      await net.sleep(SETTLE_MS);
      expect(str(await server.recv(10))).toBe('bye');
      for (let i = 0; i < 3; i++) expect(await server.recv(10)).toEqual(EMPTY);
      expect(await server.send(text('ok'))).toBe(2);
    },
  },
  {
    name: 'shutdown: a client says "done sending" and still reads the reply',
    async run(net) {
      const { client, server } = await net.pair();
      await client.send(text('LIST\r\n'));
      await client.shutdown();
      await client.shutdown(); // idempotent
      expect(await codeOf(client.send(text('more')))).toBe('EPIPE');
      const request = await recvAll(server, 100);
      expect(str(request.bytes)).toBe('LIST\r\n');
      await server.send(text('a.txt\r\nb.txt\r\n'));
      await server.close();
      expect(str((await recvAll(client)).bytes)).toBe('a.txt\r\nb.txt\r\n');
    },
  },

  // ---- resets ---------------------------------------------------------------
  {
    name: 'reset: the reader first gets the bytes that had arrived, then ECONNRESET once, then end of data; send fails EPIPE',
    async run(net) {
      const { client, server } = await net.pair();
      await client.send(text('never read'));
      await net.sleep(SETTLE_MS);
      await client.reset();
      await net.sleep(SETTLE_MS);
      expect(str(await server.recv(100))).toBe('never read');
      expect(await codeOf(server.recv(100))).toBe('ECONNRESET');
      expect(await server.recv(100)).toEqual(EMPTY);
      expect(await codeOf(server.send(text('x')))).toBe('EPIPE');
    },
  },
  {
    name: 'reset behind unread data (400,000 bytes, then reset): the reader gets what arrived, then ECONNRESET, never a clean end',
    // Our TCP end reads ahead of recv() up to its high-water mark; a small one leaves the rest with the kernel, as Python's reader does.
    options: { tcp: { receiveHighWaterMark: 16 * 1024 } },
    async run(net) {
      const { client, server } = await net.pair();
      await sendAll(client, pattern(400_000));
      await net.sleep(50);
      await client.reset();
      await net.sleep(3 * SETTLE_MS);
      let received = 0;
      const outcome = await settle(
        (async () => {
          for (let part = await server.recv(65_536); part.length > 0; part = await server.recv(65_536)) received += part.length;
        })(),
      );
      expect(outcome).toEqual({ code: 'ECONNRESET' });
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(400_000);
    },
  },
  {
    name: "FIN, then RST: the reader saw end of data; the writer's send after the peer's RST fails EPIPE (Linux, CLOSE_WAIT)",
    async run(net) {
      const { client, server } = await net.pair();
      await server.close();
      await net.sleep(SETTLE_MS);
      expect(await client.recv(100)).toEqual(EMPTY);
      expect(await client.send(text('anyone there?'))).toBe(13); // the FIN only closed the peer's sending side
      await net.sleep(SETTLE_MS); // ...but the peer is gone, and answers with RST
      expect(await codeOf(client.send(text('hello?')))).toBe('EPIPE');
      expect(await codeOf(client.send(text('hello?')))).toBe('EPIPE');
      expect(await client.recv(100)).toEqual(EMPTY);
    },
  },
  {
    name: 'RST, then nothing: a waiting recv rejects ECONNRESET',
    async run(net) {
      const { client, server } = await net.pair();
      const waiting = settle(server.recv(100));
      await net.sleep(10);
      await client.reset();
      expect(await waiting).toEqual({ code: 'ECONNRESET' });
    },
  },
  {
    name: 'close() with unread bytes sends RST (RFC 2525, 2.17): the peer sees ECONNRESET, not end of data',
    async run(net) {
      const { client, server } = await net.pair();
      await client.send(text('RETR big.iso\r\n'));
      await net.sleep(SETTLE_MS);
      const reply = settle(client.recv(100));
      await server.close();
      expect(await reply).toEqual({ code: 'ECONNRESET' });
    },
  },

  // ---- connecting -------------------------------------------------------------
  {
    name: 'refused: nothing listens on that port',
    async run(net) {
      const listener = await net.listen();
      const { port } = listener.address;
      await listener.close();
      expect(await codeOf(net.transport.connect({ host: '127.0.0.1', port }))).toBe('ECONNREFUSED');
    },
  },
  {
    name: 'backlog: clients within backlog + 1 connect and are accepted one by one, in the order they came',
    async run(net) {
      const listener = await net.listen(1);
      const first = await net.transport.connect({ host: '127.0.0.1', port: listener.address.port });
      await net.sleep(10);
      const second = await net.transport.connect({ host: '127.0.0.1', port: listener.address.port });
      await net.sleep(SETTLE_MS);
      expect((await listener.accept()).remote).toEqual(first.local);
      expect((await listener.accept()).remote).toEqual(second.local);
      expect(await codeOf(listener.accept({ timeoutMs: 0 }))).toBe('EAGAIN');
    },
  },
  {
    name: 'all of 127.0.0.0/8 is loopback: a listener on 127.1.2.3 is reached there, and its client comes from 127.0.0.1',
    async run(net) {
      const listener = await net.listen(1, '127.1.2.3');
      const [client, server] = await Promise.all([
        net.transport.connect({ host: '127.1.2.3', port: listener.address.port }),
        listener.accept(),
      ]);
      expect(client.remote).toEqual({ host: '127.1.2.3', port: listener.address.port });
      expect(client.local.host).toBe('127.0.0.1');
      expect(server.local.host).toBe('127.1.2.3');
      // A listener bound to 127.0.0.1 alone is not reached through 127.0.0.2 (Linux refuses it).
      const only = await net.listen(1, '127.0.0.1');
      expect(await codeOf(net.transport.connect({ host: '127.0.0.2', port: only.address.port }))).toBe('ECONNREFUSED');
    },
  },
  {
    name: "IPv6 loopback written out in full ('0:0:0:0:0:0:0:1') is ::1",
    async run(net) {
      const listener = await net.listen(1, '::1');
      const [client] = await Promise.all([
        net.transport.connect({ host: '0:0:0:0:0:0:0:1', port: listener.address.port }),
        listener.accept(),
      ]);
      expect(client.remote.host).toBe('::1');
      await client.send(text('EPSV\r\n'));
    },
  },
  {
    name: 'one default connect timeout on both transports: Linux giving up on its SYN retries (131 s)',
    async run(net) {
      expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(LINUX.synGiveUpMs.nominal);
      expect(net.kind === 'sim' ? DEFAULT_OPTIONS.connectTimeoutMs : TCP_DEFAULT_CONNECT_TIMEOUT_MS).toBe(DEFAULT_CONNECT_TIMEOUT_MS);
    },
  },

  // ---- time limits ----------------------------------------------------------------
  {
    name: 'recv timeout: ETIMEDOUT, and the connection stays usable for a later recv',
    async run(net) {
      const { client, server } = await net.pair();
      expect(await codeOf(server.recv(10, { timeoutMs: 50 }))).toBe('ETIMEDOUT');
      await client.send(text('late'));
      expect(str(await server.recv(10, { timeoutMs: 5_000 }))).toBe('late');
    },
  },
  {
    name: 'connect timeout: ETIMEDOUT when nobody answers in time',
    async run(net) {
      expect(await codeOf(net.transport.connect({ host: SILENT_HOST[net.kind], port: 21, timeoutMs: 50 }))).toBe('ETIMEDOUT');
    },
  },
  {
    name: 'accept timeout: ETIMEDOUT; a client arriving afterwards waits for the next accept()',
    async run(net) {
      const listener = await net.listen();
      expect(await codeOf(listener.accept({ timeoutMs: 50 }))).toBe('ETIMEDOUT');
      const [client, server] = await Promise.all([
        net.transport.connect({ host: '127.0.0.1', port: listener.address.port }),
        listener.accept({ timeoutMs: 5_000 }),
      ]);
      expect(server.remote).toEqual(client.local);
    },
  },
  {
    name: 'send timeout: ETIMEDOUT while the buffers stay full; nothing of that call was sent',
    options: { sim: { sendBufferBytes: 64 * 1024 }, tcp: { sendBufferBytes: 64 * 1024 } },
    async run(net) {
      const { client, server } = await net.pair();
      const { accepted, pending } = await blockedSend(net, client, { timeoutMs: 3 * SETTLE_MS });
      expect(await settle(pending)).toEqual({ code: 'ETIMEDOUT' });
      const reading = recvAll(server);
      await client.close(); // on TCP it waits for the queued bytes to leave: read them meanwhile
      expect((await reading).bytes.length).toBe(accepted);
    },
  },
  {
    name: "timeoutMs 0 means don't wait (Python's settimeout(0)): EAGAIN at once when nothing is ready, and no effect",
    async run(net) {
      const { listener, client, server } = await net.pair();
      expect(await codeOf(server.recv(10, { timeoutMs: 0 }))).toBe('EAGAIN');
      expect(await codeOf(listener.accept({ timeoutMs: 0 }))).toBe('EAGAIN');
      expect(await codeOf(net.transport.connect({ host: '127.0.0.1', port: listener.address.port, timeoutMs: 0 }))).toBe('EAGAIN');
      expect(await client.send(text('ready'), { timeoutMs: 0 })).toBe(5);
      await net.sleep(SETTLE_MS);
      expect(str(await server.recv(10, { timeoutMs: 0 }))).toBe('ready');
      // The connect that said EAGAIN left nothing in the accept queue.
      expect(await codeOf(listener.accept({ timeoutMs: 0 }))).toBe('EAGAIN');
    },
  },

  // ---- cancellation ----------------------------------------------------------------
  {
    name: 'cancelled recv: ECANCELED, and it took no bytes (the next recv gets them)',
    async run(net) {
      const { client, server } = await net.pair();
      const controller = new AbortController();
      const waiting = settle(server.recv(100, { signal: controller.signal }));
      await net.sleep(10);
      controller.abort();
      expect(await waiting).toEqual({ code: 'ECANCELED' });
      await client.send(text('hello'));
      expect(str(await server.recv(100))).toBe('hello');
      expect(await codeOf(server.recv(100, { signal: AbortSignal.abort() }))).toBe('ECANCELED');
    },
  },
  {
    name: 'cancelled accept: ECANCELED, and it took nothing from the queue',
    async run(net) {
      const listener = await net.listen();
      const controller = new AbortController();
      const waiting = settle(listener.accept({ signal: controller.signal }));
      await net.sleep(10);
      controller.abort();
      expect(await waiting).toEqual({ code: 'ECANCELED' });
      const client = await net.transport.connect({ host: '127.0.0.1', port: listener.address.port });
      await net.sleep(SETTLE_MS);
      expect(await codeOf(listener.accept({ signal: AbortSignal.abort() }))).toBe('ECANCELED');
      expect((await listener.accept()).remote).toEqual(client.local);
    },
  },
  {
    name: 'cancelled connect: ECANCELED, and nothing is left open',
    async run(net) {
      const opened = net.openCount();
      const controller = new AbortController();
      const waiting = settle(net.transport.connect({ host: SILENT_HOST[net.kind], port: 21, signal: controller.signal }));
      await net.sleep(10);
      controller.abort();
      expect(await waiting).toEqual({ code: 'ECANCELED' });
      const listener = await net.listen();
      expect(await codeOf(net.transport.connect({ host: '127.0.0.1', port: listener.address.port, signal: AbortSignal.abort() }))).toBe(
        'ECANCELED',
      );
      await listener.close();
      await net.sleep(10);
      expect(net.openCount()).toBe(opened);
    },
  },
  {
    name: 'cancelled send: ECANCELED while it waited for room, and none of its bytes were sent',
    options: { sim: { sendBufferBytes: 64 * 1024 }, tcp: { sendBufferBytes: 64 * 1024 } },
    async run(net) {
      const { client, server } = await net.pair();
      const controller = new AbortController();
      const { accepted, pending } = await blockedSend(net, client, { signal: controller.signal });
      controller.abort();
      expect(await settle(pending)).toEqual({ code: 'ECANCELED' });
      expect(await codeOf(client.send(text('x'), { signal: AbortSignal.abort() }))).toBe('ECANCELED');
      const reading = recvAll(server);
      await client.close();
      expect((await reading).bytes.length).toBe(accepted);
    },
  },

  // ---- clock ---------------------------------------------------------------------
  {
    name: "the transport's clock: a timer fires after its time; a cleared one never does",
    async run(net) {
      const { clock } = net.transport;
      const started = clock.now();
      const fired: string[] = [];
      const done = new Promise<void>((resolve) => clock.setTimeout(() => (fired.push('kept'), resolve()), 30));
      const cleared = clock.setTimeout(() => fired.push('cleared'), 10);
      clock.clearTimeout(cleared);
      await done;
      await net.sleep(30);
      expect(fired).toEqual(['kept']);
      expect(clock.now() - started).toBeGreaterThanOrEqual(30);
    },
  },
];

describe.each(NETS)('transport contract on %s', (kind) => {
  it.each(CASES)('$name', ({ run, options }) => on(kind, run, options), 30_000);
});
