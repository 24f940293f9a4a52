/**
 * Turns a match's recorded judgments (one per instruction and order) into per-instruction outcomes and
 * win/loss/tie counts. Both the judge activity and the standings use this one function, so a
 * recomputed leaderboard always agrees with the match rows.
 */
import { resolveOrders, unswapVerdict, type OrderResolution } from './resolve-orders.js';
import type { Verdict, VerdictProbabilities } from './judge-types.js';

/** One stored judgment. Order 1 shows trial A as response 1; order 2 shows trial B first. */
export interface RecordedJudgment {
  readonly instructionId: string;
  readonly order: 1 | 2;
  /** In the shown order's labels. */
  readonly verdict: Verdict;
  readonly probabilities?: VerdictProbabilities | null;
}

/** A's result on one instruction: 1 win, 0.5 tie, 0 loss. */
export interface InstructionOutcome {
  readonly instructionId: string;
  readonly scoreA: number;
}

/** A match's resolved outcome. */
export interface ResolvedMatch {
  readonly aWins: number;
  readonly bWins: number;
  readonly ties: number;
  readonly perInstruction: readonly InstructionOutcome[];
  /** Instructions whose two orders disagreed (before resolution). */
  readonly orderConflicts: number;
}

/**
 * Resolves each instruction's judgments with `rule` (when both orders are present) and counts A's wins,
 * B's wins and ties. Instructions are returned in first-seen order.
 */
export function resolveMatch(judgments: readonly RecordedJudgment[], rule: OrderResolution): ResolvedMatch {
  const byInstruction = new Map<string, { first?: RecordedJudgment; swapped?: RecordedJudgment }>();
  for (const j of judgments) {
    const entry = byInstruction.get(j.instructionId) ?? {};
    if (j.order === 1) entry.first = j;
    else entry.swapped = j;
    byInstruction.set(j.instructionId, entry);
  }
  let aWins = 0;
  let bWins = 0;
  let ties = 0;
  let orderConflicts = 0;
  const perInstruction: InstructionOutcome[] = [];
  for (const [instructionId, { first, swapped }] of byInstruction) {
    let verdict: Verdict;
    if (first !== undefined && swapped !== undefined) {
      const probabilities =
        first.probabilities && swapped.probabilities ? { first: first.probabilities, swapped: swapped.probabilities } : undefined;
      const effectiveRule = rule === 'probability' && probabilities === undefined ? 'paper' : rule;
      verdict = resolveOrders(first.verdict, swapped.verdict, effectiveRule, probabilities);
      if (first.verdict !== unswapVerdict(swapped.verdict)) orderConflicts++;
    } else if (first !== undefined) {
      verdict = first.verdict;
    } else {
      // Only the swapped order was judged: map it back to A/B labels.
      verdict = unswapVerdict(swapped!.verdict);
    }
    if (verdict === 1) aWins++;
    else if (verdict === 2) bWins++;
    else ties++;
    perInstruction.push({ instructionId, scoreA: verdict === 1 ? 1 : verdict === 2 ? 0 : 0.5 });
  }
  return { aWins, bWins, ties, perInstruction, orderConflicts };
}
