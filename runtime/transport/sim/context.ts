/**
 * What the parts of a simulated network (connections, listeners, the
 * handshake) need from the network that holds them.
 *
 * Browser-safe: no `node:` import.
 */
import type { Scheduler } from './scheduler.ts';
import type { Segmenter } from './segmenter.ts';

export interface SimContext {
  readonly scheduler: Scheduler;
  /** Receive buffer of every connection end, in bytes. */
  readonly receiveBufferBytes: number;
  /** Send buffer of every connection end, in bytes. */
  readonly sendBufferBytes: number;
  readonly segmenter: Segmenter;
  /** One-way delay for the next packet: the latency plus a seeded random jitter. */
  travelTime(): number;
  /** How long a reader woken by arriving bytes takes to run (0 to readDelayMs, seeded). */
  readDelay(): number;
}
