/** "Did you mean ...?" hints for misspelt names. */

/** Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one each. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      // Stryker disable next-line ArrayDeclaration: row i - 1 exists for every i past 0, the only row the branch above skips
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        // Stryker disable next-line OptionalChaining: i > 1, so row i - 2 exists
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  // Stryker disable next-line OptionalChaining: the loop fills rows 0 to a.length
  return rows[a.length]?.[b.length] ?? 0;
}

/** The closest candidate within edit distance 2 (first one on ties), if any. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `; did you mean 'x'?` when something is close, else `; expected one of: a, b` (or nothing). */
export function hint(name: string, candidates: readonly string[], noun = 'expected one of'): string {
  const near = closest(name, candidates);
  if (near !== undefined) return `; did you mean '${near}'?`;
  return candidates.length > 0 ? `; ${noun}: ${candidates.join(', ')}` : '';
}
