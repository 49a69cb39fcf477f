// Every call through the traced transport leaves the record the trace format promises.
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../runtime/trace/bytes.ts';
import { Trace } from '../../runtime/trace/trace.ts';
import { traceTransport } from '../../runtime/trace/traced-transport.ts';
import { createSimNetwork } from '../../runtime/transport/sim/index.ts';

function setup() {
  const net = createSimNetwork({ segmentation: { kind: 'whole' } });
  const trace = new Trace({ transport: 'sim', clock: () => net.now() });
  return { net, trace, server: traceTransport(net.transport(), trace, 'srv'), client: traceTransport(net.transport(), trace, 'cli') };
}

/** The records without seq and t, for comparing. */
const bare = (trace: Trace) => trace.records.slice(1).map(({ seq: _s, t: _t, ...rest }) => rest);

describe('traceTransport', () => {
  it('records listen, connect, accept, send, recv, eof and close with one connection id', async () => {
    const { net, trace, server, client } = setup();
    const conversation = (async () => {
      const l = await server.listen({ host: '127.0.0.1', port: 7000, backlog: 2 });
      const [c, s] = await Promise.all([client.connect({ host: '127.0.0.1', port: 7000 }), l.accept()]);
      expect(await c.send(new TextEncoder().encode('hi'))).toBe(2);
      expect(await s.recv(100)).toEqual(new TextEncoder().encode('hi'));
      await c.close();
      expect(await s.recv(100)).toEqual(new Uint8Array(0));
      await s.close();
      await l.close();
    })();
    await net.run();
    await conversation;
    const records = bare(trace);
    expect(records.map((r) => `${(r as { actor: string }).actor} ${r.type}`)).toEqual([
      'srv listen', 'cli connect', 'srv accept', 'cli send', 'srv recv', 'cli close', 'srv recv', 'srv eof', 'srv close', 'srv close',
    ]);
    expect(records[0]).toEqual({ type: 'listen', actor: 'srv', listener: 'l1', addr: { host: '127.0.0.1', port: 7000 }, backlog: 2 });
    expect(records[3]).toEqual({ type: 'send', actor: 'cli', conn: 'c1', side: 'client', dir: 'c2s', offered: 2, accepted: 2, data: toBase64(new TextEncoder().encode('hi')) });
    expect(records[4]).toMatchObject({ type: 'recv', conn: 'c1', side: 'server', dir: 'c2s', max: 100, data: 'aGk=' });
    expect(records[6]).toMatchObject({ type: 'recv', data: '' });
  });

  it('records a partial send: offered, accepted, and only the accepted bytes', async () => {
    const { net, trace, server, client } = setup();
    const run = (async () => {
      const l = await server.listen({ host: '127.0.0.1', port: 7000, backlog: 1 });
      const [c] = await Promise.all([client.connect({ host: '127.0.0.1', port: 7000 }), l.accept()]);
      return c.send(new Uint8Array(200_000));
    })();
    await net.run();
    const accepted = await run;
    expect(accepted).toBeLessThan(200_000);
    const send = bare(trace).find((r) => r.type === 'send') as { offered: number; accepted: number; data: string };
    expect(send.offered).toBe(200_000);
    expect(send.accepted).toBe(accepted);
    expect(send.data).toBe(toBase64(new Uint8Array(accepted)));
  });

  it.each([
    ['a refused connect', 'ECONNREFUSED'],
    ['an unknown host', 'ENOTFOUND'],
  ])('records %s as an error with no connection', async (_what, code) => {
    const { net, trace, client } = setup();
    const host = code === 'ENOTFOUND' ? 'nowhere.example' : '127.0.0.1';
    const attempt = client.connect({ host, port: 7000 });
    attempt.catch(() => undefined);
    await net.run();
    await expect(attempt).rejects.toMatchObject({ code });
    expect(bare(trace)).toEqual([{ type: 'error', actor: 'cli', op: 'connect', code, message: expect.any(String) }]);
  });

  it('records a reset from the peer as an error and a reset by the peer', async () => {
    const { net, trace, server, client } = setup();
    const run = (async () => {
      const l = await server.listen({ host: '127.0.0.1', port: 7000, backlog: 1 });
      const [c, s] = await Promise.all([client.connect({ host: '127.0.0.1', port: 7000 }), l.accept()]);
      await s.reset();
      return c.recv(10);
    })();
    run.catch(() => undefined);
    await net.run();
    await expect(run).rejects.toMatchObject({ code: 'ECONNRESET' });
    const tail = bare(trace).slice(-3);
    expect(tail).toEqual([
      { type: 'reset', actor: 'srv', conn: 'c1', side: 'server', by: 'local' },
      { type: 'error', actor: 'cli', op: 'recv', code: 'ECONNRESET', message: expect.any(String), conn: 'c1', side: 'client' },
      { type: 'reset', actor: 'cli', conn: 'c1', side: 'client', by: 'peer' },
    ]);
  });

  it('a call cancelled by our own close leaves no error; a call after the close does', async () => {
    const { net, trace, server, client } = setup();
    const run = (async () => {
      const l = await server.listen({ host: '127.0.0.1', port: 7000, backlog: 1 });
      const waiting = l.accept();
      waiting.catch(() => undefined);
      const [c] = await Promise.all([client.connect({ host: '127.0.0.1', port: 7000 }), waiting]);
      const pending = c.recv(10);
      pending.catch(() => undefined);
      await c.close();
      await expect(pending).rejects.toMatchObject({ code: 'ECLOSED' });
      await expect(c.recv(10)).rejects.toMatchObject({ code: 'ECLOSED' });
    })();
    await net.run();
    await run;
    const errors = bare(trace).filter((r) => r.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ op: 'recv', code: 'ECLOSED', actor: 'cli' });
  });
});
