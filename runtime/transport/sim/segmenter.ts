/**
 * How accepted bytes are cut into segments before they travel. A real
 * sender cuts at the path's MSS (65,483 bytes on Linux's loopback, 1460 on
 * Ethernet); each segment then arrives on its own, so a reader waiting in
 * recv() may wake with only the first piece of a send.
 *
 * Browser-safe: no `node:` import.
 */
import { randomInt, type Random } from './prng.ts';

/**
 * Loopback's MSS on Linux: its MTU of 65,536 less 20 bytes of IP header, 20
 * of TCP header and 12 of timestamps (TCP_INFO's advmss on 127.0.0.1 here,
 * test/transport/probes/buffers.py).
 */
export const LOOPBACK_MSS = 65_483;

/**
 * How often the default network cuts a write once more, at a seeded point.
 * Linux on loopback never cuts a write shorter than the MSS; we do, in one
 * write of four, so that the seed shows a learner that one send() may come
 * back as two recv()s (lesson 1's greeting, with some seeds), which TCP
 * allows and a network between two machines does now and then. Set
 * `cutChance: 0` for loopback's exact behaviour.
 */
export const DEFAULT_CUT_CHANCE = 0.25;

export type SegmentationPolicy =
  /** Each accepted write travels as one segment, however large. */
  | { readonly kind: 'whole' }
  /**
   * Pieces of at most `size` bytes (the Maximum Segment Size); with
   * `cutChance` (0 to 1, default 0), each write is first cut in two at a
   * random point with that probability.
   */
  | { readonly kind: 'mss'; readonly size: number; readonly cutChance?: number }
  /** Pieces of a random size from `min` to `max`, drawn from the network's seeded generator. */
  | { readonly kind: 'random'; readonly min: number; readonly max: number };

/** How one network cuts: the next segment's size, and where (if at all) to cut a new write first. */
export interface Segmenter {
  /** Size of the next segment to cut; Infinity means "the whole write". */
  nextSize(): number;
  /** For a write of `length` bytes: the length of its first part, if it is to be cut; else undefined. */
  cutPoint(length: number): number | undefined;
  /** The largest segment: the Eff.snd.MSS of the receiver's silly-window rule. */
  readonly largest: number;
}

export function segmenterFor(policy: SegmentationPolicy, random: Random): Segmenter {
  const never = (): undefined => undefined;
  switch (policy.kind) {
    case 'whole':
      return { nextSize: () => Infinity, cutPoint: never, largest: Infinity };
    case 'mss': {
      const chance = policy.cutChance ?? 0;
      const cutPoint =
        chance === 0 ? never : (length: number) => (length >= 2 && random() < chance ? randomInt(random, 1, length - 1) : undefined);
      return { nextSize: () => policy.size, cutPoint, largest: policy.size };
    }
    case 'random':
      return { nextSize: () => randomInt(random, policy.min, policy.max), cutPoint: never, largest: policy.max };
  }
}
