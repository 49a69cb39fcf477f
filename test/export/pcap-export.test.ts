// The pcap writer without tshark: file and frame layout, checksums, and
// sequence and acknowledgement numbers that agree, for every kind of trace.
import { describe, expect, it } from 'vitest';
import greeting from '../../lessons/01-greeting/lesson.ts';
import { runScenarioSim } from '../../lessons/run-scenario.ts';
import { ACK, FIN, MAX_SEGMENT_PAYLOAD, PSH, RST, SYN } from '../../runtime/export/frames.ts';
import { ipv4Bytes, ipv6Bytes } from '../../runtime/export/ip-address-bytes.ts';
import { PcapExport, traceToPcap } from '../../runtime/export/pcap-export.ts';
import type { TraceRecord } from '../../runtime/trace/records.ts';

interface Packet {
  micros: number;
  src: string;
  dst: string;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  ipChecksumOk: boolean;
  tcpChecksumOk: boolean;
}

function sum16(bytes: Uint8Array, start = 0): number {
  let sum = start;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Read a pcap file back: an independent reader of what the writer wrote. */
function readPcap(file: Uint8Array): Packet[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  expect(view.getUint32(0, true)).toBe(0xa1b2c3d4);
  expect([view.getUint16(4, true), view.getUint16(6, true)]).toEqual([2, 4]);
  expect(view.getUint32(20, true)).toBe(1); // Ethernet
  const packets: Packet[] = [];
  for (let at = 24; at < file.length; ) {
    const micros = view.getUint32(at, true) * 1e6 + view.getUint32(at + 4, true);
    const length = view.getUint32(at + 8, true);
    expect(view.getUint32(at + 12, true)).toBe(length);
    const frame = file.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    const f = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const v6 = f.getUint16(12) === 0x86dd;
    const ipLength = v6 ? 40 : 20;
    const ip = frame.subarray(14, 14 + ipLength);
    const tcp = frame.subarray(14 + ipLength);
    const src = ip.subarray(v6 ? 8 : 12, v6 ? 24 : 16);
    const dst = ip.subarray(v6 ? 24 : 16, v6 ? 40 : 20);
    if (!v6) expect(f.getUint16(16)).toBe(frame.length - 14); // IPv4 total length
    else expect(f.getUint16(18)).toBe(tcp.length); // IPv6 payload length
    const pseudo = sum16(src) + sum16(dst) + 6 + tcp.length;
    const t = new DataView(tcp.buffer, tcp.byteOffset, tcp.byteLength);
    packets.push({
      micros,
      src: `${[...src].join('.')}:${t.getUint16(0)}`,
      dst: `${[...dst].join('.')}:${t.getUint16(2)}`,
      seq: t.getUint32(4),
      ack: t.getUint32(8),
      flags: tcp[13]!,
      payload: tcp.subarray(20),
      ipChecksumOk: v6 || sum16(ip) === 0xffff,
      tcpChecksumOk: sum16(tcp, pseudo) === 0xffff,
    });
  }
  return packets;
}

/**
 * Sequence numbers continue each direction's stream, and no end ever
 * acknowledges what the other has not sent: what Wireshark calls "previous
 * segment not captured" and "ACKed unseen segment" cannot happen.
 */
function checkNumbers(packets: Packet[]): void {
  const next = new Map<string, number>();
  for (const p of packets) {
    expect(p.ipChecksumOk && p.tcpChecksumOk).toBe(true);
    const mine = next.get(p.src);
    if (p.flags & SYN) next.set(p.src, (p.seq + 1) >>> 0);
    else {
      if (mine !== undefined) expect(p.seq).toBe(mine);
      next.set(p.src, (p.seq + p.payload.length + (p.flags & FIN ? 1 : 0)) >>> 0);
    }
    const theirs = next.get(p.dst);
    if (p.flags & ACK && theirs !== undefined) expect(p.ack).toBe(theirs);
  }
}

const header = (startedAt = 0): TraceRecord => ({ seq: 0, t: 0, type: 'run', version: 2, transport: 'tcp', startedAt });
const a = { host: '192.168.1.10', port: 50000 };
const b = { host: '192.168.1.20', port: 21 };

describe('IP addresses to bytes', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['256.0.0.1', null],
    ['1.2.3', null],
    ['::1', null],
  ])('IPv4 %s', (text, bytes) => {
    expect(ipv4Bytes(text)).toEqual(bytes === null ? null : Uint8Array.from(bytes));
  });
  it.each([
    ['::1', [...new Array(15).fill(0), 1]],
    ['::', new Array(16).fill(0)],
    ['2001:db8::8:800:200c:417a', [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a]],
    ['::ffff:1.2.3.4', [...new Array(10).fill(0), 0xff, 0xff, 1, 2, 3, 4]],
    ['fe80::1%eth0', [0xfe, 0x80, ...new Array(13).fill(0), 1]],
    ['1:2:3:4:5:6:7:8:9', null],
    ['1::2::3', null],
    ['127.0.0.1', null],
    ['g::1', null],
  ])('IPv6 %s', (text, bytes) => {
    expect(ipv6Bytes(text)).toEqual(bytes === null ? null : Uint8Array.from(bytes));
  });
});

