import { z } from 'zod';
import { leaderOf, rankEntrants } from './rank-entrants.js';
import { roundRobinPairings, unplayed } from './round-robin-pairings.js';
import type { NextMatches, PlanInput, StrategyConfig, TournamentStrategy } from './types.js';

/** A round robin has no options of its own. */
const roundRobinOptions = z.strictObject({});

/** A validated `round-robin` tournament section. */
export type RoundRobinConfig = StrategyConfig<'round-robin', typeof roundRobinOptions>;

/** Plans a single round robin over all entrants: every pair meets once; the winner tops `rankEntrants`. */
export function planRoundRobin(input: PlanInput<RoundRobinConfig>): NextMatches {
  const entrants = input.blocks.flat();
  const all = roundRobinPairings(entrants, { stage: 'round-robin' });
  const ids = new Set(all.map((p) => p.id));
  const results = input.results.filter((r) => ids.has(r.id));
  const pairings = unplayed(all, new Set(results.map((r) => r.id)));
  if (pairings.length > 0) return { pairings, done: false, winner: leaderOf(entrants, results) };
  return { pairings: [], done: true, winner: rankEntrants(entrants, results)[0]?.trial ?? null };
}

/** Every pair once. */
export const roundRobinStrategy = {
  name: 'round-robin',
  description: 'every trial meets every other once',
  optionsSchema: roundRobinOptions,
  plan: planRoundRobin,
  matchCount: (blockSizes) => {
    const n = blockSizes.reduce((sum, size) => sum + size, 0);
    return { 'round-robin': (n * (n - 1)) / 2 };
  },
} satisfies TournamentStrategy<RoundRobinConfig>;
