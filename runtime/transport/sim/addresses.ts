/**
 * Addresses on the simulated network. There is one machine: every transport
 * made from a network (client and server programs alike) runs on it. Its
 * addresses are the loopbacks 127.0.0.1 and ::1 and every address named in
 * the `hosts` option, so a lesson can dial 'ftp.example' and still reach a
 * server in the same tab.
 *
 * Browser-safe: no `node:` import.
 */
import { TransportError } from '../errors.ts';

export type Family = 4 | 6;

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/** 4 or 6 for an IP address written as text; undefined for a host name. */
export function familyOf(text: string): Family | undefined {
  const v4 = IPV4.exec(text);
  if (v4) return v4.slice(1).every((octet) => Number(octet) <= 255) ? 4 : undefined;
  return text.includes(':') && IPV6.test(text) ? 6 : undefined;
}

/** Binding the wildcard listens on every address of this machine in that family. */
const WILDCARD: Record<Family, string> = { 4: '0.0.0.0', 6: '::' };
const LOOPBACK: Record<Family, string> = { 4: '127.0.0.1', 6: '::1' };

export function isWildcard(address: string): boolean {
  return address === WILDCARD[4] || address === WILDCARD[6];
}

export function wildcardOf(family: Family): string {
  return WILDCARD[family];
}

export function loopbackOf(family: Family): string {
  return LOOPBACK[family];
}

/** Name resolution (a tiny /etc/hosts) and the set of this machine's addresses. */
export class HostTable {
  private readonly names = new Map<string, string>();
  private readonly local = new Set<string>([LOOPBACK[4], LOOPBACK[6]]);

  constructor(hosts: Readonly<Record<string, string>>) {
    for (const [name, address] of Object.entries(hosts)) {
      // Host names are case-insensitive (RFC 4343); addresses as written, lower-cased.
      this.names.set(name.toLowerCase(), address.toLowerCase());
      this.local.add(address.toLowerCase());
    }
  }

  /** The address for an IP literal or a known name; ENOTFOUND otherwise, like a failed DNS look-up. */
  resolve(host: string): string {
    if (familyOf(host) !== undefined) return host.toLowerCase();
    const address = this.names.get(host.toLowerCase());
    if (address === undefined) {
      throw new TransportError('ENOTFOUND', `no address is known for the host name '${host}'`);
    }
    return address;
  }

  /** Whether the address belongs to this machine (wildcards do not: nobody can send to them). */
  isLocal(address: string): boolean {
    return this.local.has(address);
  }
}
