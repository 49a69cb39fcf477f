// The socket actors the runtime gives machines: handles, and nothing left open after a stop.
import { describe, expect, it } from 'vitest';
import { createActor, toPromise, type AnyActorLogic } from 'xstate';
import { bindSockets } from '../runtime/socket-bindings.ts';
import { Trace } from '../runtime/trace/trace.ts';
import { traceTransport } from '../runtime/trace/traced-transport.ts';
import { createSimNetwork } from '../runtime/transport/sim/index.ts';

/** Run one socket actor by itself and settle its promise. */
function call<T>(logic: AnyActorLogic, input: unknown): Promise<T> {
  return toPromise(createActor(logic, { input }).start()) as Promise<T>;
}

describe('bindSockets', () => {
  it('gives each end of a connection its own handle when one machine holds both', async () => {
    const net = createSimNetwork();
    const trace = new Trace({ transport: 'sim', clock: () => net.now() });
    const { actors } = bindSockets(traceTransport(net.transport(), trace, 'both'));
    const opened = (async () => {
      const { listener } = await call<{ listener: string }>(actors.listen, { host: '127.0.0.1', port: 7000, backlog: 1 });
      const client = call<{ conn: string }>(actors.connect, { host: '127.0.0.1', port: 7000 });
      const server = call<{ conn: string }>(actors.accept, { listener });
      return { client: (await client).conn, server: (await server).conn };
    })();
    await net.run();
    const { client, server } = await opened;
    expect(client).toBe('c1'); // the trace's id, where it is free
    expect(server).not.toBe(client);

    const received = call<Uint8Array>(actors.recv, { conn: server, max: 10 });
    const sent = call<number>(actors.send, { conn: client, bytes: Uint8Array.of(1, 2, 3) });
    await net.run();
    expect(await sent).toBe(3);
    expect(await received).toEqual(Uint8Array.of(1, 2, 3));
    expect(trace.records.find((r) => r.type === 'send')).toMatchObject({ side: 'client', dir: 'c2s' });
  });

  it('closes a connection whose connect finishes after the run stopped', async () => {
    const net = createSimNetwork();
    const t = net.transport();
    const listener = await t.listen({ host: '127.0.0.1', port: 7001, backlog: 1 });
    const accepted = listener.accept();
    const bindings = bindSockets(t);
    const connecting = call(bindings.actors.connect, { host: '127.0.0.1', port: 7001 });
    connecting.catch(() => undefined);
    await bindings.closeAll(); // Ctrl-C while the handshake is still under way
    await net.run();
    await expect(connecting).rejects.toMatchObject({ code: 'ECLOSED' });
    // The other end sees the connection closed, not left hanging.
    const end = await accepted;
    const read = end.recv(10);
    await net.run();
    expect(await read).toEqual(new Uint8Array(0));
  });

  it('rejects calls on handles that are not open', async () => {
    const { actors } = bindSockets(createSimNetwork().transport());
    await expect(call(actors.recv, { conn: 'c9', max: 1 })).rejects.toMatchObject({ code: 'ECLOSED', message: 'connection c9 is not open' });
    await expect(call(actors.accept, { listener: 'l9' })).rejects.toMatchObject({ code: 'ECLOSED' });
  });
});
