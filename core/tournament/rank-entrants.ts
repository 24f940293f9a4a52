import { fitBradleyTerry, type PairResult } from './fit-bradley-terry.js';
import { matchPoints } from './match-outcome.js';
import type { MatchSummary } from './types.js';

/** One entrant's record over a set of matches, as `rankEntrants` orders them. */
export interface RankedEntrant {
  readonly trial: string;
  readonly matches: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  /** Match points: 1 per match won, 0.5 per match tied. */
  readonly points: number;
  /** Bradley–Terry log-strength over these matches, centred on 0. */
  readonly logit: number;
}

/** Returns each match as the Bradley–Terry fit sees it: A's instruction score out of the instructions played. */
export function toPairResult(match: Pick<MatchSummary, 'a' | 'b' | 'aWins' | 'bWins' | 'ties'>): PairResult {
  return { a: match.a, b: match.b, scoreA: match.aWins + match.ties / 2, games: match.aWins + match.bWins + match.ties };
}

/**
 * Orders entrants by the matches played among them (matches with an outsider are ignored): match
 * points first, then head-to-head points among the entrants level on points, then Bradley–Terry
 * rating, then input order. Strategies and the standings share it, so a strategy's winner is the
 * standings' first place.
 */
export function rankEntrants(entrants: readonly string[], matches: readonly MatchSummary[]): RankedEntrant[] {
  const members = new Set(entrants);
  const inside = matches.filter((m) => members.has(m.a) && members.has(m.b) && m.a !== m.b);
  const logits = fitBradleyTerry(entrants, inside.map(toPairResult));
  const records = new Map(entrants.map((trial) => [trial, { trial, matches: 0, wins: 0, losses: 0, ties: 0, points: 0 }]));
  for (const m of inside) {
    const pts = matchPoints(m);
    for (const [side, got] of [[m.a, pts.a], [m.b, pts.b]] as const) {
      const r = records.get(side);
      if (!r) continue;
      r.matches++;
      r.points += got;
      if (got === 1) r.wins++;
      else if (got === 0) r.losses++;
      else r.ties++;
    }
  }
  const pointsOf = (t: string) => records.get(t)?.points ?? 0;
  // Head-to-head: points earned only against the entrants level on points.
  const headToHead = new Map<string, number>();
  for (const m of inside) {
    if (pointsOf(m.a) !== pointsOf(m.b)) continue;
    const pts = matchPoints(m);
    headToHead.set(m.a, (headToHead.get(m.a) ?? 0) + pts.a);
    headToHead.set(m.b, (headToHead.get(m.b) ?? 0) + pts.b);
  }
  const order = new Map(entrants.map((e, i) => [e, i]));
  return [...records.values()]
    .map((r) => ({ ...r, logit: logits.get(r.trial) ?? 0 }))
    .sort(
      (x, y) =>
        y.points - x.points ||
        (headToHead.get(y.trial) ?? 0) - (headToHead.get(x.trial) ?? 0) ||
        // Symmetric entrants fit to logits that differ only by rounding; let input order decide them.
        (Math.abs(y.logit - x.logit) > 1e-9 ? y.logit - x.logit : 0) ||
        (order.get(x.trial) ?? 0) - (order.get(y.trial) ?? 0),
    );
}

/**
 * Orders `tier` by Bradley–Terry logits fitted over the whole field's matches (strongest first, then
 * input order): the adaptive tournament's rule, whose matches are too few and too uneven for points.
 */
export function rankByStrength(tier: readonly string[], logits: ReadonlyMap<string, number>): string[] {
  const order = new Map(tier.map((e, i) => [e, i]));
  const logit = (e: string) => logits.get(e) ?? 0;
  return [...tier].sort((x, y) => (Math.abs(logit(y) - logit(x)) > 1e-9 ? logit(y) - logit(x) : 0) || (order.get(x) ?? 0) - (order.get(y) ?? 0));
}

/** Returns the first of `rankEntrants` over the matches so far, or `null` before any match was played. */
export function leaderOf(entrants: readonly string[], matches: readonly MatchSummary[]): string | null {
  if (matches.length === 0) return null;
  return rankEntrants(entrants, matches)[0]?.trial ?? null;
}
