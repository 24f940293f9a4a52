/**
 * How the adaptive strategy spends its budget on one base model's trials, as `validate` shows it: its
 * levels, its final, and the most matches and instructions it judges. Pure.
 */
import { adaptiveInstructionCount, adaptiveMatchCount } from './adaptive-schedule.js';
import { adaptiveScheduleOf, type AdaptiveConfig } from './adaptive-strategy.js';

/** How the adaptive strategy spends its budget on one base model's trials. */
export interface AdaptiveBudget {
  /** The sweep's `tournament.budget`, `null` without one (a full round robin caps the matches). */
  readonly budget: number | null;
  /** The most matches it plays: the budget, or a full round robin when that is smaller. */
  readonly cap: number;
  /**
   * Levels, largest field first: Swiss rounds among `size` survivors of matches judging at most
   * `instructions` each (the evaluation set's size where that is smaller), then the better three fifths go on.
   */
  readonly levels: readonly { readonly size: number; readonly rounds: number; readonly instructions: number }[];
  readonly finalSize: number;
  /** Matches planned at most; matches stop early once decided, so judge calls are an upper bound. */
  readonly matches: number;
  /** Instructions those matches judge at most, one order each (the final's matches judge all of them). */
  readonly instructionsJudged: number;
  /** The same as a share of a full round robin's matches. */
  readonly shareOfRoundRobin: number;
  /** True when even one round per level does not fit: the strategy stops when the budget is used up. */
  readonly truncated: boolean;
}


/** The adaptive strategy's budget for `entrants` trials judged on `instructions` instructions. */
export function adaptiveBudget(entrants: number, config: AdaptiveConfig, instructions: number): AdaptiveBudget {
  const schedule = adaptiveScheduleOf(entrants, config);
  const budget = config.budget;
  const roundRobin = (entrants * (entrants - 1)) / 2;
  const matches = adaptiveMatchCount(schedule);
  return {
    budget: budget ?? null,
    cap: schedule.cap,
    levels: schedule.levels.map((level) => ({ ...level, instructions: Math.min(level.instructions ?? instructions, instructions) })),
    finalSize: schedule.finalSize,
    matches,
    instructionsJudged: adaptiveInstructionCount(schedule, instructions),
    shareOfRoundRobin: roundRobin === 0 ? 0 : matches / roundRobin,
    truncated: schedule.truncated,
  };
}
