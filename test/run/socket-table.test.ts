// A run's socket table: handles, one record per call on the caller's lane, bytes stored once.
import { describe, expect, it } from 'vitest';
import type { CallSite } from '../../machines/socket-calls.ts';
import { SocketTable } from '../../runtime/run/socket-table.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { createSimNetwork, type SimOptions } from '../../runtime/transport/sim/index.ts';

const server: CallSite = { actor: 'server', at: 'server.s' };
const client: CallSite = { actor: 'client', at: 'client.s' };
const text = (s: string) => new TextEncoder().encode(s);

function setUp(options: SimOptions = {}) {
  const net = createSimNetwork({ seed: 1, ...options });
  const trace = new Trace({ transport: 'sim', clock: () => net.now(), startedAt: 0 });
  const table = new SocketTable(net.transport(), trace);
  /** Run a call to completion on the simulated network. */
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    p.catch(() => undefined); // a rejection is awaited below, after the network has run
    await net.run();
    return p;
  };
  const records = (type: TraceRecord['type']) => trace.records.filter((r) => r.type === type);
  return { net, trace, table, settle, records };
}

/** A listening server and a connected client; returns both handles. */
async function connected(s: ReturnType<typeof setUp>, port = 7000) {
  const { listener } = await s.settle(s.table.listen({ host: '127.0.0.1', port, backlog: 1 }, server));
  const accepting = s.table.accept({ listener }, server);
  const c = await s.settle(s.table.connect({ host: '127.0.0.1', port }, client));
  const a = await s.settle(accepting);
  return { listener, client: c.conn, server: a.conn };
}

describe('SocketTable', () => {
  it('records each call on its caller lane, with its state, and one connection id for both ends', async () => {
    const s = setUp();
    const h = await connected(s);
    expect(h.client).toBe('c1');
    expect(h.server).toBe('c1.acceptor'); // one run holding both ends: the second gets its own handle
    expect(s.records('connect')).toEqual([expect.objectContaining({ actor: 'client', at: 'client.s', conn: 'c1', end: 'connector' })]);
    expect(s.records('accept')).toEqual([expect.objectContaining({ actor: 'server', conn: 'c1', end: 'acceptor', listener: 'l1' })]);
  });

  it('stores a byte once: recv records point into the stream the send records hold', async () => {
    const s = setUp();
    const h = await connected(s);
    await s.settle(s.table.send({ conn: h.server, bytes: text('hello') }, server));
    await s.settle(s.table.send({ conn: h.server, bytes: text(' world') }, server));
    const first = await s.settle(s.table.recv({ conn: h.client, max: 3 }, client));
    const rest = await s.settle(s.table.recv({ conn: h.client, max: 100 }, client));
    expect(new TextDecoder().decode(first) + new TextDecoder().decode(rest)).toBe('hello world');
    expect(s.records('send')).toEqual([
      expect.objectContaining({ offset: 0, accepted: 5, data: text('hello') }),
      expect.objectContaining({ offset: 5, accepted: 6, data: text(' world') }),
    ]);
    const recvs = s.records('recv');
    expect(recvs).toEqual([expect.objectContaining({ offset: 0, size: 3 }), expect.objectContaining({ offset: 3, size: 8 })]);
    for (const r of recvs) expect(r).not.toHaveProperty('data');
  });

  it('keeps the bytes of a recv whose sender is outside the run', async () => {
    const s = setUp();
    const { listener } = await s.settle(s.table.listen({ host: '127.0.0.1', port: 7001, backlog: 1 }, server));
    const accepting = s.table.accept({ listener }, server);
    const outsider = await s.settle(s.net.transport().connect({ host: '127.0.0.1', port: 7001 }));
    const { conn } = await s.settle(accepting);
    await s.settle(outsider.send(text('from outside')));
    await s.settle(s.table.recv({ conn, max: 100 }, server));
    expect(s.records('recv')[0]).toMatchObject({ size: 12, data: text('from outside') });
  });

  it('records what send accepted, copied: the caller may reuse its buffer (a Node Buffer too)', async () => {
    const s = setUp();
    const h = await connected(s);
    const buffer = Buffer.alloc(8, 'A');
    await s.settle(s.table.send({ conn: h.client, bytes: buffer }, client));
    buffer.fill('B');
    const data = (s.records('send')[0] as { data: Uint8Array }).data;
    expect(new TextDecoder().decode(data)).toBe('AAAAAAAA');
    expect(data).not.toBeInstanceOf(Buffer);
  });

  it("records a peer's reset as the call's error and a reset by the peer", async () => {
    const s = setUp();
    const h = await connected(s);
    await s.settle(s.table.reset({ conn: h.server }, server));
    await expect(s.settle(s.table.recv({ conn: h.client, max: 10 }, client))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(s.records('error')).toEqual([expect.objectContaining({ actor: 'client', op: 'recv', code: 'ECONNRESET', conn: 'c1' })]);
    expect(s.records('reset')).toEqual([
      expect.objectContaining({ actor: 'server', by: 'local' }),
      expect.objectContaining({ actor: 'client', by: 'peer' }),
    ]);
  });

  it('records a cancelled call as cancelled, not failed', async () => {
    const s = setUp();
    const h = await connected(s);
    const abort = new AbortController();
    const waiting = s.table.recv({ conn: h.client, max: 10 }, client, abort.signal);
    waiting.catch(() => undefined);
    await s.net.run();
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'ECANCELED' });
    expect(s.records('cancel')).toEqual([expect.objectContaining({ actor: 'client', op: 'recv', conn: 'c1' })]);
    expect(s.records('error')).toEqual([]);
  });

  it('rejects calls on handles that are not open, and says so in the trace', async () => {
    const s = setUp();
    await expect(s.table.recv({ conn: 'c9', max: 1 }, client)).rejects.toMatchObject({ code: 'ECLOSED', message: 'connection c9 is not open' });
    await expect(s.table.accept({ listener: 'l9' }, server)).rejects.toMatchObject({ code: 'ECLOSED' });
    expect(s.records('error')).toHaveLength(2);
  });

  it('closes a connection whose connect finishes after the run stopped', async () => {
    const s = setUp();
    const listener = await s.settle(s.net.transport().listen({ host: '127.0.0.1', port: 7002, backlog: 1 }));
    const accepted = listener.accept();
    const connecting = s.table.connect({ host: '127.0.0.1', port: 7002 }, client);
    connecting.catch(() => undefined);
    await s.table.closeAll(); // Ctrl-C while the handshake is still under way
    await s.net.run();
    await expect(connecting).rejects.toMatchObject({ code: 'ECLOSED' });
    // The other end sees the connection closed, not left hanging.
    const end = await accepted;
    const read = end.recv(10);
    await s.net.run();
    expect(await read).toEqual(new Uint8Array(0));
    expect(s.table.openCount).toBe(0);
  });

  it('closeAll leaves nothing open', async () => {
    const s = setUp();
    await connected(s);
    expect(s.table.openCount).toBe(3);
    await s.table.closeAll();
    expect(s.table.openCount).toBe(0);
    expect(s.net.listeners()).toEqual([]);
  });
});
