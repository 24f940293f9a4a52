import { leaderOf, rankEntrants } from './rank-entrants.js';
import { roundRobinPairings, unplayed } from './round-robin-pairings.js';
import type { PlanInput } from './strategy.js';
import type { NextMatches } from './types.js';

/** Plans a single round robin over all entrants: every pair meets once; the winner tops `rankEntrants`. */
export function planRoundRobin(input: PlanInput): NextMatches {
  const entrants = input.blocks.flat();
  const all = roundRobinPairings(entrants, { stage: 'round-robin' });
  const ids = new Set(all.map((p) => p.id));
  const results = input.results.filter((r) => ids.has(r.id));
  const pairings = unplayed(all, new Set(results.map((r) => r.id)));
  if (pairings.length > 0) return { pairings, done: false, winner: leaderOf(entrants, results) };
  return { pairings: [], done: true, winner: rankEntrants(entrants, results)[0]?.trial ?? null };
}
