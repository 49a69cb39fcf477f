/**
 * The limits of the real-socket transport, in one place. Each is enforced in
 * the file named beside it and exercised in `test/tcp-transport.test.ts`;
 * tests pass smaller values through `TcpTransportOptions`.
 */
import { TransportError } from '../errors.ts';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../linux.ts';

export { DEFAULT_CONNECT_TIMEOUT_MS };

/**
 * Bytes a connection may hold that the program has not yet recv()ed
 * (`connection.ts`). Above this we stop reading from the kernel, so its
 * buffer fills, the TCP window closes and a fast sender is slowed down
 * instead of filling our memory. Reading resumes once recv() brings the
 * buffer down to half of this. 4 MiB, as much as the kernel's own buffers:
 * a big transfer is woken up less often (256 KiB here halved the throughput
 * of a lesson's file transfer). The memory is only held while a program
 * reads slower than its peer sends; an idle connection holds none of it.
 */
export const RECEIVE_HIGH_WATER_MARK = 4 * 1024 * 1024;

/**
 * Connections that may wait for accept() (`listener.ts`). Node takes every
 * finished handshake out of the kernel at once, so the kernel's backlog never
 * fills; this queue plays its part. Same value as Linux's classic SOMAXCONN.
 */
export const ACCEPT_QUEUE_LIMIT = 128;

/**
 * Bytes Node may hold queued for the kernel (`connection.ts`): our part of
 * the send buffer. send() copies what fits under this and returns at once,
 * as Linux's send() returns once its bytes are in the kernel's buffer; the
 * kernel's own buffer (3.9 MB on loopback here: SO_SNDBUF after connect,
 * test/transport/probes/buffers.py) takes what it can before Node queues
 * anything. A send() offered more than fits is accepted in part; one that
 * finds no room waits until Node's queue drains. 4 MiB, about the kernel's
 * own buffer again: a fast sender waits for room less often (256 KiB here
 * halved the throughput of a lesson's file transfer). It bounds memory per
 * connection, and is only used while the peer reads slower than we send.
 */
export const SEND_BUFFER_BYTES = 4 * 1024 * 1024;

/**
 * How long close() waits for bytes still queued in Node to reach the kernel
 * before it gives up and resets the connection (`connection.ts`). Only a
 * peer that stopped reading while a send() was still pending can make it wait.
 */
export const CLOSE_FLUSH_LIMIT_MS = 5_000;

/**
 * Overrides of the limits above; tests use small values to reach them
 * quickly. `connectTimeoutMs` defaults to DEFAULT_CONNECT_TIMEOUT_MS
 * (../linux.ts), the same on both transports.
 */
export interface TcpLimitOptions {
  receiveHighWaterMark?: number;
  sendBufferBytes?: number;
  acceptQueueLimit?: number;
  connectTimeoutMs?: number;
  closeFlushLimitMs?: number;
}

export type TcpLimits = Required<TcpLimitOptions>;

/** Fill in the defaults; a limit that is not a positive integer is a programming error. */
export function resolveLimits(options: TcpLimitOptions = {}): TcpLimits {
  const limits: TcpLimits = {
    receiveHighWaterMark: options.receiveHighWaterMark ?? RECEIVE_HIGH_WATER_MARK,
    sendBufferBytes: options.sendBufferBytes ?? SEND_BUFFER_BYTES,
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
