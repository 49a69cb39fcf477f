/**
 * The real implementations of the socket actors that machines name in
 * `setup()` (see machines/socket-actors.ts), bound to one transport.
 *
 * Machines hold plain handle ids; this table maps them to the transport's
 * listener and connection objects, and closes whatever is still open when
 * the run stops. Browser-safe.
 */
import { fromPromise } from 'xstate';
import type {
  AcceptInput,
  AcceptOutput,
  CloseInput,
  CloseListenerInput,
  ConnectInput,
  ConnectOutput,
  ListenInput,
  ListenOutput,
  RecvInput,
  SendInput,
} from '../machines/socket-actors.ts';
import { TransportError } from './transport/errors.ts';
import type { Connection, Listener, Transport } from './transport/types.ts';

export interface SocketBindings {
  /** Pass to `machine.provide({ actors })`. */
  actors: ReturnType<typeof makeActors>;
  /** Close every listener and connection still open (end of a run, Ctrl-C). */
  closeAll(): Promise<void>;
}

function makeActors(transport: Transport, listeners: Map<string, Listener>, conns: Map<string, Connection>) {
  let count = 0;
  const handle = (prefix: string, preferred: string | undefined) => preferred ?? `${prefix}${++count}`;

  const conn = (id: string): Connection => {
    const found = conns.get(id);
    if (found === undefined) throw new TransportError('ECLOSED', `connection ${id} is not open`);
    return found;
  };
  const listener = (id: string): Listener => {
    const found = listeners.get(id);
    if (found === undefined) throw new TransportError('ECLOSED', `listener ${id} is not open`);
    return found;
  };

  return {
    listen: fromPromise<ListenOutput, ListenInput>(async ({ input }) => {
      const l = await transport.listen(input);
      const id = handle('l', l.id);
      listeners.set(id, l);
      return { listener: id, address: { host: l.address.host, port: l.address.port } };
    }),
    accept: fromPromise<AcceptOutput, AcceptInput>(async ({ input }) => {
      const c = await listener(input.listener).accept();
      const id = handle('c', c.id);
      conns.set(id, c);
      return { conn: id, peer: { host: c.remote.host, port: c.remote.port } };
    }),
    connect: fromPromise<ConnectOutput, ConnectInput>(async ({ input }) => {
      const c = await transport.connect(input);
      const id = handle('c', c.id);
      conns.set(id, c);
      return {
        conn: id,
        local: { host: c.local.host, port: c.local.port },
        remote: { host: c.remote.host, port: c.remote.port },
      };
    }),
    send: fromPromise<number, SendInput>(({ input }) => conn(input.conn).send(input.bytes)),
    recv: fromPromise<Uint8Array, RecvInput>(({ input }) =>
      conn(input.conn).recv(input.max, input.timeoutMs === undefined ? undefined : { timeoutMs: input.timeoutMs }),
    ),
    close: fromPromise<void, CloseInput>(async ({ input }) => {
      const c = conn(input.conn);
      conns.delete(input.conn);
      await c.close();
    }),
    closeListener: fromPromise<void, CloseListenerInput>(async ({ input }) => {
      const l = listener(input.listener);
      listeners.delete(input.listener);
      await l.close();
    }),
  };
}

export function bindSockets(transport: Transport): SocketBindings {
  const listeners = new Map<string, Listener>();
  const conns = new Map<string, Connection>();
  return {
    actors: makeActors(transport, listeners, conns),
    async closeAll() {
      const open = [...conns.values(), ...listeners.values()];
      conns.clear();
      listeners.clear();
      // Closing may fail when the peer already reset; at shutdown that is not news.
      await Promise.allSettled(open.map((x) => x.close()));
    },
  };
}
