/**
 * `?seed=N`: the simulated network's seed, a whole number from 1 (default 1).
 * A value that is not one is not silently ignored: the page runs seed 1,
 * says so, and rewrites the URL to the seed it ran, so that the link a
 * learner shares replays what they saw.
 */
export const DEFAULT_SEED = 1;

export interface SeedChoice {
  seed: number;
  /** The search string to put in the URL instead, or null when it already names the seed run. */
  search: string | null;
  /** What to tell the learner, or null. */
  notice: string | null;
}

export function seedFromSearch(search: string): SeedChoice {
  const params = new URLSearchParams(search);
  const raw = params.get('seed');
  if (raw === null) return { seed: DEFAULT_SEED, search: null, notice: null };
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  const valid = Number.isSafeInteger(value) && value > 0;
  const seed = valid ? value : DEFAULT_SEED;
  if (raw === String(seed)) return { seed, search: null, notice: null };
  params.set('seed', String(seed));
  return {
    seed,
    search: `?${params.toString()}`,
    // '007' is seed 7: no need to say anything. 'abc' is no seed at all.
    notice: valid ? null : `“${raw}” is not a seed (a whole number from 1), so this is seed ${DEFAULT_SEED}.`,
  };
}
