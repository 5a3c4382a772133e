/**
 * "Did you mean ...?" for an unknown key: the known key closest to it, or nothing when none is close enough
 * to be a likely typo. Case is ignored (`AccountAlias` -> `accountAlias`).
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance > maxTypoDistance(Math.max(typed.length, candidate.length))) continue;
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  if (best) return best.candidate;
  // A word of the key on its own (`alias` for `accountAlias`, `threshold` for `alertThresholdPercent`).
  if (typed.length >= 4) {
    const containing = candidates.filter((c) => c.toLowerCase().includes(typed));
    if (containing.length === 1) return containing[0];
  }
  return undefined;
}

/** How many edits still look like a typo: 1 for short words, about a third of the letters for longer ones. */
function maxTypoDistance(length: number): number {
  return Math.max(1, Math.floor(length / 3));
}

/**
 * Edits (insert, delete, replace, or swap two neighbours) that turn `a` into `b`: the optimal string
 * alignment distance, so `budgte` is one edit from `budget`.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]![j]!;
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1);
      d[i]![j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}
