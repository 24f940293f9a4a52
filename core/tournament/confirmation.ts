/**
 * The tuned-vs-default check that follows a tournament: the best trial against the sweep's baseline on
 * every evaluation instruction (both orders), as the PandaLM paper compares models tuned with the
 * hyperparameters it picked against Alpaca's defaults. In a blocks tournament the two may never have
 * met; where they did, those judgments count and only what is missing is judged.
 */
import type { InstructionOutcome } from '../judging/resolve-match.js';
import { quantile } from './quantile.js';
import { hashSeed, seededRandom } from './seeded-random.js';
import type { MatchPairing } from './types.js';

/** The stage name of confirmation matches (kept out of the standings). */
export const confirmStage = 'confirm';

/**
 * The confirmation match of `best` (trial A) against `baseline` (trial B): by the tournament judge, or by
 * a second-opinion judge (`judge`: its config as the sweep names it), whose match gets an id of its own.
 */
export function confirmationPairing(best: string, baseline: string, judge?: string): MatchPairing {
  const by = judge === undefined ? '' : `${judgeSlug(judge)}-`;
  return { id: `confirm-${by}${best}-${baseline}`, a: best, b: baseline, stage: confirmStage, block: null, round: 0, reuseJudgments: true };
}

/** How views name a second-opinion judge: its config name, or a config file's name without folder and `.yaml`. */
export function judgeLabel(config: string): string {
  return (config.split('/').at(-1) ?? config).replace(/\.ya?ml$/, '');
}

/** A readable, stable id part for a judge config name or path: `gpt-4o-1a2b` for `configs/gpt-4o.yaml`. */
function judgeSlug(config: string): string {
  const name = judgeLabel(config).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24);
  return `${name === '' ? 'judge' : name}-${hashSeed('judge', config).toString(36).slice(0, 4)}`;
}

/** Share of the instructions both judged on which two confirmations resolved alike; `null` when none are shared. */
export function judgeAgreement(first: readonly InstructionOutcome[], second: readonly InstructionOutcome[]): { readonly agreed: number; readonly shared: number } | null {
  const other = new Map(second.map((o) => [o.instructionId, o.scoreA]));
  const shared = first.filter((o) => other.has(o.instructionId));
  if (shared.length === 0) return null;
  return { agreed: shared.filter((o) => other.get(o.instructionId) === o.scoreA).length, shared: shared.length };
}

/** Whether a tournament's best trial should meet the baseline: both known, entered, and different. */
export function needsConfirmation(best: string | null, baseline: string | undefined, entrants: readonly string[]): baseline is string {
  return best !== null && baseline !== undefined && best !== baseline && entrants.includes(baseline);
}

/** Wins, ties and losses of the best trial against the baseline, and its win rate with an interval. */
export interface ConfirmationSummary {
  /** Instructions the best trial won. */
  readonly wins: number;
  readonly ties: number;
  /** Instructions the baseline won. */
  readonly losses: number;
  /** (wins + ties / 2) / instructions: above 0.5 means the tuned model is preferred. */
  readonly winRate: number;
  /** Percentile bootstrap interval of the win rate over resampled instructions. */
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** Options of `summarizeConfirmation`. */
export interface SummarizeConfirmationOptions {
  /** The tournament's seed: the interval is reproducible. */
  readonly seed: number;
  /** Bootstrap resamples (the tournament's `bootstrap`); 0 gives the point estimate as the interval. */
  readonly resamples: number;
  /** Interval coverage. Defaults to `0.95`. */
  readonly confidence?: number;
}

/**
 * Summarizes the confirmation match from A's (the best trial's) per-instruction outcomes: counts, the
 * win rate, and a percentile bootstrap interval from resampling instructions with replacement.
 */
export function summarizeConfirmation(outcomes: readonly InstructionOutcome[], options: SummarizeConfirmationOptions): ConfirmationSummary {
  const scores = outcomes.map((o) => o.scoreA);
  const wins = scores.filter((s) => s === 1).length;
  const losses = scores.filter((s) => s === 0).length;
  const winRate = mean(scores);
  if (scores.length === 0 || options.resamples <= 0) return { wins, ties: scores.length - wins - losses, losses, winRate, ciLow: winRate, ciHigh: winRate };
  const random = seededRandom(hashSeed('confirm', options.seed));
  const rates: number[] = [];
  for (let r = 0; r < options.resamples; r++) {
    let sum = 0;
    for (let k = 0; k < scores.length; k++) sum += scores[Math.floor(random() * scores.length)]!;
    rates.push(sum / scores.length);
  }
  rates.sort((x, y) => x - y);
  const alpha = (1 - (options.confidence ?? 0.95)) / 2;
  return { wins, ties: scores.length - wins - losses, losses, winRate, ciLow: quantile(rates, alpha), ciHigh: quantile(rates, 1 - alpha) };
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
