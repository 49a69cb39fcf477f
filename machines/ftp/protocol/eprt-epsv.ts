/**
 * Extended data addresses of RFC 2428, for IPv6 and NAT: the EPRT argument,
 * the EPSV argument and the 229 reply to EPSV.
 *
 * RFC 2428 section 2: "The format of EPRT is:
 *     EPRT<space><d><net-prt><d><net-addr><d><tcp-port><d>
 *   [...] The delimiter character MUST be one of the ASCII characters in
 *   range 33-126 inclusive. The character "|" (ASCII 124) is recommended"
 *
 *   EPRT |1|132.235.1.2|6275|            EPRT |2|1080::8:800:200C:417A|5282|
 *        │ │           │    └ d               │ │                     │
 *        │ │           └ tcp-port             │ └ net-addr (IPv6 text)└ tcp-port
 *        │ └ net-addr (dotted decimal)        └ net-prt 2 = IPv6
 *        └ net-prt 1 = IPv4
 *
 * Browser-safe: no `node:` import.
 */
import { asClientError, fail } from './errors.ts';
import type { Result } from './errors.ts';
import { MAX_PORT, assertPort, ipv4Problem, ipv6Problem } from './ip-address.ts';
import { trimSpaces } from './text.ts';

/** RFC 2428 network protocol numbers (IANA address families): 1 is IPv4, 2 is IPv6. */
export type NetworkProtocol = 1 | 2;

export interface ExtendedAddress {
  readonly protocol: NetworkProtocol;
  /** Dotted decimal under protocol 1, IPv6 text under protocol 2, as sent. */
  readonly host: string;
  readonly port: number;
}

/** What the 522 reply must list: "Network protocol not supported, use (1,2)". */
export const SUPPORTED_PROTOCOLS = '(1,2)';
const FIRST_DELIMITER = 33;
const LAST_DELIMITER = 126;

/** RFC 2428: "The delimiter character MUST be one of the ASCII characters in range 33-126 inclusive." */
function isDelimiter(char: string): boolean {
  const code = char.length === 1 ? char.charCodeAt(0) : 0;
  return code >= FIRST_DELIMITER && code <= LAST_DELIMITER;
}

/** Parse a port field: decimal, 1..65535. */
function parsePortField(text: string, what: string): Result<number> {
  if (text === '') return fail('EPRT_EMPTY_FIELD', `The port field of ${what} is empty.`);
  if (/^-\d+$/.test(text)) return fail('ADDRESS_NEGATIVE', `The port of ${what} is ${text}; ports are 1 to ${MAX_PORT}, never negative.`);
  if (!/^\d+$/.test(text)) return fail('ADDRESS_NOT_A_NUMBER', `The port of ${what} is ${JSON.stringify(text.slice(0, 20))}, not a decimal number.`);
  const port = Number(text);
  if (port < 1 || port > MAX_PORT) return fail('PORT_OUT_OF_RANGE', `The port of ${what} is ${text.length > 12 ? 'a huge number' : text}; TCP ports are 1 to ${MAX_PORT}.`);
  return { ok: true, value: port };
}

/** Parse a net-prt field: 1 or 2; anything else numeric is answered 522. */
function parseProtocolField(text: string, what: string): Result<NetworkProtocol> {
  if (text === '') return fail('EPRT_EMPTY_FIELD', `The network protocol field of ${what} is empty. Use 1 for IPv4 or 2 for IPv6.`);
  if (!/^\d+$/.test(text)) return fail('ADDRESS_NOT_A_NUMBER', `The network protocol of ${what} is ${JSON.stringify(text.slice(0, 20))}, not a number. Use 1 for IPv4 or 2 for IPv6.`);
  if (text !== '1' && text !== '2') {
    return fail('UNKNOWN_NETWORK_PROTOCOL', `Network protocol ${text.slice(0, 20)} is not supported, use ${SUPPORTED_PROTOCOLS}: 1 is IPv4, 2 is IPv6.`);
  }
  return { ok: true, value: text === '1' ? 1 : 2 };
}

/**
 * Parse the argument of EPRT, e.g. "|1|132.235.1.2|6275|".
 * Errors carry 501, or 522 for a protocol other than 1 and 2 (RFC 2428:
 * "The response code 522 indicates that the server does not support the
 * requested network protocol").
 */
