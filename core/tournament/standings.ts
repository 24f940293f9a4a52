import { fitBradleyTerry, toRating, type PairResult } from './fit-bradley-terry.js';
import { decideMatch, matchPoints } from './match-outcome.js';
import { adaptiveStage } from './adaptive-stage.js';
import { rankByStrength, rankEntrants, toPairResult } from './rank-entrants.js';
import { quantile } from './quantile.js';
import { hashSeed, seededRandom } from './seeded-random.js';
import type { MatchRecord } from './types.js';

/** A trial left out of the ranking, and why (a failed training run, say). */
export interface ExcludedTrial {
  readonly trial: string;
  readonly reason: string;
}

/** Input of `computeStandings`. */
export interface ComputeStandingsInput {
  /** Trials to rank. Excluded trials listed here too are dropped. */
  readonly entrants: readonly string[];
  /** Every match played, all stages. Matches with a trial that is not ranked are ignored. */
  readonly matches: readonly MatchRecord[];
  /** Seed of the bootstrap and of knockout coin flips (the tournament's `seed`). */
  readonly seed: number;
  /** Bootstrap resamples; 0 gives intervals of zero width. */
  readonly bootstrap: number;
  readonly excluded?: readonly ExcludedTrial[];
  /** Confidence level of the interval. Defaults to `0.95`. */
  readonly confidence?: number;
}

