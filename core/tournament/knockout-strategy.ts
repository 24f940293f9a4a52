import { z } from 'zod';
import { decideMatch } from './match-outcome.js';
import { leaderOf } from './rank-entrants.js';
import { unplayed } from './round-robin-pairings.js';
import { hashSeed, seededRandom, seededShuffle } from './seeded-random.js';
import type { MatchPairing, MatchSummary, NextMatches, PlanInput, StrategyConfig, TournamentStrategy } from './types.js';

/** A knockout has no options of its own (its bracket is seeded by `seed`). */
const knockoutOptions = z.strictObject({});

/** A validated `knockout` tournament section. */
export type KnockoutConfig = StrategyConfig<'knockout', typeof knockoutOptions>;

/** Returns the smallest power of two not below `n`. */
function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Plans a single-elimination bracket, round by round. The bracket order is a shuffle (seeded by
 * `config.seed`) of the sorted entrant keys, so it does not depend on the order trials were listed.
 * When the field is not a power of two, the first entrants of the bracket get a bye in round one.
 * A match goes to the side with more instruction wins; an exact tie to a seeded coin (`decideMatch`).
 * n entrants play n - 1 matches.
 */
export function planKnockout(input: PlanInput<KnockoutConfig>): NextMatches {
  const seed = input.config.seed;
  const entrants = [...input.blocks.flat()].sort();
  const byId = new Map<string, MatchSummary>(input.results.map((r) => [r.id, r]));
  const played: MatchSummary[] = [];
  let alive = seededShuffle(entrants, seededRandom(hashSeed('knockout', seed)));
  for (let round = 1; alive.length > 1; round++) {
    const byes = nextPowerOfTwo(alive.length) - alive.length;
    const fighting = alive.slice(byes);
    const pairings: MatchPairing[] = [];
    for (let i = 0; i + 1 < fighting.length; i += 2) {
      const a = fighting[i] as string;
      const b = fighting[i + 1] as string;
      pairings.push({ id: `knockout-${round}-${a}-${b}`, a, b, stage: 'knockout', block: null, round });
    }
    const pending = unplayed(pairings, new Set(byId.keys()));
    if (pending.length > 0) return { pairings: pending, done: false, winner: leaderOf(entrants, played) };
    const results = pairings.map((p) => byId.get(p.id) as MatchSummary);
    played.push(...results);
    alive = [...alive.slice(0, byes), ...results.map((r) => decideMatch(r, seed))];
  }
  return { pairings: [], done: true, winner: alive[0] ?? null };
}

/** Single elimination: n entrants, n - 1 matches. */
export const knockoutStrategy = {
  name: 'knockout',
  description: 'single elimination, round by round, from a seeded bracket',
  optionsSchema: knockoutOptions,
  plan: planKnockout,
  matchCount: (blockSizes) => ({ knockout: Math.max(0, blockSizes.reduce((sum, size) => sum + size, 0) - 1) }),
} satisfies TournamentStrategy<KnockoutConfig>;
