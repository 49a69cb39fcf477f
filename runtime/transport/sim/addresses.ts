/**
 * Addresses on the simulated network. There is one machine: every transport
 * made from a network (client and server programs alike) runs on it. Its
 * addresses are the loopbacks, all of 127.0.0.0/8 and ::1 (as on Linux,
 * whose `lo` holds 127.0.0.1/8), and every address named in the `hosts`
 * option, so a lesson can dial 'ftp.example' and still reach a server in
 * the same tab. IPv6 addresses are compared in their canonical text form
 * (RFC 5952), so '0:0:0:0:0:0:0:1' is '::1'.
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

/** 127.x.y.z: Linux's loopback route covers the whole /8 (`ip addr show lo`: 127.0.0.1/8). */
export function isLoopbackV4(address: string): boolean {
  return familyOf(address) === 4 && address.startsWith('127.');
}

/**
 * An IPv6 address in RFC 5952's form: lower case, no leading zeros, the
 * longest run of two or more zero groups as '::' (the first, on a tie).
 * Text that is not a valid IPv6 address comes back unchanged.
 */
export function canonicalIpv6(text: string): string {
  const groups = ipv6Groups(text.toLowerCase());
  if (groups === undefined) return text.toLowerCase();
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/** The eight 16-bit groups of an IPv6 address, or undefined if it is not one. */
function ipv6Groups(text: string): number[] | undefined {
  let body = text;
  const tail: number[] = [];
  const v4 = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (v4) {
    const octets = v4[1]!.split('.').map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    tail.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    body = body.slice(0, body.length - v4[1]!.length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === undefined || rest === undefined) return undefined;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  return [...head, ...Array<number>(8 - given).fill(0), ...rest, ...tail];
}

/** An address as this machine compares it: IPv6 canonical, IPv4 as written. */
export function normalAddress(address: string): string {
  return familyOf(address) === 6 ? canonicalIpv6(address) : address;
}

/** Name resolution (a tiny /etc/hosts) and the set of this machine's addresses. */
export class HostTable {
  private readonly names = new Map<string, string>();
  private readonly local = new Set<string>([LOOPBACK[4], LOOPBACK[6]]);

  constructor(hosts: Readonly<Record<string, string>>) {
    for (const [name, address] of Object.entries(hosts)) {
      // Host names are case-insensitive (RFC 4343); addresses as written, lower-cased.
      this.names.set(name.toLowerCase(), normalAddress(address.toLowerCase()));
      this.local.add(normalAddress(address.toLowerCase()));
    }
  }

  /** The address for an IP literal or a known name; ENOTFOUND otherwise, like a failed DNS look-up. */
  resolve(host: string): string {
    if (familyOf(host) !== undefined) return normalAddress(host.toLowerCase());
    const address = this.names.get(host.toLowerCase());
    if (address === undefined) {
      throw new TransportError('ENOTFOUND', `no address is known for the host name '${host}'`);
    }
    return address;
  }

  /** Whether the address belongs to this machine (wildcards do not: nobody can send to them). */
  isLocal(address: string): boolean {
    return this.local.has(address) || isLoopbackV4(address);
  }
}
