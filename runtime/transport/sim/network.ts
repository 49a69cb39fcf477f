/**
 * The simulated network: one machine, a virtual clock, and the table of
 * who listens where. Transports made from it share all three, so a client
 * program and a server program can talk through it.
 *
 * Browser-safe: no `node:` import.
 */
import { throwIfAborted } from '../cancel.ts';
import { checkBacklog, checkPort, checkTimeout, nothingReady, TransportError } from '../errors.ts';
import type { Clock, ConnectOptions, Connection, Endpoint, Listener, ListenOptions, Transport } from '../types.ts';
import { familyOf, HostTable, isLoopbackV4, isWildcard, loopbackOf, wildcardOf } from './addresses.ts';
import type { SimContext } from './context.ts';
import { handshake, type SynAnswer } from './handshake.ts';
import { MAX_BACKLOG } from './limits.ts';
import { SimListener } from './listener.ts';
import { isDuration, resolveOptions, type ResolvedOptions, type SimOptions } from './options.ts';
import { PortTable } from './ports.ts';
import { mulberry32, randomInt, type Random } from './prng.ts';
import { Scheduler, type RunOptions, type Timer } from './scheduler.ts';
import { segmenterFor, type Segmenter } from './segmenter.ts';
import { Waiter } from './waiter.ts';

/** What `listeners()` shows of each listening socket. */
export interface ListenerInfo {
  readonly host: string;
  readonly port: number;
  /** The backlog asked for, lowered to MAX_BACKLOG: backlog + 1 connections may wait, as on Linux. */
  readonly backlog: number;
  /** Connections waiting for accept(). */
  readonly queued: number;
}

export interface SimNetwork {
  /** The seed in use: record it with a trace, and the same program replays the same run. */
  readonly seed: number;
  /** A transport on this network (kind 'sim'). Make one per program; they all share the network. */
  transport(): Transport;
  /** Virtual milliseconds since the network was made. */
  now(): number;
  /**
   * Fire scheduled events in (time, seq) order until none remain or a limit
   * is reached, letting programs react to each before the next. Programs
   * driven by the network must wait only on it (or on promises), never on
   * real timers.
   */
  run(options?: RunOptions): Promise<void>;
  /** Events still to fire (packets in flight, timers). */
  pending(): number;
  /** Resolve after `ms` of virtual time: Python's time.sleep() for simulated programs. */
  sleep(ms: number): Promise<void>;
  /** Who listens where, in the order they started. */
  listeners(): ListenerInfo[];
}

export function createSimNetwork(options?: SimOptions): SimNetwork {
  return new Network(resolveOptions(options));
}

class Network implements SimNetwork, SimContext {
  readonly scheduler = new Scheduler();
  readonly seed: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly segmenter: Segmenter;
  private readonly random: Random;
  private readonly hosts: HostTable;
  private readonly ports = new PortTable();
  /** Listening sockets by `bindingKey`, in the order they started. */
  private readonly listening = new Map<string, SimListener>();

  constructor(private readonly options: ResolvedOptions) {
    this.seed = options.seed;
    this.receiveBufferBytes = options.receiveBufferBytes;
    this.random = mulberry32(options.seed);
    this.sendBufferBytes = options.sendBufferBytes;
    this.segmenter = segmenterFor(options.segmentation, this.random);
    this.hosts = new HostTable(options.hosts);
  }

  transport(): Transport {
    return {
      kind: 'sim',
      listen: (options) => this.listen(options),
      connect: (options) => this.connect(options),
      now: () => this.now(),
      clock: this.clock,
    };
  }

  /**
   * Timers on the virtual clock, for machines (XState's `after`). A timer is
   * an event like a packet's arrival, so run() keeps going until it fires;
   * firing it may start a machine's next call, so run() lets the programs
   * react before the next event, as it does when a packet wakes a recv().
   */
  readonly clock: Clock = {
    now: () => this.now(),
    setTimeout: (fire, ms) => {
      if (!isDuration(ms)) throw new TransportError('EINVAL', `a timer needs 0 or more milliseconds, not ${ms}`);
      return this.scheduler.timer(this.now() + ms, () => {
        this.scheduler.noteWake();
        fire();
      });
    },
    clearTimeout: (id) => (id as Timer | undefined)?.cancel(),
  };

  now(): number {
    return this.scheduler.now();
  }

  run(options?: RunOptions): Promise<void> {
    return this.scheduler.run(options);
  }

  pending(): number {
    return this.scheduler.pending();
  }

