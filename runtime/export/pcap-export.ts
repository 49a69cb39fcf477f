/**
 * A trace as a capture Wireshark reads: a pure function from trace records
 * to the bytes of a classic pcap file, fed one record at a time so that a
 * trace of any size streams through it (the CLI reads a file line by line;
 * the page can feed its records and join the chunks into a Blob).
 *
 *   const pcap = new PcapExport();
 *   for (const record of records) for (const chunk of pcap.push(record)) write(chunk);
 *   pcap.summary   // connections, packets, bytes
 *
 * Each connection (`conn`) becomes one TCP conversation (tcp-conversation.ts):
 *
 *   record                              packets
 *   connect or accept                   SYN, SYN-ACK, ACK (once, at the first of them)
 *   send with data                      the bytes, from the end that sent them
 *   recv with data                      the bytes, from the other end (its sends are not in the trace)
 *   recv of 0 bytes                     the other end's FIN, if not yet written
 *   shutdown, close                     FIN from that end
 *   reset, an ECONNRESET/EPIPE error    RST from the end that sent it
 *   fault reset (the tap's)             RST from the accepting end
 *
 * Addresses are the connecting end's view (its connect record), else the
 * accepting end's (its accept record): in a tap trace that is the client's
 * view. A connection whose opening is not in the trace (a windowed trace)
 * gets documentation addresses (RFC 5737). Times are the header's
 * `startedAt` plus each record's `t`. Browser-safe: no `node:` import.
 */
import type { ConnEnd, Endpoint } from '../../machines/socket-calls.ts';
import type { TraceRecord } from '../trace/records.ts';
import { ipv4Bytes, ipv4MappedIpv6, ipv6Bytes } from './ip-address-bytes.ts';
import { pcapFileHeader, pcapRecord } from './pcap-format.ts';
import { TcpConversation, type Side } from './tcp-conversation.ts';

const OTHER: Record<ConnEnd, ConnEnd> = { connector: 'acceptor', acceptor: 'connector' };

/** Locally administered MACs (the 0x02 bit), one per end: 02:00:00:00:00:01 connects, ...:02 accepts. */
const MAC: Record<ConnEnd, Uint8Array> = {
  connector: Uint8Array.of(0x02, 0, 0, 0, 0, 1),
  acceptor: Uint8Array.of(0x02, 0, 0, 0, 0, 2),
};

/** TEST-NET-1 (RFC 5737), for ends the trace does not name. */
const UNKNOWN_CONNECTOR = '192.0.2.1';
const UNKNOWN_ACCEPTOR = '192.0.2.2';

export interface ExportSummary {
  /** Connections written (TCP conversations). */
  connections: number;
  packets: number;
  /** Payload bytes written, both directions of every connection. */
  bytes: number;
  /** Records read. */
  records: number;
}

