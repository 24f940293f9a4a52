/**
 * Position bias, one definition for judge-eval and the report: which shown position the verdicts favour,
 * and whether the two orders of one pair disagree. Verdicts are in the labels of the prompt they answered
 * (1 = the response shown first won), so an unbiased judge asked both orders of every pair gives the first
 * and second positions equal shares whatever the responses' quality.
 */
import { unswapVerdict } from './resolve-orders.js';
import type { Verdict } from './judge-types.js';

/** Shares of verdicts for the response shown first, the one shown second, and Tie; they sum to 1. */
export interface ShownOrderShares {
  readonly first: number;
  readonly second: number;
  readonly tie: number;
}

/** Returns the shares of each shown-order label among `verdicts`, or `null` for none. */
export function shownOrderShares(verdicts: readonly Verdict[]): ShownOrderShares | null {
  if (verdicts.length === 0) return null;
  const count = (label: Verdict): number => verdicts.filter((verdict) => verdict === label).length;
  return { first: count(1) / verdicts.length, second: count(2) / verdicts.length, tie: count(0) / verdicts.length };
}

/** Whether a pair's two orders disagree once the swapped verdict is mapped back to the first order's labels. */
export function ordersConflict(first: Verdict, swapped: Verdict): boolean {
  return first !== unswapVerdict(swapped);
}
