/**
 * The real implementations of the socket actors that machines name in
 * `setup()` (see machines/socket-actors.ts), bound to one transport.
 *
 * Machines hold plain handle ids; this table maps them to the transport's
 * listener and connection objects, and closes whatever is still open when
 * the run stops, including a socket whose opening finishes after the stop.
 * Browser-safe.
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

/** Open sockets by handle id, and whether the run has stopped. */
interface Table {
  listeners: Map<string, Listener>;
  conns: Map<string, Connection>;
  stopped: boolean;
}

function makeActors(transport: Transport, table: Table) {
  let count = 0;
  /**
   * A handle for a new socket: its trace id where it has one, so that the
   * machine's context and the trace name it alike. One machine may hold both
   * ends of a connection, which share a trace id; the second end gets a
   * handle of its own.
   */
  const handle = (prefix: string, preferred: string | undefined, taken: Map<string, unknown>) => {
    if (preferred !== undefined && !taken.has(preferred)) return preferred;
    let id: string;
    do id = `${prefix}${++count}`;
    while (taken.has(id));
    return id;
  };

  /**
   * Keep a socket that was opened, unless the run stopped while it was being
   * opened: then nobody will ever close it, so close it now.
   */
  const keep = async <T extends Listener | Connection>(map: Map<string, T>, prefix: string, socket: T): Promise<string> => {
    if (table.stopped) {
      await socket.close().catch(() => undefined);
      throw new TransportError('ECLOSED', 'the run stopped while this socket was being opened');
    }
    const id = handle(prefix, socket.id, map);
    map.set(id, socket);
    return id;
  };

  const conn = (id: string): Connection => {
    const found = table.conns.get(id);
    if (found === undefined) throw new TransportError('ECLOSED', `connection ${id} is not open`);
    return found;
  };
  const listener = (id: string): Listener => {
    const found = table.listeners.get(id);
    if (found === undefined) throw new TransportError('ECLOSED', `listener ${id} is not open`);
    return found;
  };

  return {
    listen: fromPromise<ListenOutput, ListenInput>(async ({ input }) => {
      const l = await transport.listen(input);
      const id = await keep(table.listeners, 'l', l);
      return { listener: id, address: { host: l.address.host, port: l.address.port } };
    }),
    accept: fromPromise<AcceptOutput, AcceptInput>(async ({ input }) => {
      const c = await listener(input.listener).accept();
      const id = await keep(table.conns, 'c', c);
      return { conn: id, peer: { host: c.remote.host, port: c.remote.port } };
    }),
    connect: fromPromise<ConnectOutput, ConnectInput>(async ({ input }) => {
      const c = await transport.connect(input);
      const id = await keep(table.conns, 'c', c);
      return {
        conn: id,
        local: { host: c.local.host, port: c.local.port },
        remote: { host: c.remote.host, port: c.remote.port },
      };
    }),
    // async, so that a bad handle rejects the actor's promise instead of throwing out of it.
    send: fromPromise<number, SendInput>(async ({ input }) => conn(input.conn).send(input.bytes)),
    recv: fromPromise<Uint8Array, RecvInput>(async ({ input }) =>
      conn(input.conn).recv(input.max, input.timeoutMs === undefined ? undefined : { timeoutMs: input.timeoutMs }),
    ),
    close: fromPromise<void, CloseInput>(async ({ input }) => {
      const c = conn(input.conn);
      table.conns.delete(input.conn);
      await c.close();
    }),
    closeListener: fromPromise<void, CloseListenerInput>(async ({ input }) => {
      const l = listener(input.listener);
      table.listeners.delete(input.listener);
      await l.close();
    }),
  };
}

export function bindSockets(transport: Transport): SocketBindings {
  const table: Table = { listeners: new Map(), conns: new Map(), stopped: false };
  return {
    actors: makeActors(transport, table),
    async closeAll() {
      table.stopped = true;
      const open = [...table.conns.values(), ...table.listeners.values()];
      table.conns.clear();
      table.listeners.clear();
      // Closing may fail when the peer already reset; at shutdown that is not news.
      await Promise.allSettled(open.map((x) => x.close()));
    },
  };
}
