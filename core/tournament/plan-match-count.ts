import { adaptiveMatchCount, planAdaptiveSchedule } from './adaptive-schedule.js';
import type { TournamentConfig } from './tournament-config.js';

/** How many matches a tournament will play, per stage and in total. */
export interface MatchCountPlan {
  /** Matches per stage name (`block`, `final`, `round-robin`, `knockout`, `swiss`, `adaptive`). */
  readonly byStage: Record<string, number>;
  readonly total: number;
}

/** Number of pairs among `n` entrants. */
function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * Counts the matches a tournament over blocks of the given sizes will play (upper bounds where the
 * count depends on results: knockout byes and failed trials only lower it).
 *
 * - `blocks`: a round robin inside each block, then a final between the top `advance` of each block
 *   in which only finalists from different blocks meet (finalists from the same block already played
 *   each other and that result is carried into the final's standings); no final with one block.
 * - `round-robin`: every pair once. `knockout`: n - 1. `swiss`: rounds x floor(n / 2), rounds
 *   defaulting to ceil(log2 n). `adaptive`: its halving rounds (`adaptive`) and the final among the
 *   survivors (`final`) as `planAdaptiveSchedule` fits them into the `budget` (a full round robin at
 *   most); the total never exceeds the budget.
 */
export function planMatchCount(blockSizes: readonly number[], config: TournamentConfig): MatchCountPlan {
  const n = blockSizes.reduce((sum, size) => sum + size, 0);
  const byStage: Record<string, number> = {};
  switch (config.strategy) {
    case 'blocks': {
      byStage.block = blockSizes.reduce((sum, size) => sum + pairs(size), 0);
      const finalists = blockSizes.map((size) => Math.min(size, config.advance)).filter((f) => f > 0);
      const total = finalists.reduce((sum, f) => sum + f, 0);
      byStage.final = finalists.length > 1 ? pairs(total) - finalists.reduce((sum, f) => sum + pairs(f), 0) : 0;
      break;
    }
    case 'round-robin':
      byStage['round-robin'] = pairs(n);
      break;
    case 'knockout':
      byStage.knockout = Math.max(0, n - 1);
      break;
    case 'swiss':
      byStage.swiss = (config.rounds ?? defaultSwissRounds(n)) * Math.floor(n / 2);
      break;
    case 'adaptive': {
      const schedule = planAdaptiveSchedule(n, config.budget === undefined ? {} : { budget: config.budget });
      const total = adaptiveMatchCount(schedule);
      byStage.adaptive = Math.min(schedule.levelMatches, total);
      byStage.final = total - byStage.adaptive;
      break;
    }
  }
  return { byStage, total: Object.values(byStage).reduce((sum, c) => sum + c, 0) };
}

/** Returns the default number of swiss rounds for `n` entrants: ceil(log2 n), at least 1 when n > 1. */
export function defaultSwissRounds(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}
