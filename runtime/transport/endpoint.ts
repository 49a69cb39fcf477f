import type { Endpoint } from './types.ts';

/**
 * An address as Python and URLs write it: '127.0.0.1:12345', and an IPv6
 * host in brackets, '[::1]:12345' (without them, '::1:12345' reads as one
 * longer IPv6 address; RFC 3986 section 3.2.2). Browser-safe.
 */
export function endpointText(e: Endpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}
