/**
 * Addresses as the real transport reports them, and the host names it
 * refuses to look up.
 */
import { endpointText } from '../endpoint.ts';
import type { Socket } from 'node:net';
import { TransportError } from '../errors.ts';
import type { Endpoint } from '../types.ts';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * '::ffff:127.0.0.1' -> '127.0.0.1'. A listener bound to '::' also takes IPv4
 * clients and sees them as IPv4-mapped IPv6 addresses, while the client sees
 * itself as '127.0.0.1'. We report the IPv4 form so that both ends of one
 * connection name the same address (the trace pairs them by address) and the
 * text matches the simulated network, which has no mapped addresses. Python's
 * AF_INET6 socket would show the '::ffff:' form.
 */
export function plainAddress(address: string): string {
  return IPV4_MAPPED.exec(address)?.[1] ?? address;
}

/** Both ends of a connected socket. Read them at once: after a reset Node may no longer know the peer. */
export function endpointsOf(socket: Socket): { local: Endpoint; remote: Endpoint } {
  return {
    local: { host: plainAddress(socket.localAddress ?? ''), port: socket.localPort ?? 0 },
    remote: { host: plainAddress(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 },
  };
}

/**
 * RFC 6761, section 6.4: "Name resolution APIs and libraries SHOULD recognize
 * 'invalid' names as special and SHOULD always return immediately with a
 * negative response." glibc does not: it would ask the configured DNS server.
 * We answer ourselves, so an example using `no-such-host.invalid` fails at
 * once and sends nothing over the network.
 */
export function isInvalidName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'invalid' || name.endsWith('.invalid');
}

export function checkResolvable(host: string, what: string): void {
  if (isInvalidName(host)) {
    throw new TransportError('ENOTFOUND', `${what}: '${host}' is under the reserved .invalid domain (RFC 6761)`);
  }
}

/** 'host:port', with brackets around an IPv6 address as in a URL: '[::1]:21'. */
export function hostPort(host: string, port: number): string {
  return endpointText({ host, port });
}
