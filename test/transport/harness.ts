/**
 * One conversation, two networks: the harness that runs each case of the
 * transport contract on the simulated network and on real TCP.
 *
 * A case is an async function of a `Net`: it listens, connects, sends and
 * waits only through the net (its transport, `sleep`), never on a real timer
 * of its own. On the simulated network the whole case runs inside one
 * `net.run()` on the virtual clock; on TCP it runs in real time on
 * 127.0.0.1, and whatever it opened is closed afterwards and checked closed.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { expect } from 'vitest';
import { isTransportError } from '../../runtime/transport/errors.ts';
import { createSimNetwork, type SimNetwork, type SimOptions } from '../../runtime/transport/sim/index.ts';
import { createTcpTransport, type TcpTransportOptions } from '../../runtime/transport/tcp.ts';
import type { Connection, Listener, Transport } from '../../runtime/transport/types.ts';

export type NetKind = 'sim' | 'tcp';

/** A host name that the TCP harness's resolver never answers (no traffic is sent). On sim, an address no one answers for. */
export const SILENT_HOST: Record<NetKind, string> = { sim: '192.0.2.1', tcp: 'silent.example' };

export interface Net {
  readonly kind: NetKind;
  readonly transport: Transport;
  /** Wait `ms`: virtual on sim, real on TCP (long enough for loopback to deliver what was sent). */
  sleep(ms: number): Promise<void>;
  /** A listener on 127.0.0.1, any free port. */
  listen(backlog?: number, host?: string): Promise<Listener>;
  /** A listener and one connection to it: both ends. */
  pair(): Promise<{ listener: Listener; client: Connection; server: Connection }>;
  /** Connections and listeners this net still has open (TCP handles, or sim listeners). */
  openCount(): number;
}

export interface CaseOptions {
  sim?: SimOptions;
  tcp?: TcpTransportOptions;
}

/** The error code a call rejected with; fails the test if it resolved. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isTransportError(error) ? error.code : String(error);
  }
  throw new Error('expected the call to fail');
}

/** Watch a promise from now on, so an early rejection is never reported as unhandled. */
export function settle<T>(promise: Promise<T>): Promise<{ value: T } | { code: string }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ code: isTransportError(error) ? error.code : String(error) }),
  );
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
export { str, text };

/** 0, 1, ... 250, 0, 1, ...: any lost, doubled or reordered byte shows. */
export const pattern = (length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => i % 251);

/** Python's sendall(): send() may accept only part, so loop until everything went. Returns each call's count. */
export async function sendAll(conn: Connection, bytes: Uint8Array): Promise<number[]> {
  const counts: number[] = [];
  for (let sent = 0; sent < bytes.length; ) {
    const n = await conn.send(bytes.subarray(sent));
    counts.push(n);
    sent += n;
  }
  return counts;
}

/** recv(max) until end of data: all the bytes, and each read's size. */
export async function recvAll(conn: Connection, max = 65_536): Promise<{ bytes: Uint8Array; reads: number[] }> {
  const parts: Uint8Array[] = [];
  for (let part = await conn.recv(max); part.length > 0; part = await conn.recv(max)) parts.push(part);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
  return { bytes, reads: parts.map((p) => p.length) };
}

/** Same bytes? (toEqual on megabytes walks them one by one: seconds.) */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.findIndex((byte, i) => byte !== expected[i])).toBe(-1);
}

/** TCP handles this process holds. */
function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
}

/** Resolves every name as the system does, except SILENT_HOST.tcp, which never answers. */
const silentLookup: LookupFunction = (host, options, callback) => {
  if (host === SILENT_HOST.tcp) return;
  (dnsLookup as unknown as LookupFunction)(host, options, callback);
};

/** Run `body` on the simulated network: one net.run() carries it to the end. */
export async function onSim<T>(body: (net: Net) => Promise<T>, options: SimOptions = {}): Promise<T> {
  const sim = createSimNetwork(options);
  const net = simNet(sim);
  let outcome: { value: T } | { error: unknown } | undefined;
  void body(net).then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  await sim.run();
  if (outcome === undefined) throw new Error('the case was still waiting when the simulated network had nothing left to do');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

/** Run `body` on real TCP over loopback; everything it opened is closed afterwards. */
export async function onTcp<T>(body: (net: Net) => Promise<T>, options: TcpTransportOptions = {}): Promise<T> {
  const before = tcpHandles();
  const opened: { close(): Promise<void> }[] = [];
  const transport = tracked(createTcpTransport({ lookup: silentLookup, ...options }), opened);
  const net: Net = {
    kind: 'tcp',
    transport,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    listen: (backlog = 5, host = '127.0.0.1') => transport.listen({ host, port: 0, backlog }),
    pair: () => pairOn(transport, net.listen),
    openCount: () => tcpHandles() - before,
  };
  try {
    return await body(net);
  } finally {
    await Promise.all(opened.map((thing) => thing.close().catch(() => undefined)));
    // Node releases a closed handle at the end of the event loop's turn.
    for (let i = 0; i < 50 && tcpHandles() > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tcpHandles() - before, 'TCP handles left open by the case').toBe(0);
  }
}

/** Both networks, by name: `it.each(NETS)('... on %s', (kind) => on(kind, body))`. */
export const NETS: NetKind[] = ['sim', 'tcp'];

export function on<T>(kind: NetKind, body: (net: Net) => Promise<T>, options: CaseOptions = {}): Promise<T> {
  return kind === 'sim' ? onSim(body, options.sim) : onTcp(body, options.tcp);
}

function simNet(sim: SimNetwork): Net {
  const transport = sim.transport();
  const net: Net = {
    kind: 'sim',
    transport,
    sleep: (ms) => sim.sleep(ms),
    listen: (backlog = 5, host = '127.0.0.1') => transport.listen({ host, port: 0, backlog }),
    pair: () => pairOn(transport, net.listen),
    openCount: () => sim.listeners().length,
  };
  return net;
}

async function pairOn(transport: Transport, listen: Net['listen']) {
  const listener = await listen();
  const [client, server] = await Promise.all([
    transport.connect({ host: '127.0.0.1', port: listener.address.port }),
    listener.accept(),
  ]);
  return { listener, client, server };
}

/** A transport whose listeners and connections are remembered, to be closed after the case. */
function tracked(transport: Transport, opened: { close(): Promise<void> }[]): Transport {
  const keep = <T extends { close(): Promise<void> }>(thing: T): T => (opened.push(thing), thing);
  return {
    ...transport,
    connect: async (options) => keep(await transport.connect(options)),
    listen: async (options) => {
      const listener = keep(await transport.listen(options));
      return {
        address: listener.address,
        accept: async (o) => keep(await listener.accept(o)),
        close: () => listener.close(),
      };
    },
  };
}
