/**
 * How accepted bytes are cut into segments before they travel. A real
 * sender cuts at the path's MSS (1460 bytes on Ethernet) and sometimes
 * smaller; each segment then arrives on its own, so a reader waiting in
 * recv() may wake with only the first piece of a send.
 *
 * Browser-safe: no `node:` import.
 */
import { randomInt, type Random } from './prng.ts';

export type SegmentationPolicy =
  /** Each accepted write travels as one segment, however large. */
  | { readonly kind: 'whole' }
  /** Pieces of at most `size` bytes (the Maximum Segment Size). */
  | { readonly kind: 'mss'; readonly size: number }
  /** Pieces of a random size from `min` to `max`, drawn from the network's seeded generator. */
  | { readonly kind: 'random'; readonly min: number; readonly max: number };

/**
 * A function giving the size of the next segment to cut. The caller cuts
 * no further than the bytes it has, so `Infinity` means "all of them".
 */
export function segmentSizes(policy: SegmentationPolicy, random: Random): () => number {
  switch (policy.kind) {
    case 'whole':
      return () => Infinity;
    case 'mss':
      return () => policy.size;
    case 'random':
      return () => randomInt(random, policy.min, policy.max);
  }
}
