/**
 * What the parts of a simulated network (connections, listeners, the
 * handshake) need from the network that holds them.
 *
 * Browser-safe: no `node:` import.
 */
import type { Scheduler } from './scheduler.ts';

export interface SimContext {
  readonly scheduler: Scheduler;
  /** Receive window of every connection end, in bytes. */
  readonly receiveBufferBytes: number;
  /** One-way delay for the next packet: the latency plus a seeded random jitter. */
  travelTime(): number;
  /** Size of the next segment to cut; Infinity means "the whole write". */
  nextSegmentSize(): number;
}
