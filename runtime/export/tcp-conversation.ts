/**
 * One connection of the trace as the TCP segments a capture would show,
 * with sequence and acknowledgement numbers that agree with each other:
 *
 *   connect/accept     SYN, SYN-ACK, ACK
 *   bytes              data segments (at most one IP datagram each), each
 *                      answered by an ACK, so no byte is ever in flight
 *                      beyond the advertised window
 *   close/shutdown     FIN (+ACK), answered by an ACK
 *   reset              RST (+ACK)
 *
 * Each direction's sequence number is its initial sequence number, plus 1
 * for the SYN, plus the stream offset the trace gives every byte, plus 1
 * after its FIN (RFC 9293 section 3.4). Bytes are placed by that offset, so
 * bytes seen twice (both ends in the trace) are written once, and bytes
 * that are missing leave a gap a reader will see as "not captured".
 * Browser-safe.
 */
import type { ConnEnd } from '../../machines/socket-calls.ts';
import { ACK, FIN, MAX_SEGMENT_PAYLOAD, PSH, RST, SYN, tcpFrame, type FrameEnd, type Segment } from './frames.ts';

/** One side of the connection: where it is, and how far its stream has gone. */
export interface Side extends FrameEnd {
  /** Initial sequence number. */
  isn: number;
  /** Bytes of its stream written so far (the next offset expected). */
  next: number;
  fin: boolean;
  /** IPv4 identification of its next datagram. */
  ipId: number;
}

/** Where packets go: a frame and its time in microseconds since 1970. */
export type PacketSink = (micros: number, frame: Uint8Array) => void;

export class TcpConversation {
  private opened = false;
  private reset = false;
  /** Data segments and bytes written, for the export's summary. */
  segments = 0;
  bytes = 0;

  constructor(
    readonly connector: Side,
    readonly acceptor: Side,
    private readonly sink: PacketSink,
  ) {}

  /** The handshake, once, the first time either end's connect or accept is seen. */
  open(micros: number): void {
    if (this.opened || this.reset) return;
    this.opened = true;
    const c = this.connector;
    const a = this.acceptor;
    this.send(micros, c, a, { seq: c.isn, ack: 0, flags: SYN });
    this.send(micros, a, c, { seq: a.isn, ack: c.isn + 1, flags: SYN | ACK });
    this.send(micros, c, a, { seq: c.isn + 1, ack: a.isn + 1, flags: ACK });
  }

  /** Bytes of `from`'s stream starting at `offset`; bytes already written are skipped. */
  data(micros: number, from: ConnEnd, offset: number, bytes: Uint8Array): void {
    const [src, dst] = this.ends(from);
    if (this.reset || src.fin || offset + bytes.length <= src.next) return;
    const start = Math.max(offset, src.next);
    const fresh = bytes.subarray(start - offset);
    const max = MAX_SEGMENT_PAYLOAD[src.ip.length === 16 ? 6 : 4];
    for (let i = 0; i < fresh.length; i += max) {
      const payload = fresh.subarray(i, i + max);
      const at = start + i;
      this.send(micros, src, dst, { seq: src.isn + 1 + at, ack: this.ackOf(dst), flags: PSH | ACK, payload });
      src.next = at + payload.length;
      this.segments += 1;
      this.bytes += payload.length;
      this.send(micros, dst, src, { seq: this.seqOf(dst), ack: this.ackOf(src), flags: ACK });
    }
  }

  /** `from` sends its FIN (once); the other end acknowledges it. */
  fin(micros: number, from: ConnEnd): void {
    const [src, dst] = this.ends(from);
    if (this.reset || src.fin) return;
    this.send(micros, src, dst, { seq: this.seqOf(src), ack: this.ackOf(dst), flags: FIN | ACK });
    src.fin = true;
    this.send(micros, dst, src, { seq: this.seqOf(dst), ack: this.ackOf(src), flags: ACK });
  }

  /** `from` aborts the connection; nothing follows a reset. */
  rst(micros: number, from: ConnEnd): void {
    if (this.reset) return;
    const [src, dst] = this.ends(from);
    this.send(micros, src, dst, { seq: this.seqOf(src), ack: this.ackOf(dst), flags: RST | ACK });
    this.reset = true;
  }

  private ends(from: ConnEnd): [Side, Side] {
    return from === 'connector' ? [this.connector, this.acceptor] : [this.acceptor, this.connector];
  }

  /** The sequence number of `side`'s next byte (its FIN counts as one). */
  private seqOf(side: Side): number {
    return side.isn + 1 + side.next + (side.fin ? 1 : 0);
  }

  /** What the other end acknowledges of `side`: everything written so far. */
  private ackOf(side: Side): number {
    return this.seqOf(side);
  }

  private send(micros: number, src: Side, dst: Side, segment: Omit<Segment, 'ipId' | 'payload'> & { payload?: Uint8Array }): void {
    // Sequence numbers live modulo 2^32 (RFC 9293 section 3.4).
    const frame = tcpFrame(src, dst, {
      seq: segment.seq % 0x1_0000_0000,
      ack: segment.ack % 0x1_0000_0000,
      flags: segment.flags,
      payload: segment.payload ?? new Uint8Array(0),
      ipId: src.ipId,
    });
    src.ipId = (src.ipId + 1) & 0xffff;
    this.sink(micros, frame);
  }
}
