import { z } from 'zod';
import { leaderOf, rankEntrants } from './rank-entrants.js';
import { unplayed } from './round-robin-pairings.js';
import { hashSeed, seededRandom, seededShuffle } from './seeded-random.js';
import { matchPoints } from './match-outcome.js';
import type { MatchPairing, MatchSummary, NextMatches, PlanInput, StrategyConfig, TournamentStrategy } from './types.js';

const swissOptions = z.strictObject({
  /** Rounds of the tournament. Defaults to `ceil(log2(trials))`. */
  rounds: z.int().min(1).optional(),
});

/** A validated `swiss` tournament section. */
export type SwissConfig = StrategyConfig<'swiss', typeof swissOptions>;

/** Returns the default number of swiss rounds for `n` entrants: ceil(log2 n), at least 1 when n > 1. */
export function defaultSwissRounds(n: number): number {
  return n <= 1 ? 0 : Math.ceil(Math.log2(n));
}

/**
 * Plans a Swiss tournament of `config.rounds` rounds (default ceil(log2 n)), one round at a time.
 * Each round sorts entrants by points so far (a bye counts 1 for pairing), then a seeded initial order,
 * and pairs each unpaired entrant with the best-placed unpaired one it has not met yet (a rematch only
 * when no other is left). With an odd field the lowest-placed entrant without a bye sits out. The
 * winner tops `rankEntrants` over all Swiss matches; byes score nothing there, so every ranked point
 * comes from a judged match.
 */
export function planSwiss(input: PlanInput<SwissConfig>): NextMatches {
  const entrants = [...input.blocks.flat()].sort();
  const rounds = input.config.rounds ?? defaultSwissRounds(entrants.length);
  const initial = seededShuffle(entrants, seededRandom(hashSeed('swiss', input.config.seed)));
  const seedOrder = new Map(initial.map((e, i) => [e, i]));
  const byId = new Map<string, MatchSummary>(input.results.map((r) => [r.id, r]));
  const points = new Map(entrants.map((e) => [e, 0]));
  const met = new Set<string>();
  const hadBye = new Set<string>();
  const played: MatchSummary[] = [];
  for (let round = 1; round <= rounds && entrants.length > 1; round++) {
    const order = [...entrants].sort(
      (x, y) => (points.get(y) ?? 0) - (points.get(x) ?? 0) || (seedOrder.get(x) ?? 0) - (seedOrder.get(y) ?? 0),
    );
    let bye: string | undefined;
    if (order.length % 2 === 1) {
      bye = [...order].reverse().find((e) => !hadBye.has(e)) ?? order[order.length - 1];
      order.splice(order.indexOf(bye as string), 1);
    }
    const pairings: MatchPairing[] = [];
    const unpaired = [...order];
    while (unpaired.length > 1) {
      const a = unpaired.shift() as string;
      const opponentIndex = Math.max(0, unpaired.findIndex((b) => !met.has(pairKey(a, b))));
      const [b] = unpaired.splice(opponentIndex, 1) as [string];
      pairings.push({ id: `swiss-${round}-${a}-${b}`, a, b, stage: 'swiss', block: null, round });
    }
    const pending = unplayed(pairings, new Set(byId.keys()));
    if (pending.length > 0) return { pairings: pending, done: false, winner: leaderOf(entrants, played) };
    for (const p of pairings) {
      const result = byId.get(p.id) as MatchSummary;
      const pts = matchPoints(result);
      points.set(p.a, (points.get(p.a) ?? 0) + pts.a);
      points.set(p.b, (points.get(p.b) ?? 0) + pts.b);
      met.add(pairKey(p.a, p.b));
      played.push(result);
    }
    if (bye !== undefined) {
      hadBye.add(bye);
      points.set(bye, (points.get(bye) ?? 0) + 1);
    }
  }
  return { pairings: [], done: true, winner: rankEntrants(entrants, played)[0]?.trial ?? null };
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** `rounds` rounds (default ceil(log2 n)) of floor(n / 2) matches. */
export const swissStrategy = {
  name: 'swiss',
  description: 'rounds pairing trials with similar scores who have not met yet',
  optionsSchema: swissOptions,
  plan: planSwiss,
  matchCount: (blockSizes, config) => {
    const n = blockSizes.reduce((sum, size) => sum + size, 0);
    return { swiss: (config.rounds ?? defaultSwissRounds(n)) * Math.floor(n / 2) };
  },
} satisfies TournamentStrategy<SwissConfig>;
