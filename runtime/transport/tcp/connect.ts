/** Opening a connection: Python's `s.connect((host, port))` with a time limit. */
import { connect, type LookupFunction } from 'node:net';
import { onAbort, throwIfAborted } from '../cancel.ts';
import { TransportError, cancelledError, checkPort, checkTimeout, nothingReady, timedOut } from '../errors.ts';
import type { Connection, ConnectOptions } from '../types.ts';
import { checkResolvable, endpointsOf, hostPort } from './addresses.ts';
import { TcpConnection, whenReleased } from './connection.ts';
import type { TcpLimits } from './limits.ts';
import { fromNodeError } from './node-errors.ts';

/**
 * `lookup` replaces the system resolver (dns.lookup); tests use it to make a
 * name that never resolves, so the time limit can be tested without traffic.
 */
export async function connectTcp(
  options: ConnectOptions,
  limits: TcpLimits,
  lookup?: LookupFunction,
): Promise<Connection> {
  const { host, port, signal } = options;
  const what = `connect to ${hostPort(host, port)}`;
  checkPort(port, { allowZero: false });
  checkTimeout(options.timeoutMs);
  throwIfAborted(signal, 'connect');
  checkResolvable(host, what);
  // A handshake takes a round trip: with "don't wait" nothing can be ready.
  // (A non-blocking connect() starts it and says EINPROGRESS; we start
  // nothing, as the simulated network does: no later call could finish it.)
  if (options.timeoutMs === 0) throw nothingReady('connect');
  const timeoutMs = options.timeoutMs ?? limits.connectTimeoutMs;
  // allowHalfOpen: after the peer's FIN this end may still send, as in Python.
  const socket = connect({ host, port, allowHalfOpen: true, ...(lookup ? { lookup } : {}) });
  const released = whenReleased(socket);
  let failed: (error: unknown) => void = () => {};
  let stopListening = (): void => {};
  try {
    await new Promise<void>((resolve, reject) => {
      // The limit covers the name lookup as well as the handshake.
      const timer = setTimeout(() => reject(timedOut('connect', timeoutMs, `no connection to ${hostPort(host, port)}`)), timeoutMs);
      // Cancelled: the socket is destroyed below, so nothing stays open.
      stopListening = onAbort(signal, () => {
        clearTimeout(timer);
        reject(cancelledError('connect'));
      });
      failed = (error) => {
        clearTimeout(timer);
        reject(fromNodeError(error, 'ECONNREFUSED', what));
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } catch (error) {
    stopListening();
    // The 'error' listener stays: an error emitted while tearing down must not go unhandled.
    socket.destroy();
    await released;
    throw error;
  }
  stopListening();
  socket.off('error', failed);
  return new TcpConnection({ socket, ...endpointsOf(socket), released }, limits);
}