/** A 32-bit initial sequence number from the connection id and end, so every conversation has its own. */
function isnOf(conn: string, end: ConnEnd): number {
  let h = end === 'connector' ? 0x811c9dc5 : 0x01000193;
  for (let i = 0; i < conn.length; i++) h = Math.imul(h ^ conn.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** Both addresses as bytes of one IP version: IPv4 if both are, else IPv6 (IPv4 ones mapped). */
function addressPair(a: string, b: string): [Uint8Array, Uint8Array] {
  const a4 = ipv4Bytes(a);
  const b4 = ipv4Bytes(b);
  const a6 = ipv6Bytes(a);
  const b6 = ipv6Bytes(b);
  if (a4 !== null && b4 !== null) return [a4, b4];
  if ((a4 ?? a6) !== null && (b4 ?? b6) !== null) return [a6 ?? ipv4MappedIpv6(a4!), b6 ?? ipv4MappedIpv6(b4!)];
  // A host name (not an address): documentation addresses stand in.
  return [a4 ?? ipv4Bytes(UNKNOWN_CONNECTOR)!, b4 ?? ipv4Bytes(UNKNOWN_ACCEPTOR)!];
}

export class PcapExport {
  private readonly conversations = new Map<string, TcpConversation>();
  private startedAt = 0;
  private lastMicros = 0;
  private headerWritten = false;
  private out: Uint8Array[] = [];
  private records = 0;
  private packets = 0;

  /** The bytes this record adds to the file (the file header comes with the first record). */
  push(record: TraceRecord): Uint8Array[] {
    this.out = [];
    if (!this.headerWritten) {
      this.headerWritten = true;
      this.out.push(pcapFileHeader());
    }
    this.records += 1;
    if (record.type === 'run') this.startedAt = record.startedAt;
    else this.packetsOf(record);
    return this.out;
  }

  /** What was written so far. */
  get summary(): ExportSummary {
    let bytes = 0;
    for (const c of this.conversations.values()) bytes += c.bytes;
    return { connections: this.conversations.size, packets: this.packets, bytes, records: this.records };
  }

  private packetsOf(r: TraceRecord): void {
    // Records never go back in time in a trace; clamp anyway, for readers that sort on time.
    const micros = Math.max(this.lastMicros, Math.round((this.startedAt + r.t) * 1000));
    this.lastMicros = micros;
    switch (r.type) {
      case 'connect':
        return this.conversation(r.conn, { connector: r.local, acceptor: r.remote }).open(micros);
      case 'accept':
        return this.conversation(r.conn, { connector: r.remote, acceptor: r.local }).open(micros);
      case 'send':
        return this.conversation(r.conn).data(micros, r.end, r.offset, r.data);
      case 'recv': {
        const c = this.conversation(r.conn);
        if (r.data !== undefined) c.data(micros, OTHER[r.end], r.offset, r.data);
        if (r.size === 0) c.fin(micros, OTHER[r.end]);
        return;
      }
      case 'shutdown':
      case 'close':
        return this.conversation(r.conn).fin(micros, r.end);
      case 'reset':
        return this.conversation(r.conn).rst(micros, r.by === 'local' ? r.end : OTHER[r.end]);
      case 'error':
        // A send after the peer's reset fails EPIPE with no reset record of its own.
        if (r.conn !== undefined && r.end !== undefined && (r.code === 'ECONNRESET' || r.code === 'EPIPE')) {
          this.conversation(r.conn).rst(micros, OTHER[r.end]);
        }
        return;
      case 'fault':
        if (r.kind === 'reset') this.conversation(r.conn).rst(micros, 'acceptor');
        return;
      default:
        return; // machine, file and print records carry no packets
    }
  }

  /** The conversation of a connection, made on first sight with the addresses known then. */
  private conversation(conn: string, ends?: { connector: Endpoint; acceptor: Endpoint }): TcpConversation {
    const known = this.conversations.get(conn);
    if (known !== undefined) return known;
    const n = this.conversations.size;
    const connector = ends?.connector ?? { host: UNKNOWN_CONNECTOR, port: 49152 + (n % 16384) };
    const acceptor = ends?.acceptor ?? { host: UNKNOWN_ACCEPTOR, port: 9 };
    const [cIp, aIp] = addressPair(connector.host, acceptor.host);
    const side = (end: ConnEnd, ip: Uint8Array, port: number): Side => ({ mac: MAC[end], ip, port, isn: isnOf(conn, end), next: 0, fin: false, ipId: 1 });
    const conversation = new TcpConversation(side('connector', cIp, connector.port), side('acceptor', aIp, acceptor.port), (micros, frame) => {
      this.packets += 1;
      this.out.push(pcapRecord(micros, frame));
    });
    this.conversations.set(conn, conversation);
    return conversation;
  }
}

/** A whole trace as the bytes of one pcap file. */
export function traceToPcap(records: Iterable<TraceRecord>): Uint8Array {
  const pcap = new PcapExport();
  const chunks: Uint8Array[] = [];
  for (const record of records) chunks.push(...pcap.push(record));
  if (chunks.length === 0) chunks.push(pcapFileHeader()); // no records: an empty capture
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
