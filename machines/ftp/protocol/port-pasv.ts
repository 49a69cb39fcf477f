/**
 * IPv4 data addresses of RFC 959: the PORT argument and the 227 reply to PASV.
 *
 * RFC 959 section 4.1.2: "the argument is the concatenation of a 32-bit
 * internet host address and a 16-bit TCP port address. This address
 * information is broken into 8-bit fields and the value of each field is
 * transmitted as a decimal number [...]. The fields are separated by commas."
 *
 *   PORT 192,168,1,2,19,137
 *        └─ host ──┘ └port┘   port = 19 * 256 + 137 = 5001
 *
 * Section 5.3.2 writes <number> as "any decimal integer 1 through 255", but
 * every implementation sends 0 too (10.0.0.1, port 1024 = 4,0); we accept 0.
 *
 * Browser-safe: no `node:` import.
 */
import { asClientError, fail } from './errors.ts';
import type { Result } from './errors.ts';
import { MAX_OCTET, MAX_PORT, assertPort, ipv4Problem } from './ip-address.ts';
import { trimSpaces } from './text.ts';

/** An IPv4 address as dotted text, and a TCP port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const FIELD_NAMES = ['h1', 'h2', 'h3', 'h4', 'p1', 'p2'] as const;

/** Check six fields h1..p2 (as text) and build the address. */
function fromFields(fields: readonly string[], what: string): Result<HostPort> {
  const values: number[] = [];
  for (let i = 0; i < 6; i++) {
    const field = fields[i]!;
    const name = FIELD_NAMES[i]!;
    if (/^-\d+$/.test(field)) {
      return fail('ADDRESS_NEGATIVE', `${name} is ${field}: ${what} numbers are 0 to 255, never negative.`);
    }
    if (!/^\d+$/.test(field)) {
      return fail('ADDRESS_NOT_A_NUMBER', `${name} is ${JSON.stringify(field)}, not a decimal number. ${what} takes six numbers like 192,168,1,2,19,137.`);
    }
    const value = Number(field);
    if (value > MAX_OCTET) {
      return i < 4
        ? fail('OCTET_OUT_OF_RANGE', `${name} is ${field}; each of h1..h4 is one byte of the IPv4 address, 0 to ${MAX_OCTET}.`)
        : fail('PORT_OUT_OF_RANGE', `${name} is ${field}; p1 and p2 are the high and low bytes of the port, each 0 to ${MAX_OCTET}, so the port stays at most ${MAX_PORT}.`);
    }
    values.push(value);
  }
  const [h1, h2, h3, h4, p1, p2] = values as [number, number, number, number, number, number];
  const port = p1 * 256 + p2;
  if (port === 0) return fail('PORT_OUT_OF_RANGE', 'p1,p2 = 0,0 is port 0, which nothing can connect to. Use a port from 1 to 65535.');
  return { ok: true, value: { host: `${h1}.${h2}.${h3}.${h4}`, port } };
}

/**
 * Parse the argument of PORT: "h1,h2,h3,h4,p1,p2". Surrounding spaces are
 * ignored. Errors say exactly what is wrong, and carry reply 501.
 */
export function parsePortArgument(argument: string): Result<HostPort> {
  const text = trimSpaces(argument);
  const fields = text.split(',');
  if (fields.length !== 6) {
    // "192.168.1.2.19.137": six numbers, but not separated by commas.
    const loose = text.split(/[,.;:|/ ]/);
    if (loose.length === 6 && loose.every((f) => /^\d+$/.test(f))) {
      const used = [...new Set(text.replace(/[\d,]/g, ''))].map((c) => JSON.stringify(c)).join(' and ');
      return fail('ADDRESS_SEPARATOR', `PORT numbers are separated by commas, not ${used}: write h1,h2,h3,h4,p1,p2 like 192,168,1,2,19,137.`);
    }
    const count = text === '' ? 0 : fields.length;
    return fail('ADDRESS_FIELD_COUNT', `PORT takes 6 numbers separated by commas (h1,h2,h3,h4,p1,p2), but ${JSON.stringify(text.slice(0, 60))} has ${count}.`);
  }
  return fromFields(fields, 'PORT');
}

/**
 * Format the argument of PORT for an IPv4 address and port.
 * @throws RangeError for a host that is not dotted IPv4 or a port outside 1..65535.
 */
export function formatPortArgument({ host, port }: HostPort): string {
  const problem = ipv4Problem(host);
  if (problem) throw new RangeError(problem.reason);
  assertPort(port);
  return `${host.split('.').join(',')},${port >> 8},${port & 0xff}`;
}

// Six runs of digits separated by commas, not part of a longer run of them.
const SIX_NUMBERS = /(?<![\d,])(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)(?!\s*,\s*\d|\d)/;

/**
 * Parse the text of a 227 reply to PASV. Servers write it in several ways;
 * all of these parse:
 *
 *   Entering Passive Mode (192,168,1,2,19,137).    (RFC 959 section 4.2.2)
 *   Entering Passive Mode (192,168,1,2,19,137)
 *   Entering Passive Mode 192,168,1,2,19,137
 *   =192,168,1,2,19,137
 *
 * Clients behind NAT often ignore the host and reuse the control
 * connection's: that choice belongs to the client machine, not here.
 * Errors carry reply null: it is the client that finds them.
 */
export function parsePasvReply(text: string): Result<HostPort> {
  const match = SIX_NUMBERS.exec(text);
  if (!match) {
    return fail('PASV_REPLY_MALFORMED', `The 227 reply ${JSON.stringify(text.slice(0, 80))} holds no h1,h2,h3,h4,p1,p2 address (six numbers separated by commas).`);
  }
  return asClientError(fromFields(match.slice(1), 'A 227 reply'));
}

/** The text of a 227 reply for an IPv4 address and port (without the code). */
export function formatPasvReplyText(address: HostPort): string {
  return `Entering Passive Mode (${formatPortArgument(address)}).`;
}
