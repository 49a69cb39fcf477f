/**
 * The network's only source of randomness: a seeded generator, so that the
 * same seed replays the same jitter and the same segment cuts.
 *
 * mulberry32 is tiny and fast, and uses only 32-bit integer arithmetic
 * (Math.imul, >>>), so it gives the same sequence in every JavaScript
 * engine. It is not for cryptography, which a simulated network never needs.
 *
 * Browser-safe: no `node:` import.
 */

/** A generator of numbers in [0, 1). */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A whole number from `min` to `max`, both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
