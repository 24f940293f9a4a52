/** The largest edit distance at which a misspelling still gets a suggestion. */
export const didYouMeanMaxDistance = 2;

/**
 * Returns the Levenshtein edit distance between two strings (insertions, deletions and substitutions
 * each cost 1).
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Returns the candidate closest to `word` when it is within `didYouMeanMaxDistance` edits (or differs
 * only in case), else `undefined`. Ties go to the candidate listed first, so suggestions are stable.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    // Case slips (learningRate vs learningrate) count as one edit however long the word is.
    const distance =
      candidate.toLowerCase() === word.toLowerCase() ? 1 : levenshtein(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= didYouMeanMaxDistance ? best : undefined;
}

/** Returns `; did you mean "x"?` for a close candidate, or an empty string. */
export function didYouMeanSuffix(word: string, candidates: Iterable<string>): string {
  const suggestion = didYouMean(word, candidates);
  return suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
}