  async sleep(ms: number): Promise<void> {
    if (!isDuration(ms)) throw new TransportError('EINVAL', `sleep() needs 0 or more milliseconds, not ${ms}`);
    const waiter = new Waiter<void>(this.scheduler);
    this.scheduler.at(this.now() + ms, () => waiter.resolve());
    return waiter.promise;
  }

  listeners(): ListenerInfo[] {
    return [...this.listening.values()].map((listener) => ({
      host: listener.address.host,
      port: listener.address.port,
      backlog: listener.backlog,
      queued: listener.queued,
    }));
  }

  travelTime(): number {
    const { latencyMs, jitterMs } = this.options;
    return jitterMs === 0 ? latencyMs : latencyMs + randomInt(this.random, 0, jitterMs);
  }

  readDelay(): number {
    const { readDelayMs } = this.options;
    // No draw when the knob is off, so turning it on is the only thing that changes the run.
    return readDelayMs === 0 ? 0 : randomInt(this.random, 0, readDelayMs);
  }

  private async listen({ host, port, backlog }: ListenOptions): Promise<Listener> {
    checkPort(port, { allowZero: true });
    checkBacklog(backlog);
    const address = this.hosts.resolve(host);
    if (!isWildcard(address) && !this.hosts.isLocal(address)) {
      throw new TransportError('EADDRNOTAVAIL', `${address} is not an address of this machine`);
    }
    if (port !== 0 && this.bound(address, port)) {
      throw new TransportError('EADDRINUSE', `something already listens on ${address} port ${port}`);
    }
    const chosen = port !== 0 ? port : this.ports.allocate();
    if (chosen === undefined) throw new TransportError('EADDRINUSE', 'every ephemeral port is in use');
    if (port !== 0) this.ports.take(port);
    // Linux lowers a backlog above SOMAXCONN quietly.
    const capacity = Math.min(backlog, MAX_BACKLOG);
    const key = bindingKey(address, chosen);
    const listener = new SimListener(this.scheduler, { host: address, port: chosen }, capacity, () => {
      this.listening.delete(key);
      this.ports.release(chosen);
    });
    this.listening.set(key, listener);
    return listener;
  }

  private async connect({ host, port, timeoutMs, signal }: ConnectOptions): Promise<Connection> {
    checkPort(port, { allowZero: false });
    checkTimeout(timeoutMs);
    throwIfAborted(signal, 'connect');
    let address = this.hosts.resolve(host);
    const family = familyOf(address)!;
    // Like Linux, connecting to the wildcard address reaches this machine.
    if (isWildcard(address)) address = loopbackOf(family);
    // A handshake takes a round trip: with "don't wait" nothing can be ready.
    // (A non-blocking connect() starts it and says EINPROGRESS; we start
    // nothing, since no later call could finish it.)
    if (timeoutMs === 0) throw nothingReady('connect');
    const localPort = this.ports.allocate();
    if (localPort === undefined) throw new TransportError('EADDRNOTAVAIL', 'every ephemeral port is in use');
    // Linux picks the source address from the route: 127.0.0.1 for all of
    // 127/8, the address itself for another address of this machine.
    const localHost = isLoopbackV4(address) ? loopbackOf(4) : this.hosts.isLocal(address) ? address : loopbackOf(family);
    return handshake(this, {
      local: { host: localHost, port: localPort },
      remote: { host: address, port },
      timeoutMs: timeoutMs ?? this.options.connectTimeoutMs,
      signal,
      answer: (remote) => this.answerSyn(remote),
      releasePort: () => this.ports.release(localPort),
    });
  }

  /** Nobody answers for an address that is not this machine's: the SYN is lost and connect() times out. */
  private answerSyn({ host, port }: Endpoint): SynAnswer {
    if (!this.hosts.isLocal(host)) return 'silent';
    return this.listenerFor(host, port) ?? 'refused';
  }

  /** The listener a SYN to host:port reaches: one bound to exactly that address, else a wildcard one. */
  private listenerFor(host: string, port: number): SimListener | undefined {
    return (
      this.listening.get(bindingKey(host, port)) ?? this.listening.get(bindingKey(wildcardOf(familyOf(host)!), port))
    );
  }

  /**
   * Whether a new listener on address:port would clash with one already
   * there: the same address, or a wildcard of the same family on either side.
   * IPv4 and IPv6 never clash (Linux with IPV6_V6ONLY set).
   */
  private bound(address: string, port: number): boolean {
    const family = familyOf(address)!;
    if (!isWildcard(address)) return this.listenerFor(address, port) !== undefined;
    return [...this.listening.values()].some(
      ({ address: other }) => other.port === port && familyOf(other.host) === family,
    );
  }
}

function bindingKey(address: string, port: number): string {
  return `${address} ${port}`;
}
