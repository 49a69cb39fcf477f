/**
 * `sockstep tap`: a relay between a student's own client and server that
 * records what both programs do, as a trace with two lanes.
 *
 *   client ──connect──▶ tap (listen.host:listen.port) ──connect──▶ server (to.host:to.port)
 *
 * Each connection the client makes is carried on to the server and relayed
 * (relay.ts): bytes unchanged and in order, FIN as FIN, reset as reset,
 * with the faults asked for (faults.ts). FTP control connections are
 * recognised by their greeting and their data connections made to go
 * through the tap as well (ftp-control.ts).
 *
 *   const trace = new Trace({ transport: 'tcp', clock: () => transport.now() });
 *   trace.subscribe(show);                       // anyone may listen: a terminal, a file, the page
 *   const tap = await startTap({ transport, trace, listen, to, faults });
 *   ...
 *   await tap.stop();                            // resets what is still open, closes every socket
 *
 * Browser-safe: the transport decides whether the sockets are real, so the
 * same tap runs on the simulated network in tests.
 */
import { endpointText, type Endpoint } from '../../machines/socket-calls.ts';
import type { Trace } from '../trace/trace.ts';
import { isTransportError, TransportError } from '../transport/errors.ts';
import type { Connection, Listener, Transport } from '../transport/types.ts';
import { sideOf, TAP_ACTORS, type RelayPlan, type TapContext, type TapSide } from './context.ts';
import { faultsProblem, type TapFaults } from './faults.ts';
import { MAX_RELAYED_CONNECTIONS } from './limits.ts';
import { Relay } from './relay.ts';

export interface TapOptions {
  transport: Transport;
  /** Where the records go; the tap adds the two lanes' actor records at once. */
  trace: Trace;
  /** Where the client connects: the tap's own address (port 0 picks a free one). */
  listen: Endpoint;
  /** Where the server listens. */
  to: Endpoint;
  faults?: TapFaults;
  /** Most connections relayed at once; one more is reset (a `busy` fault). Default MAX_RELAYED_CONNECTIONS. */
  maxConnections?: number;
}

export interface RunningTap {
  /** The tap's listening address (its port, when 0 was asked). */
  readonly address: Endpoint;
  /** Connections relayed so far, data connections included. */
  readonly relayed: number;
  /** Stop listening, reset every connection still open (recorded as a fault), close every socket. */
  stop(): Promise<void>;
}

/** Start a tap. Rejects with a TransportError when it cannot listen (EADDRINUSE, ...). */
export async function startTap(options: TapOptions): Promise<RunningTap> {
  const problem = faultsProblem(options.faults ?? {});
  if (problem !== null) throw new TransportError('EINVAL', problem);
  const listener = await options.transport.listen({ ...options.listen, backlog: 128 });
  const tap = new Tap(options, listener);
  for (const actor of TAP_ACTORS) options.trace.add(actor);
  void tap.acceptLoop();
  return tap;
}