describe('the pcap export', () => {
  it('writes the file header once, with the first record, and nothing for records that move no bytes', () => {
    const pcap = new PcapExport();
    expect(pcap.push(header())).toHaveLength(1);
    expect(pcap.push({ seq: 1, t: 0, type: 'actor', actor: 'x', machine: 'x' })).toEqual([]);
    expect(pcap.push({ seq: 2, t: 0, type: 'print', actor: 'x', text: 'hi' })).toEqual([]);
    expect(traceToPcap([])).toHaveLength(24);
  });

  it('lesson 1 on the simulated network: handshake, greeting, two FINs, numbers that agree', async () => {
    const records = await runScenarioSim(greeting);
    const packets = readPcap(traceToPcap(records));
    checkNumbers(packets);
    expect(packets.map((p) => p.flags)).toEqual([SYN, SYN | ACK, ACK, PSH | ACK, ACK, FIN | ACK, ACK, FIN | ACK, ACK]);
    expect(new TextDecoder().decode(packets[3]!.payload)).toBe('You are connected');
  });

  it('takes the bytes of an outside peer from recv records, and its FIN from a recv of 0 bytes', () => {
    const records: TraceRecord[] = [
      header(1_700_000_000_000),
      { seq: 1, t: 1.5, type: 'connect', actor: 'c', conn: 'c1', end: 'connector', local: a, remote: b },
      { seq: 2, t: 2, type: 'recv', actor: 'c', conn: 'c1', end: 'connector', max: 100, size: 4, offset: 0, data: Uint8Array.of(50, 50, 48, 32) },
      { seq: 3, t: 3, type: 'send', actor: 'c', conn: 'c1', end: 'connector', offered: 2, accepted: 2, offset: 0, data: Uint8Array.of(13, 10) },
      { seq: 4, t: 4, type: 'recv', actor: 'c', conn: 'c1', end: 'connector', max: 100, size: 0, offset: 4 },
      { seq: 5, t: 5, type: 'close', actor: 'c', conn: 'c1', end: 'connector' },
    ];
    const packets = readPcap(traceToPcap(records));
    checkNumbers(packets);
    expect(packets[0]!.micros).toBe(1_700_000_000_001_500);
    expect(packets.map((p) => `${p.src === '192.168.1.10:50000' ? '→' : '←'} ${p.flags}`)).toEqual([
      `→ ${SYN}`, `← ${SYN | ACK}`, `→ ${ACK}`,
      `← ${PSH | ACK}`, `→ ${ACK}`,
      `→ ${PSH | ACK}`, `← ${ACK}`,
      `← ${FIN | ACK}`, `→ ${ACK}`,
      `→ ${FIN | ACK}`, `← ${ACK}`,
    ]);
  });

  it('writes bytes seen by both ends once, and nothing after a reset', () => {
    const data = Uint8Array.of(1, 2, 3, 4, 5, 6);
    const records: TraceRecord[] = [
      header(),
      { seq: 1, t: 0, type: 'accept', actor: 's', conn: 'c1', end: 'acceptor', listener: 'l1', local: b, remote: a },
      { seq: 2, t: 0, type: 'send', actor: 's', conn: 'c1', end: 'acceptor', offered: 6, accepted: 6, offset: 0, data },
      // An outside program's copy of the same bytes, overlapping: written once.
      { seq: 3, t: 0, type: 'recv', actor: 'x', conn: 'c1', end: 'connector', max: 9, size: 4, offset: 2, data: data.subarray(2) },
      { seq: 4, t: 1, type: 'reset', actor: 's', conn: 'c1', end: 'acceptor', by: 'peer' },
      { seq: 5, t: 2, type: 'close', actor: 's', conn: 'c1', end: 'acceptor' },
      { seq: 6, t: 2, type: 'send', actor: 's', conn: 'c1', end: 'acceptor', offered: 1, accepted: 1, offset: 6, data: Uint8Array.of(9) },
    ];
    const packets = readPcap(traceToPcap(records));
    checkNumbers(packets);
    expect(packets.filter((p) => p.payload.length > 0).map((p) => [...p.payload])).toEqual([[1, 2, 3, 4, 5, 6]]);
    const last = packets.at(-1)!;
    expect(last.flags).toBe(RST | ACK);
    expect(last.src).toBe('192.168.1.10:50000'); // reset by the peer: the other end sent it
  });

  it('a tap\'s reset comes from the accepting end, and an error ECONNRESET or EPIPE counts as a reset', () => {
    const base: TraceRecord[] = [header(), { seq: 1, t: 0, type: 'connect', actor: 'client', conn: 'c1', end: 'connector', local: a, remote: b }];
    const tapReset = readPcap(traceToPcap([...base, { seq: 2, t: 1, type: 'fault', kind: 'reset', conn: 'c1', because: 'limit', after: 0 }]));
    expect(tapReset.at(-1)).toMatchObject({ flags: RST | ACK, src: '192.168.1.20:21' });
    const epipe = readPcap(traceToPcap([...base, { seq: 2, t: 1, type: 'error', actor: 'client', op: 'send', code: 'EPIPE', message: 'x', conn: 'c1', end: 'connector' }]));
    expect(epipe.at(-1)).toMatchObject({ flags: RST | ACK, src: '192.168.1.20:21' });
  });

  it('cuts a send into segments no larger than an IP datagram, IPv4 and IPv6', () => {
    for (const [host, max] of [['10.0.0.1', MAX_SEGMENT_PAYLOAD[4]], ['fd00::1', MAX_SEGMENT_PAYLOAD[6]]] as const) {
      const data = new Uint8Array(150_000).map((_, i) => i & 0xff);
      const records: TraceRecord[] = [
        header(),
        { seq: 1, t: 0, type: 'connect', actor: 'c', conn: 'c1', end: 'connector', local: { host, port: 1 }, remote: { host, port: 2 } },
        { seq: 2, t: 0, type: 'send', actor: 'c', conn: 'c1', end: 'connector', offered: data.length, accepted: data.length, offset: 0, data },
      ];
      const packets = readPcap(traceToPcap(records));
      checkNumbers(packets);
      const sizes = packets.filter((p) => p.payload.length > 0).map((p) => p.payload.length);
      expect(sizes).toEqual([max, max, data.length - 2 * max]);
    }
  });

  it('a connection whose opening is not in the trace gets documentation addresses and no handshake', () => {
    const packets = readPcap(
      traceToPcap([header(), { seq: 9, t: 0, type: 'send', actor: 'c', conn: 'c7', end: 'connector', offered: 1, accepted: 1, offset: 0, data: Uint8Array.of(1) }]),
    );
    expect(packets[0]).toMatchObject({ src: '192.0.2.1:49152', dst: '192.0.2.2:9', flags: PSH | ACK });
  });
});
