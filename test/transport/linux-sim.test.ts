/**
 * The simulated network against Linux figures that real TCP cannot show
 * from Node on loopback (Node completes every handshake and hides the
 * kernel's buffers). Each figure is in linux-figures.ts with the probe that
 * measured it; where our TCP transport does something else instead, that is
 * checked here too.
 */
import { describe, expect, it } from 'vitest';
import { ACCEPT_QUEUE_LIMIT } from '../../runtime/transport/tcp.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS, SYN_RETRY_AT_MS } from '../../runtime/transport/linux.ts';
import { createSimNetwork, LOOPBACK_MSS } from '../../runtime/transport/sim/index.ts';
import type { Connection } from '../../runtime/transport/types.ts';
import { onSim, onTcp, pattern, recvAll, settle } from './harness.ts';
import { LINUX } from './linux-figures.ts';

const QUIET = { jitterMs: 0, segmentation: { kind: 'mss', size: LOOPBACK_MSS } } as const;

describe('SYN retries and the backlog (recorded: syn_schedule.py)', () => {
  it('the schedule is the kernel nominal one, within the 3 % timer slack measured', () => {
    expect(SYN_RETRY_AT_MS.map((ms) => ms / 1000)).toEqual(LINUX.synRetriesAtS.nominal);
    LINUX.synRetriesAtS.measured.forEach((measured, i) => {
      expect(Math.abs(measured - LINUX.synRetriesAtS.nominal[i]!) / LINUX.synRetriesAtS.nominal[i]!).toBeLessThan(0.06);
    });
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBe(LINUX.synGiveUpMs.nominal);
    expect(LINUX.synGiveUpMs.measured / DEFAULT_CONNECT_TIMEOUT_MS).toBeLessThan(1.03);
  });

  it.each(SYN_RETRY_AT_MS.map((at, i) => ({ at, before: i === 0 ? 0 : SYN_RETRY_AT_MS[i - 1]! })))(
    'sim: a client whose SYNs found the queue full gets in at the retry at $at ms, accept() having made room after the one at $before ms',
    async ({ at, before }) => {
      const net = createSimNetwork(QUIET);
      const t = net.transport();
      const listener = await t.listen({ host: '127.0.0.1', port: 9000, backlog: 0 });
      const first = t.connect({ host: '127.0.0.1', port: 9000 });
      await net.run({ untilMs: 10 });
      await first;
      // The second client starts at 10 ms; its SYNs leave at 10 + 0, 10 + 1000, ...; each lands 1 ms later.
      const waiting = settle(t.connect({ host: '127.0.0.1', port: 9000 }).then(() => net.now() - 10));
      void net.sleep(before + 5).then(() => listener.accept());
      await net.run();
      // The retry leaves at `at` and takes one round trip (2 ms).
      expect(await waiting).toEqual({ value: at + 2 });
    },
  );

  it('sim: with the queue never emptied, connect gives up with ETIMEDOUT at 131 s, after 11 SYNs', async () => {
    const outcome = await onSim(async (net) => {
      const listener = await net.listen(0);
      await net.transport.connect({ host: '127.0.0.1', port: listener.address.port });
      const started = net.transport.now();
      const result = await settle(net.transport.connect({ host: '127.0.0.1', port: listener.address.port }));
      return { result, after: net.transport.now() - started };
    }, QUIET);
    expect(outcome).toEqual({ result: { code: 'ETIMEDOUT' }, after: LINUX.synGiveUpMs.nominal });
  });

  it.each([0, 1, 3])('sim: listen(%i) lets backlog + 1 clients in at once, as Linux; the next one waits', async (backlog) => {
    const counts = await onSim(async (net) => {
      const listener = await net.listen(backlog);
      const clients = Array.from({ length: backlog + 3 }, () => settle(net.transport.connect({ host: '127.0.0.1', port: listener.address.port, timeoutMs: 500 })));
      const outcomes = await Promise.all(clients);
      return { connected: outcomes.filter((o) => 'value' in o).length, waiting: outcomes.filter((o) => 'code' in o && o.code === 'ETIMEDOUT').length };
    }, QUIET);
    expect(counts).toEqual({ connected: backlog + 1, waiting: 2 });
    if (backlog === 0) expect(counts.connected).toBe(LINUX.establishedWithBacklog0);
  });

  it(`tcp: Node completes every handshake, so clients beyond the backlog connect at once and wait in our queue (up to ACCEPT_QUEUE_LIMIT = ${ACCEPT_QUEUE_LIMIT})`, async () => {
    await onTcp(async (net) => {
      const listener = await net.listen(0);
      const clients = await Promise.all([1, 2, 3].map(() => net.transport.connect({ host: '127.0.0.1', port: listener.address.port, timeoutMs: 2000 })));
      const accepted = [await listener.accept(), await listener.accept(), await listener.accept()];
      expect(accepted.map((c) => c.remote.port).sort()).toEqual(clients.map((c) => c.local.port).sort());
    });
  });
});

