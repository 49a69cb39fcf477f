/**
 * The one seam between protocol machines and the network.
 *
 * Two implementations stand behind it: `tcp.ts` (real sockets through
 * `node:net`) and `sim/` (an in-memory network on a virtual clock that also
 * runs in the browser). The calls mirror the Python socket API the lessons
 * teach, so a learner can match each trace record to a line of their script:
 *
 *   Python                      Transport
 *   s.bind(); s.listen(5)       transport.listen({ host, port, backlog: 5 })
 *   c, addr = s.accept()        listener.accept()
 *   s.connect((host, port))     transport.connect({ host, port })
 *   n = c.send(data)            conn.send(data)          -> bytes accepted
 *   data = c.recv(1024)         conn.recv(1024)          -> b'' at end of data
 *   s.settimeout(2)             conn.recv(1024, { timeoutMs: 2000 })   (also send, accept, connect)
 *   s.settimeout(0)             conn.recv(1024, { timeoutMs: 0 })      -> EAGAIN if nothing is there
 *   s.shutdown(socket.SHUT_WR)  conn.shutdown()
 *   c.close()                   conn.close()
 *
 * Every failure rejects with a `TransportError` (see `errors.ts`) whose
 * `code` is one of `TransportErrorCode`: one path, whatever the transport.
 *
 * Every call that can wait takes an `AbortSignal`. Aborting it cancels the
 * call (it rejects with ECANCELED) and leaves the socket as if the call had
 * never been made: a cancelled recv() takes no bytes (the next recv() gets
 * them), a cancelled accept() takes no connection from the queue, and a
 * cancelled connect() leaves nothing open. That is what lets a machine leave
 * a state (a timeout, say) while a call it invoked is still waiting.
 *
 * This file is browser-safe: no `node:` import.
 */
import type { Endpoint } from '../../machines/socket-calls.ts';

/** An IP address (v4 or v6, as text) and a port: one type for machines, transports and the trace. */
export type { Endpoint };

export interface ListenOptions {
  /** Address to bind: '127.0.0.1', '::1', 'localhost', or '0.0.0.0' / '::' for all. */
  readonly host: string;
  /** 0 asks for a free port; the listener's `address.port` then says which. */
  readonly port: number;
  /** How many finished handshakes may wait for `accept()` (Python's `listen(5)`). */
  readonly backlog: number;
}

/** What every call that can wait accepts. */
export interface CallOptions {
  /** Aborting it cancels the call: it rejects with ECANCELED and has no effect. */
  readonly signal?: AbortSignal;
}

export interface ConnectOptions extends CallOptions {
  readonly host: string;
  readonly port: number;
  /**
   * Give up after this long (ms) with ETIMEDOUT. Undefined: as long as
   * Linux keeps retrying the SYN, DEFAULT_CONNECT_TIMEOUT_MS (131 s) on both
   * transports. 0: EAGAIN unless the answer is immediate (a refusal or an
   * error found before anything is sent), as a non-blocking connect() gives
   * EINPROGRESS.
   */
  readonly timeoutMs?: number;
}

/**
 * A call's time limit, as Python's settimeout() sets it for every call on a
 * socket: undefined waits as long as it takes; N > 0 rejects ETIMEDOUT after
 * N ms; 0 means "don't wait" (settimeout(0), a non-blocking socket): a call
 * that would have to wait rejects EAGAIN at once. Either way only that call
 * fails, with no effect, and the socket stays usable.
 */
export interface TimedCallOptions extends CallOptions {
  readonly timeoutMs?: number;
}

