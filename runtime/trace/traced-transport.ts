/**
 * Wraps a transport so that every call leaves a record in the trace. The
 * wrapping is the same for the real and the simulated transport, which is
 * what makes their traces comparable record for record.
 *
 * `actor` names the program making the calls (a machine actor's id); it
 * becomes the lane of the sequence diagram.
 */
import { isTransportError, TransportError } from '../transport/errors.ts';
import type {
  Connection,
  ConnectOptions,
  Endpoint,
  Listener,
  ListenOptions,
  RecvOptions,
  Transport,
} from '../transport/types.ts';
import { toBase64 } from './bytes.ts';
import type { Direction, ErrorRecord, Side } from './records.ts';
import type { Trace } from './trace.ts';

/** Bytes a side sends travel in this direction. */
const SENDS: Record<Side, Direction> = { client: 'c2s', server: 's2c' };
/** Bytes a side receives travel in this direction. */
const RECEIVES: Record<Side, Direction> = { client: 's2c', server: 'c2s' };

function asTransportError(error: unknown): TransportError {
  if (isTransportError(error)) return error;
  return new TransportError('EINVAL', error instanceof Error ? error.message : String(error));
}

export function traceTransport(inner: Transport, trace: Trace, actor: string): Transport {
  /**
   * Record a failed call, then pass the error on. A call that was waiting
   * when our own program closed the socket (a recv pending at Ctrl-C) was
   * cancelled, not failed: the close record already tells that story.
   */
  const fail = (op: ErrorRecord['op'], error: unknown, where: Partial<ErrorRecord> = {}, cancelled = false): never => {
    const e = asTransportError(error);
    if (cancelled && e.code === 'ECLOSED') throw e;
    trace.add({ type: 'error', actor, op, code: e.code, message: e.message, ...where });
    if (e.code === 'ECONNRESET' && where.conn !== undefined && where.side !== undefined) {
      trace.add({ type: 'reset', actor, conn: where.conn, side: where.side, by: 'peer' });
    }
    throw e;
  };

  const wrapConnection = (conn: Connection, id: string, side: Side): Connection => {
    const where = { conn: id, side };
    /** Set when our own program closes or resets this end. */
    let closedHere = false;
    return {
      id,
      local: conn.local,
      remote: conn.remote,
      async send(bytes: Uint8Array): Promise<number> {
        const open = !closedHere;
        let accepted: number;
        try {
          accepted = await conn.send(bytes);
        } catch (error) {
          return fail('send', error, where, open && closedHere);
        }
        trace.add({
          type: 'send',
          actor,
          ...where,
          dir: SENDS[side],
          offered: bytes.length,
          accepted,
          data: toBase64(bytes.subarray(0, accepted)),
        });
        return accepted;
      },
      async recv(max: number, options?: RecvOptions): Promise<Uint8Array> {
        const open = !closedHere;
        let bytes: Uint8Array;
        try {
          bytes = await conn.recv(max, options);
        } catch (error) {
          return fail('recv', error, where, open && closedHere);
        }
        const dir = RECEIVES[side];
        trace.add({ type: 'recv', actor, ...where, dir, max, data: toBase64(bytes) });
        if (bytes.length === 0) trace.add({ type: 'eof', actor, ...where, dir });
        return bytes;
      },
      async close(): Promise<void> {
        closedHere = true;
        try {
          await conn.close();
        } catch (error) {
          return fail('close', error, where);
        }
        trace.add({ type: 'close', actor, ...where });
      },
      async reset(): Promise<void> {
        closedHere = true;
        try {
          await conn.reset();
        } catch (error) {
          return fail('reset', error, where);
        }
        trace.add({ type: 'reset', actor, ...where, by: 'local' });
      },
    };
  };

  const wrapListener = (listener: Listener, id: string): Listener => {
    let closedHere = false;
    return {
      id,
      address: listener.address,
      async accept(): Promise<Connection> {
        const open = !closedHere;
        let conn: Connection;
        try {
          conn = await listener.accept();
        } catch (error) {
          return fail('accept', error, { listener: id }, open && closedHere);
        }
        const connId = trace.connectionId('server', conn.local, conn.remote);
        trace.add({ type: 'accept', actor, conn: connId, side: 'server', listener: id, local: conn.local, remote: conn.remote });
        return wrapConnection(conn, connId, 'server');
      },
      async close(): Promise<void> {
        closedHere = true;
        try {
          await listener.close();
        } catch (error) {
          return fail('close', error, { listener: id });
        }
        trace.add({ type: 'close', actor, listener: id });
      },
    };
  };

  return {
    kind: inner.kind,
    now: () => inner.now(),
    async listen(options: ListenOptions): Promise<Listener> {
      let listener: Listener;
      try {
        listener = await inner.listen(options);
      } catch (error) {
        return fail('listen', error);
      }
      const id = trace.listenerId();
      const addr: Endpoint = { host: listener.address.host, port: listener.address.port };
      trace.add({ type: 'listen', actor, listener: id, addr, backlog: options.backlog });
      return wrapListener(listener, id);
    },
    async connect(options: ConnectOptions): Promise<Connection> {
      let conn: Connection;
      try {
        conn = await inner.connect(options);
      } catch (error) {
        return fail('connect', error);
      }
      const connId = trace.connectionId('client', conn.local, conn.remote);
      trace.add({ type: 'connect', actor, conn: connId, side: 'client', local: conn.local, remote: conn.remote });
      return wrapConnection(conn, connId, 'client');
    },
  };
}
