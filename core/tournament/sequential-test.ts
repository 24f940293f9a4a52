/**
 * Early stopping inside a match: a sequential sign test on the instructions judged so far.
 *
 * Each resolved instruction that is not a tie is one step of a random walk, +1 when A wins and -1 when
 * B wins; ties carry no information about who is better and are skipped, as in the sign test. The
 * match stops once the walk is `margin` steps from zero. This is Wald's SPRT for p = 1/2 + delta
 * against p = 1/2 - delta, whose log-likelihood ratio is (aWins - bWins) x log((1/2 + delta) /
 * (1/2 - delta)), so a symmetric SPRT is exactly a margin on the difference (A. Wald, "Sequential
 * tests of statistical hypotheses", Ann. Math. Statist. 16, 1945). By gambler's ruin, the walk of a
 * pair whose per-instruction win chance is p reaches the wrong boundary first with probability about
 * ((1 - p) / p)^margin. A match that never reaches the margin is played in full.
 */

/** Resolved instruction counts of a match so far. */
export interface MatchCounts {
  readonly aWins: number;
  readonly bWins: number;
  readonly ties: number;
}

/** Options of `shouldStopMatch`. */
export interface SequentialTestOptions {
  /** Lead in decisive instructions (A's wins minus B's, either way) that ends the match. Defaults to `defaultEarlyStopMargin`. */
  readonly margin?: number;
  /** Instructions (ties included) to judge before the match may stop. Defaults to `0`. */
  readonly minInstructions?: number;
  /**
   * Instructions after which the match stops whatever the lead: a short match that says little on its
   * own but adds to the Bradley–Terry evidence (the adaptive strategy's early levels). Defaults to none.
   */
  readonly maxInstructions?: number;
}

/**
 * Default lead that stops a match: 24 decisive instructions. Simulated with PandaLM-like noise
 * (`simulateVerdict`, both orders, the paper's resolution; 170 instructions, checked every 4), two
 * equal trials stop early about 7% of the time (either way), a pair 0.1 logits apart stops the wrong
 * way about 1% of the time, and pairs 0.6 and 1 logit apart stop after about 112 and 73 instructions.
 */
export const defaultEarlyStopMargin = 24;

/**
 * Returns true when a match can stop: `maxInstructions` were resolved, or one side leads by at least
 * `margin` decisive instructions and at least `minInstructions` instructions were resolved. The sign of
 * a lead is the match's winner, so stopping on a lead never changes which side wins more instructions.
 */
export function shouldStopMatch(counts: MatchCounts, options: SequentialTestOptions = {}): boolean {
  const { margin = defaultEarlyStopMargin, minInstructions = 0, maxInstructions } = options;
  const resolved = counts.aWins + counts.bWins + counts.ties;
  if (maxInstructions !== undefined && resolved >= maxInstructions) return true;
  if (resolved < minInstructions) return false;
  return Math.abs(counts.aWins - counts.bWins) >= Math.max(1, margin);
}
