/**
 * "Did you mean --port?": the closest known name to a mistyped one. Pure.
 */

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap
 * of two neighbours as one edit (optimal string alignment): 'prot' is one
 * edit from 'port'.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `typed`, if it is close enough to be what was
 * meant: at most 2 edits, and fewer than half the typed name's letters, so
 * that '--x' does not suggest '--host'. Case is ignored ('--Port').
 */
export function closest(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (best === undefined) return undefined;
  const limit = Math.min(2, Math.ceil(typed.length / 2) - 1);
  return best.distance <= limit ? best.name : undefined;
}
