/**
 * Checks of IP addresses written as text, for EPRT (RFC 2428 section 2):
 *
 *   "AF Number   Address Format      Example
 *    1           dotted decimal      132.235.1.2
 *    2           IPv6 string         1080::8:800:200C:417A
 *                representations"
 *
 * Each check returns null for a good address, or the reason it is not one.
 *
 * Browser-safe: no `node:` import.
 */
import type { FtpErrorCode } from './errors.ts';

export interface AddressProblem {
  readonly code: FtpErrorCode;
  readonly reason: string;
}

/** The highest value of one IPv4 octet, and of each of PORT's p1 and p2. */
export const MAX_OCTET = 255;
/** The highest TCP port. */
export const MAX_PORT = 65535;

/**
 * For formatters, which our own code calls: a port outside 1..MAX_PORT is a bug.
 * @throws RangeError unless `port` is a whole number from 1 to MAX_PORT.
 */
export function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > MAX_PORT) throw new RangeError(`port ${port} is not 1..${MAX_PORT}`);
}

/** Why `text` is not a dotted-decimal IPv4 address, or null if it is one. */
export function ipv4Problem(text: string): AddressProblem | null {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return { code: 'EPRT_BAD_IPV4', reason: `${JSON.stringify(text)} has ${parts.length} parts separated by '.'; an IPv4 address has 4, like 132.235.1.2.` };
  }
  for (const part of parts) {
    if (!/^\d+$/.test(part)) {
      return { code: 'EPRT_BAD_IPV4', reason: `${JSON.stringify(part)} in ${JSON.stringify(text)} is not a number from 0 to 255.` };
    }
    if (part.length > 1 && part.startsWith('0')) {
      // inet_aton reads 010 as octal 8: refuse rather than guess.
      return { code: 'EPRT_BAD_IPV4', reason: `${JSON.stringify(part)} in ${JSON.stringify(text)} has a leading zero, which some systems read as octal. Write it without.` };
    }
    if (Number(part) > MAX_OCTET) {
      return { code: 'OCTET_OUT_OF_RANGE', reason: `${part} in ${JSON.stringify(text)} is above ${MAX_OCTET}; each part of an IPv4 address is 0 to ${MAX_OCTET}.` };
    }
  }
  return null;
}

const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

/**
 * Why `text` is not IPv6 text (RFC 4291 section 2.2: eight groups of up to
 * four hex digits, one '::' for a run of zero groups, an optional IPv4 tail),
 * or null if it is. Zone ids ('%eth0') are refused: they name an interface
 * of the sender's machine, which means nothing to the receiver.
 */
export function ipv6Problem(text: string): AddressProblem | null {
  const bad = (why: string): AddressProblem => ({ code: 'EPRT_BAD_IPV6', reason: `${JSON.stringify(text)} is not an IPv6 address: ${why}` });
  if (!text.includes(':')) return bad("it has no ':' (IPv4 addresses go with protocol 1).");
  if (text.includes('%')) return bad('zone ids (%...) are not allowed.');
  let head = text;
  let ipv4Groups = 0;
  if (text.includes('.')) {
    const cut = text.lastIndexOf(':');
    const tail = text.slice(cut + 1);
    if (ipv4Problem(tail) !== null) return bad(`its IPv4 tail ${JSON.stringify(tail)} is not dotted decimal.`);
    head = text.slice(0, cut + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1); // 'a:b:1.2.3.4' -> 'a:b'
    ipv4Groups = 2;
  }
  const halves = head.split('::');
  if (halves.length > 2) return bad("'::' may appear only once.");
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  for (const group of groups) {
    if (!HEX_GROUP.test(group)) return bad(`${JSON.stringify(group)} is not 1 to 4 hex digits.`);
  }
  const count = groups.length + ipv4Groups;
  if (halves.length === 2 ? count > 7 : count !== 8) {
    return bad(`it has ${count} groups; an IPv6 address has 8 (fewer with '::').`);
  }
  return null;
}
