/**
 * One direction of a connection: the wire from one end to the other.
 *
 * Every packet takes the network's travel time (latency plus jitter) but
 * never arrives before one sent earlier: TCP hands bytes to the reader in
 * order, whatever the network did to them on the way. Only the packet at
 * the front has an event on the clock; when it arrives, the next one is
 * scheduled. So a connection costs the scheduler one event per direction,
 * however many segments are in flight.
 *
 * Browser-safe: no `node:` import.
 */
import type { SimContext } from './context.ts';
import { Fifo } from './fifo.ts';

export type Packet =
  /** The handshake's last step: the server end may now be accepted. */
  | { readonly kind: 'ack' }
  /** A segment of the byte stream. */
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  /**
   * An acknowledgement: `acked` more bytes have arrived (the sender may drop
   * them from its send buffer), and the receiver takes bytes up to `edge`
   * (stream offset: the right edge of its window).
   */
  | { readonly kind: 'window'; acked: number; edge: number }
  /** End of data: the sender closed. */
  | { readonly kind: 'fin' }
  /** Reset: the sender aborted the connection. */
  | { readonly kind: 'rst' };

interface InFlight {
  readonly at: number;
  readonly packet: Packet;
}

export class Path {
  /** Data segments sent and not yet arrived (see MAX_SEGMENTS_IN_FLIGHT). */
  segmentsInFlight = 0;
  private readonly inFlight = new Fifo<InFlight>();
  private lastArrival = 0;
  /** Whether the front packet's arrival is on the clock. */
  private delivering = false;

  /**
   * @param arrive hands a packet to the receiving end.
   * @param segmentLanded tells the sending end that a data segment is no longer in flight.
   */
  constructor(
    private readonly ctx: SimContext,
    private readonly arrive: (packet: Packet) => void,
    private readonly segmentLanded: () => void,
  ) {}

  send(packet: Packet): void {
    // A packet that drew a shorter delay than the one before it waits for it:
    // `at` is when it really arrives.
    const at = Math.max(this.lastArrival, this.ctx.scheduler.now() + this.ctx.travelTime());
    if (packet.kind === 'window' && this.mergeWindow(at, packet)) return;
    this.lastArrival = at;
    if (packet.kind === 'data') this.segmentsInFlight++;
    this.inFlight.push({ at, packet });
    if (!this.delivering) {
      this.delivering = true;
      this.ctx.scheduler.at(at, this.deliverFront);
    }
  }

  /**
   * Acknowledgements due at the same moment travel as one (a receiver acks
   * many segments at once), which keeps a bulk transfer from waking the
   * sender once per segment.
   */
  private mergeWindow(at: number, update: { acked: number; edge: number }): boolean {
    const last = this.inFlight.peekLast();
    if (last?.at !== at || last.packet.kind !== 'window') return false;
    last.packet.acked += update.acked;
    last.packet.edge = Math.max(last.packet.edge, update.edge);
    return true;
  }

  private readonly deliverFront = (): void => {
    const { packet } = this.inFlight.shift()!;
    if (packet.kind === 'data') this.segmentsInFlight--;
    this.arrive(packet);
    if (packet.kind === 'data') this.segmentLanded();
    // Packets sent while this one was handled (a waiting send woken by
    // segmentLanded) were queued behind it, not scheduled: do that now.
    const next = this.inFlight.peek();
    if (next) this.ctx.scheduler.at(next.at, this.deliverFront);
    else this.delivering = false;
  };
}