class Tap implements TapContext, RunningTap {
  readonly transport: Transport;
  readonly trace: Trace;
  readonly faults: TapFaults;
  readonly address: Endpoint;
  relayed = 0;
  stopping = false;
  private readonly relays = new Set<Relay>();
  /** Everything in flight (relays, connections being made), so stop() can wait for all of it. */
  private readonly work = new Set<Promise<unknown>>();
  /** The tap's own data listeners still open. */
  private readonly listeners = new Set<Listener>();
  private readonly listenerIds = new Map<string, string>();
  /** Aborts connections still being made when the tap stops. */
  private readonly stopSignal = new AbortController();
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly options: TapOptions,
    private readonly listener: Listener,
  ) {
    this.transport = options.transport;
    this.trace = options.trace;
    this.faults = options.faults ?? {};
    this.address = { ...listener.address };
  }

  async acceptLoop(): Promise<void> {
    while (!this.stopping) {
      let conn: Connection;
      try {
        conn = await this.listener.accept();
      } catch (error) {
        if (this.stopping || (isTransportError(error) && error.code === 'ECLOSED')) return;
        continue; // out of file descriptors, say: the next client may fare better
      }
      const most = this.options.maxConnections ?? MAX_RELAYED_CONNECTIONS;
      if (this.relays.size >= most) {
        const why = { message: `${most} connection${most === 1 ? '' : 's'}` };
        this.track(this.refuse(sideOf(conn, 'client', 'connector'), 'busy', why, {}));
        continue;
      }
      this.track(this.carry(conn));
    }
  }

  /** A client connected to the tap: connect on to the server and relay the two. */
  private async carry(conn: Connection): Promise<void> {
    const client = sideOf(conn, 'client', 'connector');
    let server: Connection;
    try {
      server = await this.connect(this.options.to);
    } catch (error) {
      await this.unreachable(client, error, {});
      return;
    }
    await this.relay({ connector: client, acceptor: sideOf(server, 'server', 'acceptor'), watchFtp: true });
  }

  relay(plan: RelayPlan): Promise<void> {
    if (this.stopping) {
      void plan.connector.conn.reset();
      void plan.acceptor.conn.reset();
      return Promise.resolve();
    }
    const relay = new Relay(this, plan);
    this.relays.add(relay);
    this.relayed += 1;
    return this.track(relay.run().finally(() => this.relays.delete(relay)));
  }

  unreachable(side: TapSide, error: unknown, names: { label?: string; link?: string }): Promise<void> {
    const code = isTransportError(error) ? error.code : 'EUNKNOWN';
    const message = error instanceof Error ? error.message : String(error);
    return this.refuse(side, 'unreachable', { code, message }, names);
  }

  /** Record a connection the tap will not carry on, and why, and reset it. */
  private async refuse(
    side: TapSide,
    because: 'unreachable' | 'busy',
    why: { code?: string; message: string },
    names: { label?: string; link?: string },
  ): Promise<void> {
    if (this.stopping) {
      await side.conn.reset();
      return;
    }
    const id = this.trace.connectionId(side.end, side.local, side.remote);
    const where = { actor: side.lane, conn: id, local: side.local, remote: side.remote };
    const label = names.label === undefined ? {} : { label: names.label };
    if (side.end === 'connector') {
      this.trace.add({ type: 'connect', ...where, end: 'connector', ...label, ...(names.link === undefined ? {} : { link: names.link }) });
    } else {
      this.trace.add({ type: 'accept', ...where, end: 'acceptor', listener: this.listenerId(side.local), ...label });
    }
    this.trace.add({ type: 'fault', kind: 'reset', conn: id, because, after: 0, ...why });
    await side.conn.reset();
  }

  listenerId(address: Endpoint): string {
    const key = endpointText(address);
    let id = this.listenerIds.get(key);
    if (id === undefined) {
      id = this.trace.listenerId();
      this.listenerIds.set(key, id);
    }
    return id;
  }

  async listen(host: string): Promise<Listener> {
    if (this.stopping) throw new TransportError('ECLOSED', 'the tap is stopping');
    const inner = await this.transport.listen({ host, port: 0, backlog: 1 });
    // Kept until closed, by whoever closes it, so that stop() can close the rest.
    const listener: Listener = {
      address: inner.address,
      accept: (options) => inner.accept(options),
      close: () => {
        this.listeners.delete(listener);
        return inner.close();
      },
    };
    this.listeners.add(listener);
    return listener;
  }

  connect(to: Endpoint): Promise<Connection> {
    return this.transport.connect({ ...to, signal: this.stopSignal.signal });
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.stopSignal.abort();
      await this.listener.close();
      await Promise.allSettled([...this.listeners].map((l) => l.close()));
      for (const relay of this.relays) relay.stop();
      // Relays and connections still being made end by themselves once reset.
      while (this.work.size > 0) await Promise.allSettled([...this.work]);
    })();
    return this.stopped;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    const tracked = promise.finally(() => this.work.delete(tracked));
    this.work.add(tracked);
    return tracked;
  }
}
