import { hashSeed } from './seeded-random.js';
import type { MatchSummary } from './types.js';

/**
 * Returns the match points each side earns: 1 for the side that won more instructions, 0.5 each when
 * they won equally many.
 */
export function matchPoints(match: Pick<MatchSummary, 'aWins' | 'bWins'>): { a: number; b: number } {
  if (match.aWins > match.bWins) return { a: 1, b: 0 };
  if (match.aWins < match.bWins) return { a: 0, b: 1 };
  return { a: 0.5, b: 0.5 };
}

/**
 * Returns the trial that goes through when a match must have a winner (knockout): the side with more
 * instruction wins, and on an exact tie a coin seeded by `seed` and the match id, so replaying the
 * tournament and recomputing the standings agree.
 */
export function decideMatch(match: Pick<MatchSummary, 'id' | 'a' | 'b' | 'aWins' | 'bWins'>, seed: number): string {
  if (match.aWins !== match.bWins) return match.aWins > match.bWins ? match.a : match.b;
  return hashSeed('decide-match', seed, match.id) % 2 === 0 ? match.a : match.b;
}
