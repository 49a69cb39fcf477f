/**
 * One TCP segment as an Ethernet frame, headers synthesized the way a
 * capture on the wire would show them. Browser-safe.
 *
 *   Ethernet (14)   dst MAC (6) | src MAC (6) | type 0x0800 IPv4 / 0x86dd IPv6
 *   IPv4 (20)       45 00 | total length | id | DF | TTL 64 | proto 6 | checksum | src | dst
 *     or IPv6 (40)  60 00 00 00 | payload length | next header 6 | hop limit 64 | src | dst
 *   TCP (20)        src port | dst port | seq | ack | 5<<4 | flags | window | checksum | urgent 0
 *   payload
 *
 * Checksums are computed (RFC 791 section 3.1, RFC 9293 section 3.1 with
 * the pseudo-header of RFC 8200 section 8.1 for IPv6), so Wireshark's
 * checks pass when they are switched on.
 */

export const ETHERNET_HEADER = 14;
export const IPV4_HEADER = 20;
export const IPV6_HEADER = 40;
export const TCP_HEADER = 20;

/**
 * Largest payload of one segment. RFC 791: "Total Length is the length of
 * the datagram [...] The maximum size is 65,535 octets", headers included;
 * an IPv6 payload length is 16 bits too (RFC 8200 section 3), counting the
 * TCP header. Longer sends are cut into several segments.
 */
export const MAX_SEGMENT_PAYLOAD = { 4: 65_535 - IPV4_HEADER - TCP_HEADER, 6: 65_535 - TCP_HEADER } as const;

/** The advertised receive window: the largest without window scaling (RFC 7323). */
export const WINDOW = 65_535;

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/** One end of a segment: its MAC, IP address (4 or 16 bytes) and port. */
export interface FrameEnd {
  mac: Uint8Array;
  ip: Uint8Array;
  port: number;
}

export interface Segment {
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  /** IPv4 identification field. */
  ipId: number;
}

/** One's-complement sum of 16-bit big-endian words, not yet folded. */
function sum16(bytes: Uint8Array, from: number, to: number, start = 0): number {
  let sum = start;
  let i = from;
  for (; i + 1 < to; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (i < to) sum += bytes[i]! << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** The whole frame for one segment from `src` to `dst` (both of one IP version). */
export function tcpFrame(src: FrameEnd, dst: FrameEnd, segment: Segment): Uint8Array {
  const v6 = src.ip.length === 16;
  const ipHeader = v6 ? IPV6_HEADER : IPV4_HEADER;
  const tcpLength = TCP_HEADER + segment.payload.length;
  const frame = new Uint8Array(ETHERNET_HEADER + ipHeader + tcpLength);
  const view = new DataView(frame.buffer);
  frame.set(dst.mac, 0);
  frame.set(src.mac, 6);
  view.setUint16(12, v6 ? 0x86dd : 0x0800);

  const ip = ETHERNET_HEADER;
  if (v6) {
    view.setUint32(ip, 0x60000000);
    view.setUint16(ip + 4, tcpLength);
    frame[ip + 6] = 6; // next header: TCP
    frame[ip + 7] = 64; // hop limit
    frame.set(src.ip, ip + 8);
    frame.set(dst.ip, ip + 24);
  } else {
    frame[ip] = 0x45; // version 4, header of 5 words
    view.setUint16(ip + 2, IPV4_HEADER + tcpLength);
    view.setUint16(ip + 4, segment.ipId & 0xffff);
    view.setUint16(ip + 6, 0x4000); // don't fragment
    frame[ip + 8] = 64; // TTL
    frame[ip + 9] = 6; // protocol: TCP
    frame.set(src.ip, ip + 12);
    frame.set(dst.ip, ip + 16);
    view.setUint16(ip + 10, fold(sum16(frame, ip, ip + IPV4_HEADER)));
  }

  const tcp = ip + ipHeader;
  view.setUint16(tcp, src.port);
  view.setUint16(tcp + 2, dst.port);
  view.setUint32(tcp + 4, segment.seq >>> 0);
  view.setUint32(tcp + 8, segment.ack >>> 0);
  frame[tcp + 12] = (TCP_HEADER / 4) << 4;
  frame[tcp + 13] = segment.flags;
  view.setUint16(tcp + 14, WINDOW);
  frame.set(segment.payload, tcp + TCP_HEADER);

  // The pseudo-header: addresses, protocol and TCP length.
  let pseudo = sum16(src.ip, 0, src.ip.length) + sum16(dst.ip, 0, dst.ip.length) + 6;
  pseudo += v6 ? Math.floor(tcpLength / 0x10000) + (tcpLength & 0xffff) : tcpLength;
  view.setUint16(tcp + 16, fold(sum16(frame, tcp, frame.length, pseudo)));
  return frame;
}