/** A reader that does recv(100) and 10 ms of work while the sender still sends; returns the sizes the sender's send() calls took. */
async function slowReader(net: { sleep(ms: number): Promise<void> }, client: Connection, server: Connection, total: number): Promise<number[]> {
  const sends: number[] = [];
  let sending = true;
  const sender = (async () => {
    const data = pattern(total);
    for (let sent = 0; sent < total; ) {
      const n = await client.send(data.subarray(sent));
      sends.push(n);
      sent += n;
    }
    sending = false;
    await client.close();
  })();
  for (let part = await server.recv(100); part.length > 0; part = await server.recv(100)) if (sending) await net.sleep(10);
  await sender;
  return sends;
}

describe('silly-window avoidance: a slow reader (recorded: sws.py)', () => {
  it('sim with Linux\'s doubled 16 KiB buffers: the blocked sender wakes in steps of half a buffer, as Linux\'s did', async () => {
    const sends = await onSim(async (net) => {
      const { client, server } = await net.pair();
      return slowReader(net, client, server, 100_000);
    }, { ...QUIET, receiveBufferBytes: 32_768, sendBufferBytes: 32_768 });
    // Linux: 32768, 24576, 16384, 16384, 9888. Ours: the same count, and the same half-buffer steps
    // after the first two, give or take one read of 100 bytes (Linux counts pages, we count bytes).
    expect(sends.length).toBe(LINUX.slowReaderSends.length);
    sends.slice(2, 4).forEach((n, i) => expect(Math.abs(n - LINUX.slowReaderSends[i + 2]!)).toBeLessThanOrEqual(100));
    expect(sends.reduce((a, b) => a + b, 0)).toBe(100_000);
    expect(Math.min(...sends.slice(0, -1))).toBeGreaterThanOrEqual(16_384);
  });

  it('tcp: never a dribble of 100-byte sends either (Node\'s queue takes the offer; the kernel\'s window is out of sight)', async () => {
    const sends = await onTcp(async (net) => {
      const { client, server } = await net.pair();
      return slowReader(net, client, server, 100_000);
    });
    expect(sends.length).toBeLessThanOrEqual(LINUX.slowReaderSends.length);
    expect(Math.min(...sends.slice(0, -1), Infinity)).toBeGreaterThan(100);
  });
});

describe('the send buffer (recorded: buffers.py)', () => {
  it('sim: a sendall of 200,000 bytes to a reader that keeps up takes as many send() calls as on Linux (1), for 20 seeds', async () => {
    for (let seed = 1; seed <= 20; seed++) {
      const calls = await onSim(async (net) => {
        const { client, server } = await net.pair();
        const reading = recvAll(server);
        let count = 0;
        const data = pattern(200_000);
        for (let sent = 0; sent < data.length; count++) sent += await client.send(data.subarray(sent));
        await client.close();
        await reading;
        return count;
      }, { seed });
      expect(calls).toBe(LINUX.sendCallsFor200000);
    }
  });
});