export function parseEprtArgument(argument: string): Result<ExtendedAddress> {
  const text = trimSpaces(argument);
  if (text === '') return fail('ADDRESS_FIELD_COUNT', 'EPRT needs an argument like |1|132.235.1.2|6275|.');
  const d = text[0]!;
  if (!isDelimiter(d)) {
    return fail('EPRT_BAD_DELIMITER', `EPRT starts with ${JSON.stringify(d)}; the delimiter must be a printable ASCII character (33 to 126), normally '|'.`);
  }
  const parts = text.split(d);
  // '|1|a|p|' splits into ['', '1', 'a', 'p', '']: 4 delimiters around 3 fields.
  if (parts.length !== 5 || parts[4] !== '') {
    return fail(
      'ADDRESS_FIELD_COUNT',
      `EPRT takes 3 fields between 4 '${d}' delimiters, like |1|132.235.1.2|6275|, but ${JSON.stringify(text.slice(0, 60))} has ${parts.length - 1} delimiters${parts.length === 5 ? ' and does not end with one' : ''}.`,
    );
  }
  const [, prtText, host, portText] = parts as [string, string, string, string, string];
  const protocol = parseProtocolField(prtText, 'EPRT');
  if (!protocol.ok) return protocol;
  if (host === '') return fail('EPRT_EMPTY_FIELD', 'The address field of EPRT is empty.');
  if (protocol.value === 1) {
    if (host.includes(':')) {
      return fail('EPRT_BAD_IPV4', `${JSON.stringify(host.slice(0, 50))} looks like an IPv6 address, but protocol 1 means IPv4 (dotted decimal, like 132.235.1.2). Use |2| for IPv6.`);
    }
    const problem = ipv4Problem(host);
    if (problem) return fail(problem.code, `EPRT protocol 1 needs an IPv4 address: ${problem.reason}`);
  } else {
    const problem = ipv6Problem(host);
    if (problem) return fail(problem.code, `EPRT protocol 2 needs an IPv6 address: ${problem.reason}`);
  }
  const port = parsePortField(portText, 'EPRT');
  if (!port.ok) return port;
  return { ok: true, value: { protocol: protocol.value, host, port: port.value } };
}

/**
 * Format the argument of EPRT.
 * @throws RangeError for a host that does not fit its protocol, or a port outside 1..65535.
 */
export function formatEprtArgument({ protocol, host, port }: ExtendedAddress, delimiter = '|'): string {
  const problem = protocol === 1 ? ipv4Problem(host) : ipv6Problem(host);
  if (problem) throw new RangeError(problem.reason);
  assertPort(port);
  // A digit would blur into the protocol number and the port; one inside the host would split it.
  if (!isDelimiter(delimiter) || host.includes(delimiter) || /\d/.test(delimiter)) {
    throw new RangeError(`${JSON.stringify(delimiter)} cannot delimit EPRT fields`);
  }
  return `${delimiter}${protocol}${delimiter}${host}${delimiter}${port}${delimiter}`;
}

/** What an EPSV command asks for (RFC 2428 section 3). */
export type EpsvRequest =
  /** Plain "EPSV": listen on the protocol of the control connection. */
  | { readonly kind: 'any' }
  /** "EPSV 1" / "EPSV 2": listen on that protocol. */
  | { readonly kind: 'protocol'; readonly protocol: NetworkProtocol }
  /** "EPSV ALL": from now on, refuse PORT, PASV and EPRT. */
  | { readonly kind: 'all' };

/** Parse the argument of EPSV: '', '1', '2' or 'ALL' (any case). */
export function parseEpsvArgument(argument: string): Result<EpsvRequest> {
  const text = trimSpaces(argument);
  if (text === '') return { ok: true, value: { kind: 'any' } };
  if (text.toUpperCase() === 'ALL') return { ok: true, value: { kind: 'all' } };
  const protocol = parseProtocolField(text, 'EPSV');
  if (!protocol.ok) return protocol;
  return { ok: true, value: { kind: 'protocol', protocol: protocol.value } };
}

/**
 * Parse the text of a 229 reply to EPSV. RFC 2428 section 3: "The text
 * returned in response to the EPSV command MUST be:
 *   <text indicating server is entering extended passive mode> (<d><d><d><tcp-port><d>)"
 * e.g. "Entering Extended Passive Mode (|||6446|)". The client connects to
 * that port on the host it already talks to. Errors carry reply null.
 */
export function parseEpsvReply(text: string): Result<{ readonly port: number }> {
  // One pass. Each '(' is tried against the first ')' after it, found by a
  // pointer that only moves forward, so no character is scanned twice.
  // (Searching for the ')' again from every '(' was quadratic: 1 MiB of
  // "(a" and one ')' took 2.6 s.)
  let close = -1;
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    if (close < open) close = text.indexOf(')', open);
    if (close < 0) break;
    // "(|||6446|)": three delimiters, the port, a fourth delimiter; at least 5 characters inside.
    const d = text[open + 1]!;
    if (close - open - 1 < 5 || !isDelimiter(d)) continue;
    if (text[open + 2] !== d || text[open + 3] !== d || text[close - 1] !== d) continue;
    const port = parsePortField(text.slice(open + 4, close - 1), 'the 229 reply');
    return port.ok ? { ok: true, value: { port: port.value } } : asClientError(port);
  }
  return fail('EPSV_REPLY_MALFORMED', `The 229 reply ${JSON.stringify(text.slice(0, 80))} holds no (|||port|) group.`);
}

/** The text of a 229 reply for a port (without the code). */
export function formatEpsvReplyText(port: number): string {
  assertPort(port);
  return `Entering Extended Passive Mode (|||${port}|)`;
}
