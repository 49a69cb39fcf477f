/** Opening a connection: Python's `s.connect((host, port))` with a time limit. */
import { connect, type LookupFunction } from 'node:net';
import { TransportError, checkPort, checkTimeout } from '../errors.ts';
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
  const { host, port } = options;
  const what = `connect to ${hostPort(host, port)}`;
  checkPort(port, { allowZero: false });
  checkTimeout(options.timeoutMs);
  checkResolvable(host, what);
  const timeoutMs = options.timeoutMs ?? limits.connectTimeoutMs;
  // allowHalfOpen: after the peer's FIN this end may still send, as in Python.
  const socket = connect({ host, port, allowHalfOpen: true, ...(lookup ? { lookup } : {}) });
  const released = whenReleased(socket);
  let failed: (error: unknown) => void = () => {};
  try {
    await new Promise<void>((resolve, reject) => {
      // The limit covers the name lookup as well as the handshake.
      const timer = setTimeout(() => {
        reject(new TransportError('ETIMEDOUT', `${what}: no connection within ${timeoutMs} ms`));
      }, timeoutMs);
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
    // The 'error' listener stays: an error emitted while tearing down must not go unhandled.
    socket.destroy();
    await released;
    throw error;
  }
  socket.off('error', failed);
  return new TcpConnection({ socket, ...endpointsOf(socket), released }, limits);
}