/** One ranked trial. */
export interface Standing {
  readonly trial: string;
  /** 1-based; the first place is the tournament's winner. */
  readonly rank: number;
  /** Matches played, won, lost and tied (a match is won by winning more instructions). */
  readonly matches: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  /** Match points: 1 per win, 0.5 per tie. */
  readonly points: number;
  /** Instructions won, lost and tied over all matches. */
  readonly instructionWins: number;
  readonly instructionLosses: number;
  readonly instructionTies: number;
  /** Instruction-level win rate: (wins + ties / 2) / instructions; 0 without matches. */
  readonly score: number;
  /**
   * Bradley–Terry rating on Elo's scale over all matches: 1000 + 400 x log10(strength / the
   * geometric-mean strength). 191 points apart means 3:1 odds per instruction.
   */
  readonly rating: number;
  /** Bootstrap percentile interval of `rating`, resampling evaluation instructions. */
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** Result of `computeStandings`. */
export interface StandingsResult {
  readonly standings: Standing[];
  readonly excluded: readonly ExcludedTrial[];
}

/**
 * Ranks the entrants of a tournament. Stages come first: in a knockout the unbeaten trial leads, then
 * trials by knockout matches won; after a blocks final the finalists lead the rest. Inside each tier
 * the order is `rankEntrants` over the matches within the tier (points, head-to-head, Bradley–Terry),
 * so the first place is always the strategy's winner. Every standing carries a Bradley–Terry rating
 * over all matches and a bootstrap interval from resampling instructions (seeded).
 */
export function computeStandings(input: ComputeStandingsInput): StandingsResult {
  const excluded = input.excluded ?? [];
  const out = new Set(excluded.map((e) => e.trial));
  const entrants = input.entrants.filter((e) => !out.has(e));
  const ranked = new Set(entrants);
  const matches = input.matches.filter((m) => ranked.has(m.a) && ranked.has(m.b) && m.a !== m.b);

  const logits = fitBradleyTerry(entrants, matches.map(toPairResult));
  const intervals = bootstrapIntervals(entrants, matches, logits, input);
  // An adaptive tournament's entrants played different numbers of matches of different lengths: points
  // would favour whoever played most, so each tier is ordered by strength over all the evidence.
  const byStrength = matches.some((m) => m.stage === adaptiveStage);
  const order = tiers(entrants, matches, input.seed).flatMap((tier) =>
    byStrength ? rankByStrength(tier, logits) : rankEntrants(tier, matches).map((r) => r.trial),
  );

  const standings = order.map((trial, i): Standing => {
    let wins = 0, losses = 0, ties = 0, points = 0, iWins = 0, iLosses = 0, iTies = 0;
    for (const m of matches) {
      if (m.a !== trial && m.b !== trial) continue;
      const isA = m.a === trial;
      const got = isA ? matchPoints(m).a : matchPoints(m).b;
      points += got;
      if (got === 1) wins++;
      else if (got === 0) losses++;
      else ties++;
      iWins += isA ? m.aWins : m.bWins;
      iLosses += isA ? m.bWins : m.aWins;
      iTies += m.ties;
    }
    const played = iWins + iLosses + iTies;
    const rating = toRating(logits.get(trial) ?? 0);
    const [ciLow, ciHigh] = intervals.get(trial) ?? [rating, rating];
    return {
      trial, rank: i + 1, matches: wins + losses + ties, wins, losses, ties, points,
      instructionWins: iWins, instructionLosses: iLosses, instructionTies: iTies,
      score: played === 0 ? 0 : (iWins + iTies / 2) / played,
      rating, ciLow, ciHigh,
    };
  });
  return { standings, excluded };
}

/** Splits entrants into tiers by the furthest stage reached, best tier first. */
function tiers(entrants: readonly string[], matches: readonly MatchRecord[], seed: number): string[][] {
  const knockout = matches.filter((m) => m.stage === 'knockout');
  if (knockout.length > 0) {
    const wins = new Map(entrants.map((e) => [e, 0]));
    const beaten = new Set<string>();
    for (const m of knockout) {
      const winner = decideMatch(m, seed);
      wins.set(winner, (wins.get(winner) ?? 0) + 1);
      beaten.add(winner === m.a ? m.b : m.a);
    }
    // Unbeaten first (a bye can leave the winner with as many wins as the runner-up), then by wins.
    const key = (e: string) => (beaten.has(e) ? 0 : 1_000_000) + (wins.get(e) ?? 0);
    const levels = [...new Set(entrants.map(key))].sort((x, y) => y - x);
    return levels.map((level) => entrants.filter((e) => key(e) === level));
  }
  const finalists = new Set(matches.filter((m) => m.stage === 'final').flatMap((m) => [m.a, m.b]));
  if (finalists.size > 0) {
    return [entrants.filter((e) => finalists.has(e)), entrants.filter((e) => !finalists.has(e))].filter((t) => t.length > 0);
  }
  return [[...entrants]];
}

/**
 * Percentile intervals of each rating over `bootstrap` resamples of the evaluation instructions (drawn
 * with replacement; every match is re-scored on the drawn instructions), refitting Bradley–Terry each
 * time from a warm start.
 */
function bootstrapIntervals(
  entrants: readonly string[],
  matches: readonly MatchRecord[],
  logits: ReadonlyMap<string, number>,
  input: ComputeStandingsInput,
): Map<string, [number, number]> {
  const instructionIds = [...new Set(matches.flatMap((m) => m.perInstruction.map((p) => p.instructionId)))].sort();
  if (input.bootstrap <= 0 || instructionIds.length === 0) return new Map();
  const indexOf = new Map(instructionIds.map((id, i) => [id, i]));
  const compiled = matches.map((m) => ({
    a: m.a,
    b: m.b,
    items: m.perInstruction.map((p) => ({ index: indexOf.get(p.instructionId) ?? 0, scoreA: p.scoreA })),
  }));
  const random = seededRandom(hashSeed('bootstrap', input.seed));
  const samples = new Map(entrants.map((e) => [e, [] as number[]]));
  const counts = new Float64Array(instructionIds.length);
  for (let r = 0; r < input.bootstrap; r++) {
    counts.fill(0);
    for (let k = 0; k < instructionIds.length; k++) {
      const drawn = Math.floor(random() * instructionIds.length);
      counts[drawn] = (counts[drawn] ?? 0) + 1;
    }
    const results: PairResult[] = compiled.map((m) => {
      let scoreA = 0;
      let games = 0;
      for (const item of m.items) {
        const c = counts[item.index] ?? 0;
        scoreA += c * item.scoreA;
        games += c;
      }
      return { a: m.a, b: m.b, scoreA, games };
    });
    const fit = fitBradleyTerry(entrants, results, { start: logits, tolerance: 1e-6 });
    for (const [e, logit] of fit) samples.get(e)?.push(toRating(logit));
  }
  const alpha = (1 - (input.confidence ?? 0.95)) / 2;
  return new Map(
    [...samples].map(([e, values]) => {
      values.sort((x, y) => x - y);
      return [e, [quantile(values, alpha), quantile(values, 1 - alpha)]];
    }),
  );
}