/** recv(): ETIMEDOUT if nothing arrives in time; EAGAIN with 0 if nothing has arrived. */
export interface RecvOptions extends TimedCallOptions {
  /**
   * Python's recv_into(): a buffer of at least `max` bytes the transport
   * may gather the bytes in, instead of a new array each call; the result
   * is then a view of it. A caller that takes turns between two such
   * buffers (a file transfer: one is being written to disk while the other
   * fills) allocates nothing per call. The result may also be a fresh
   * array: a transport is free to ignore this.
   */
  readonly into?: Uint8Array;
}
/** send(): ETIMEDOUT if the send buffer has no room in time; EAGAIN with 0 if it has none now. */
export interface SendOptions extends TimedCallOptions {
  /**
   * Called once, when bytes are accepted, with the transport's own copy of
   * them (a plain Uint8Array that nobody writes to again). A caller that
   * records what it sent keeps this instead of copying the bytes twice.
   */
  readonly onAccepted?: (copy: Uint8Array) => void;
  /**
   * The caller hands the bytes over: it will never change them again (a
   * file transfer's read buffer), so the transport may queue them without
   * copying. Default false: send() copies, as Python's does.
   */
  readonly handOver?: boolean;
}
/** accept(): ETIMEDOUT if no client comes in time; EAGAIN with 0 if none is waiting. */
export type AcceptOptions = TimedCallOptions;

export interface Listener {
  /** The listener's id in the trace ('l1', ...), where a tracing layer wraps it. */
  readonly id?: string;
  readonly address: Endpoint;
  /** Wait for the next client; resolves with the server's end of the new connection. */
  accept(options?: AcceptOptions): Promise<Connection>;
  /** Stop listening. Connections already accepted stay open. */
  close(): Promise<void>;
}

export interface Connection {
  /** The connection's id in the trace ('c1', ...), where a tracing layer wraps it. */
  readonly id?: string;
  /** This end's address. */
  readonly local: Endpoint;
  /** The other end's address. */
  readonly remote: Endpoint;
  /**
   * Offer bytes to the stream. Resolves with how many were accepted (copied
   * into this end's send buffer), which may be fewer than offered when the
   * buffer is full (the peer reads slower than we send: TCP flow control);
   * the caller sends the rest in a later call. Never 0 for a non-empty
   * offer: it waits until at least one byte fits.
   */
  send(bytes: Uint8Array, options?: SendOptions): Promise<number>;
  /**
   * Read at most `max` bytes (max >= 1). Resolves with whatever has arrived,
   * possibly fewer than `max`; bytes of separate sends may come back joined
   * or split. An empty array means end of data: the peer closed its side.
   * After a peer's reset, the bytes that had arrived come first, then the
   * error (ECONNRESET), as on Linux.
   */
  recv(max: number, options?: RecvOptions): Promise<Uint8Array>;
  /**
   * Half-close (Python's `shutdown(SHUT_WR)`): FIN after the bytes already
   * accepted, and no more sends from this end (they fail with EPIPE); recv()
   * goes on until the peer closes its side too. Idempotent.
   */
  shutdown(): Promise<void>;
  /**
   * Close gracefully: FIN after any bytes already accepted. Idempotent. If
   * bytes received are still unread, the peer gets a reset (RST) instead, as
   * Linux does (RFC 2525 section 2.17): they were lost, and a FIN would
   * pretend all went well.
   */
  close(): Promise<void>;
  /** Abort the connection: the peer sees a reset (RST) instead of end of data. */
  reset(): Promise<void>;
}

/** Which implementation is behind a transport; recorded in the trace header. */
export type TransportKind = 'tcp' | 'sim';

/** A handle for a timer set on a transport's clock. */
export type TimerId = unknown;

/**
 * The transport's clock: virtual on the simulated network (a timer costs no
 * wall time and fires inside `net.run()`, which returns only once no timer
 * is left), the real one on TCP. Machine timers (`after`) run on it: the
 * runtime passes it to XState as the actors' `clock`.
 */
export interface Clock {
  /** Milliseconds since some fixed point. */
  now(): number;
  setTimeout(fire: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

export interface Transport {
  readonly kind: TransportKind;
  listen(options: ListenOptions): Promise<Listener>;
  connect(options: ConnectOptions): Promise<Connection>;
  /** Milliseconds on this transport's clock: virtual for `sim`, real for `tcp`. */
  now(): number;
  /** Timers on the same clock as `now()`. */
  readonly clock: Clock;
}
