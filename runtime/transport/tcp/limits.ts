/**
 * The limits of the real-socket transport, in one place. Each is enforced in
 * the file named beside it and exercised in `test/tcp-transport.test.ts`;
 * tests pass smaller values through `TcpTransportOptions`.
 */
import { TransportError } from '../errors.ts';

/**
 * Bytes a connection may hold that the program has not yet recv()ed
 * (`connection.ts`). Above this we stop reading from the kernel, so its
 * buffer fills, the TCP window closes and a fast sender is slowed down
 * instead of filling our memory. Reading resumes once recv() brings the
 * buffer down to half of this.
 */
export const RECEIVE_HIGH_WATER_MARK = 256 * 1024;

/**
 * Connections that may wait for accept() (`listener.ts`). Node takes every
 * finished handshake out of the kernel at once, so the kernel's backlog never
 * fills; this queue plays its part. Same value as Linux's classic SOMAXCONN.
 */
export const ACCEPT_QUEUE_LIMIT = 128;

/**
 * Most bytes one send() takes (`connection.ts`), like a kernel send buffer
 * taking what fits. A larger offer is accepted in part and the caller sends
 * the rest, as Python's send() may do; the trace then shows each part before
 * the peer's reads of it, as on the simulated network.
 */
export const SEND_CHUNK_BYTES = 64 * 1024;

/** How long connect() waits when the caller gives no timeout (`connect.ts`). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * How long close() waits for bytes still queued in Node to reach the kernel
 * before it gives up and resets the connection (`connection.ts`). Only a
 * peer that stopped reading while a send() was still pending can make it wait.
 */
export const CLOSE_FLUSH_LIMIT_MS = 5_000;

/** Overrides of the limits above; tests use small values to reach them quickly. */
export interface TcpLimitOptions {
  receiveHighWaterMark?: number;
  sendChunkBytes?: number;
  acceptQueueLimit?: number;
  connectTimeoutMs?: number;
  closeFlushLimitMs?: number;
}

export type TcpLimits = Required<TcpLimitOptions>;

/** Fill in the defaults; a limit that is not a positive integer is a programming error. */
export function resolveLimits(options: TcpLimitOptions = {}): TcpLimits {
  const limits: TcpLimits = {
    receiveHighWaterMark: options.receiveHighWaterMark ?? RECEIVE_HIGH_WATER_MARK,
    sendChunkBytes: options.sendChunkBytes ?? SEND_CHUNK_BYTES,
    acceptQueueLimit: options.acceptQueueLimit ?? ACCEPT_QUEUE_LIMIT,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    closeFlushLimitMs: options.closeFlushLimitMs ?? CLOSE_FLUSH_LIMIT_MS,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TransportError('EINVAL', `${name} must be a positive integer, not ${value}`);
    }
  }
  return limits;
}
