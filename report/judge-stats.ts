/**
 * Judge statistics for the report: how often the two orders of an instruction disagree (position bias),
 * how often the judge says Tie, and how confident its first-token probabilities are.
 */
import type { Verdict } from '../core/judging/judge-types.js';
import { ordersConflict, shownOrderShares, type ShownOrderShares } from '../core/judging/position-bias.js';
import type { ReportJudgment } from './report-data.js';

/** Judge statistics over a set of judgments. */
export interface JudgeStats {
  /** Judgments counted. */
  readonly judgments: number;
  /** Instructions judged in both orders. */
  readonly pairedInstructions: number;
  /** Share of paired instructions whose two orders disagree after unswapping; `null` without pairs. */
  readonly orderConflictRate: number | null;
  /** Share of judgments with a Tie verdict; `null` without judgments. */
  readonly tieRate: number | null;
  /** Share of verdicts per shown-order label: a judge with position bias favours `first` or `second`. */
  readonly verdictShares: ShownOrderShares | null;
  /** Judgments that carry first-token probabilities. */
  readonly withProbabilities: number;
  /** Mean probabilities of the three labels, in the shown order's labels; `null` without probabilities. */
  readonly meanProbabilities: { readonly one: number; readonly two: number; readonly tie: number } | null;
  /** Counts of the winning label's probability in ten bins over [0, 1] (bin i covers [i/10, (i+1)/10)). */
  readonly confidenceHistogram: readonly number[];
  /**
   * Prompt tokens per judgment, over the judgments that count them (the llama backend): the mean prompt
   * length and the mean evaluated (the rest came from a cached prefix); `null` when none count them.
   */
  readonly promptTokens: { readonly judgments: number; readonly meanTotal: number; readonly meanEvaluated: number } | null;
  /** Judge ids seen, with their judgment counts and median latency (ms). */
  readonly judges: readonly { readonly judgeId: string; readonly judgments: number; readonly medianLatencyMs: number }[];
}

const histogramBins = 10;

/** Computes order-conflict rate, tie rate, verdict shares and probability statistics of `judgments`. */
export function computeJudgeStats(judgments: readonly ReportJudgment[]): JudgeStats {
  const byInstruction = new Map<string, { first?: ReportJudgment; swapped?: ReportJudgment }>();
  const verdicts: Verdict[] = [];
  const probSums = { one: 0, two: 0, tie: 0 };
  const histogram = new Array<number>(histogramBins).fill(0);
  const latencies = new Map<string, number[]>();
  let withProbabilities = 0;
  const tokens = { judgments: 0, total: 0, evaluated: 0 };
  for (const j of judgments) {
    if (j.promptTokens !== null && j.evaluatedTokens !== null) {
      tokens.judgments += 1;
      tokens.total += j.promptTokens;
      tokens.evaluated += j.evaluatedTokens;
    }
    const key = `${j.matchId}\u0000${j.instructionId}`;
    const entry = byInstruction.get(key) ?? {};
    if (j.order === 1) entry.first = j;
    else entry.swapped = j;
    byInstruction.set(key, entry);
    verdicts.push(j.verdict);
    if (j.probOne !== null && j.probTwo !== null && j.probTie !== null) {
      withProbabilities += 1;
      probSums.one += j.probOne;
      probSums.two += j.probTwo;
      probSums.tie += j.probTie;
      const top = Math.max(j.probOne, j.probTwo, j.probTie);
      histogram[Math.min(histogramBins - 1, Math.floor(top * histogramBins))]! += 1;
    }
    latencies.set(j.judgeId, [...(latencies.get(j.judgeId) ?? []), j.latencyMs]);
  }
  let paired = 0;
  let conflicts = 0;
  for (const { first, swapped } of byInstruction.values()) {
    if (first === undefined || swapped === undefined) continue;
    paired += 1;
    if (ordersConflict(first.verdict, swapped.verdict)) conflicts += 1;
  }
  const n = judgments.length;
  const shares = shownOrderShares(verdicts);
  return {
    judgments: n,
    pairedInstructions: paired,
    orderConflictRate: paired === 0 ? null : conflicts / paired,
    tieRate: shares?.tie ?? null,
    verdictShares: shares,
    withProbabilities,
    meanProbabilities:
      withProbabilities === 0 ? null : { one: probSums.one / withProbabilities, two: probSums.two / withProbabilities, tie: probSums.tie / withProbabilities },
    confidenceHistogram: histogram,
    promptTokens: tokens.judgments === 0 ? null : { judgments: tokens.judgments, meanTotal: tokens.total / tokens.judgments, meanEvaluated: tokens.evaluated / tokens.judgments },
    judges: [...latencies]
      .map(([judgeId, values]) => ({ judgeId, judgments: values.length, medianLatencyMs: median(values) }))
      .sort((x, y) => x.judgeId.localeCompare(y.judgeId)),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
