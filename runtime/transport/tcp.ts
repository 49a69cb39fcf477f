/**
 * The real-socket transport: `Transport` on Node's `node:net`. The pieces
 * live in `tcp/`: connection.ts (recv, send, close), listener.ts (listen and
 * accept), connect.ts, and limits.ts, which names every limit.
 *
 * It follows the same Linux rules as the simulated network (`sim/`), except
 * where Node hides the kernel:
 * - send() copies what fits in SEND_BUFFER_BYTES of Node's queue (the
 *   kernel's own send buffer lies beyond it, out of sight) and returns; the
 *   simulated send() copies what fits in its modelled send buffer.
 * - Node completes every handshake at once. The backlog goes to the kernel,
 *   but it is ACCEPT_QUEUE_LIMIT that caps connections waiting for accept(),
 *   and one beyond it is reset; the simulated listener lets backlog + 1
 *   wait, as Linux does, and drops the next SYN, so the client retries.
 * - Bytes are read from the kernel before recv() asks, up to
 *   RECEIVE_HIGH_WATER_MARK; close() resets when any of those are unread.
 * - close() gives queued bytes CLOSE_FLUSH_LIMIT_MS to leave, then resets.
 * - Time is the wall clock, addresses and ports are the system's, and names
 *   go to the system resolver (except .invalid ones, refused at once).
 *
 * Nothing here touches the process: no global handlers, and no timers or
 * sockets left behind once connections and listeners are closed.
 */
import type { LookupFunction } from 'node:net';
import type { Transport } from './types.ts';
import { connectTcp } from './tcp/connect.ts';
import { resolveLimits, type TcpLimitOptions } from './tcp/limits.ts';
import { listenTcp } from './tcp/listener.ts';

export {
  ACCEPT_QUEUE_LIMIT,
  CLOSE_FLUSH_LIMIT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  RECEIVE_HIGH_WATER_MARK,
  SEND_BUFFER_BYTES,
} from './tcp/limits.ts';
export { TcpConnection } from './tcp/connection.ts';

export interface TcpTransportOptions extends TcpLimitOptions {
  /** Replaces the system resolver for connect(); for tests. */
  lookup?: LookupFunction;
}

/** Real sockets; `options` lower the limits (tests) or replace the resolver. */
export function createTcpTransport(options: TcpTransportOptions = {}): Transport {
  const limits = resolveLimits(options);
  // Monotonic: unlike Date.now(), never jumps when the system clock is set.
  const now = () => performance.now();
  return {
    kind: 'tcp',
    listen: (listenOptions) => listenTcp(listenOptions, limits),
    connect: (connectOptions) => connectTcp(connectOptions, limits, options.lookup),
    now,
    clock: {
      now,
      setTimeout: (fire, ms) => setTimeout(fire, ms),
      clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
    },
  };
}
