/**
 * Scores a judge's verdicts against gold labels the way PandaLM reports judge agreement: accuracy and
 * macro precision/recall/F1 (scikit-learn's `precision_recall_fscore_support(average="macro")`), plus the
 * per-label scores, the confusion matrix, Cohen's kappa and, when both orders were judged, how often they
 * conflicted and which shown position the verdicts favoured.
 */
import type { Verdict } from '../judging/judge-types.js';
import { ordersConflict, shownOrderShares, type ShownOrderShares } from '../judging/position-bias.js';

/** One scored item: the gold label, the judge's verdict, and optionally its raw verdicts in both orders. */
export interface ScoredItem {
  readonly gold: Verdict;
  readonly predicted: Verdict;
  /** Raw verdicts of both orders (the swapped one in its own prompt's labels), when the judge ran both. */
  readonly orders?: { readonly first: Verdict; readonly swapped: Verdict };
}

/** Precision, recall and F1 of one label, as fractions in [0, 1], and how many gold items carry it. */
export interface LabelScore {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** A judge's agreement with the gold labels. All fractions are in [0, 1]. */
export interface JudgeScore {
  readonly n: number;
  readonly accuracy: number;
  /** Unweighted means of the per-label scores. */
  readonly macro: { readonly precision: number; readonly recall: number; readonly f1: number };
  readonly perLabel: { readonly '0': LabelScore; readonly '1': LabelScore; readonly '2': LabelScore };
  /** `confusion[gold][predicted]` counts, labels in the order 0 (tie), 1, 2. */
  readonly confusion: readonly (readonly number[])[];
  /** Cohen's kappa between the judge and the gold labels. */
  readonly kappa: number;
  /**
   * Fraction of items whose two orders disagreed (after mapping the swapped verdict back); null when no
   * item carries both orders.
   */
  readonly orderConflictRate: number | null;
  /**
   * Position bias over the judgments of the items judged in both orders (two per item, each in its own
   * prompt's labels): the shares won by the response shown first, the one shown second, and Tie. An
   * unbiased judge gives `first` and `second` equal shares; null when no item carries both orders.
   */
  readonly positionBias: (ShownOrderShares & { readonly judgments: number }) | null;
}

const labels: readonly Verdict[] = [0, 1, 2];

/** Divides, returning 0 for 0/0 as scikit-learn's `zero_division=0` (its warning default) does. */
function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * Returns the majority label of an item's annotators. PandaLM's test set has no three-way splits; if one
 * appears, it is counted as a tie, the label that claims no preference.
 */
export function majorityLabel(annotations: readonly Verdict[]): Verdict {
  const counts = [0, 0, 0];
  for (const label of annotations) counts[label] = (counts[label] ?? 0) + 1;
  const best = Math.max(...counts);
  const winners = labels.filter((label) => counts[label] === best);
  return winners.length === 1 ? (winners[0] ?? 0) : 0;
}

/** Scores a judge over a list of items. Throws on an empty list, which has no meaningful score. */
export function scoreJudge(items: readonly ScoredItem[]): JudgeScore {
  if (items.length === 0) throw new Error('scoreJudge: no items to score');
  const confusion = labels.map(() => labels.map(() => 0));
  for (const item of items) {
    const row = confusion[item.gold];
    if (row === undefined) throw new Error(`scoreJudge: invalid gold label ${String(item.gold)}`);
    if (row[item.predicted] === undefined) throw new Error(`scoreJudge: invalid verdict ${String(item.predicted)}`);
    row[item.predicted] = (row[item.predicted] ?? 0) + 1;
  }
  const n = items.length;
  const cell = (gold: Verdict, predicted: Verdict): number => confusion[gold]?.[predicted] ?? 0;
  const goldTotal = (label: Verdict): number => labels.reduce<number>((sum, p) => sum + cell(label, p), 0);
  const predictedTotal = (label: Verdict): number => labels.reduce<number>((sum, g) => sum + cell(g, label), 0);

  const perLabelScore = (label: Verdict): LabelScore => {
    const precision = ratio(cell(label, label), predictedTotal(label));
    const recall = ratio(cell(label, label), goldTotal(label));
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: goldTotal(label) };
  };
  const perLabel = { '0': perLabelScore(0), '1': perLabelScore(1), '2': perLabelScore(2) };
  const scores = [perLabel['0'], perLabel['1'], perLabel['2']];
  const mean = (pick: (s: LabelScore) => number): number => scores.reduce((sum, s) => sum + pick(s), 0) / scores.length;

  const observed = labels.reduce<number>((sum, label) => sum + cell(label, label), 0) / n;
  const expected = labels.reduce<number>((sum, label) => sum + (goldTotal(label) / n) * (predictedTotal(label) / n), 0);

  const orders = items.flatMap((item) => (item.orders === undefined ? [] : [item.orders]));
  const conflicts = orders.filter(({ first, swapped }) => ordersConflict(first, swapped)).length;
  const judgments = orders.flatMap(({ first, swapped }) => [first, swapped]);
  const shares = shownOrderShares(judgments);

  return {
    n,
    accuracy: observed,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    perLabel,
    confusion,
    kappa: expected === 1 ? (observed === 1 ? 1 : 0) : (observed - expected) / (1 - expected),
    orderConflictRate: orders.length === 0 ? null : conflicts / orders.length,
    positionBias: shares === null ? null : { judgments: judgments.length, ...shares },
  };
}
