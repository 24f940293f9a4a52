import type { MatchPairing } from './types.js';

/** Options of `roundRobinPairings`. */
export interface RoundRobinPairingsOptions {
  readonly stage: string;
  /** Block index recorded on each pairing. Defaults to `null`. */
  readonly block?: number | null;
  /** Round recorded on each pairing. Defaults to `1`. */
  readonly round?: number;
  /** Skips pairs for which this returns false (the blocks final skips same-block finalists). */
  readonly include?: (a: string, b: string) => boolean;
}

/**
 * Returns every pair of `entrants` once, A being the earlier entrant, with ids
 * `<stage>[-<block>]-<a>-<b>`.
 */
export function roundRobinPairings(entrants: readonly string[], options: RoundRobinPairingsOptions): MatchPairing[] {
  const { stage, block = null, round = 1, include } = options;
  const prefix = block === null ? stage : `${stage}-${block}`;
  const out: MatchPairing[] = [];
  for (let i = 0; i < entrants.length; i++) {
    for (let j = i + 1; j < entrants.length; j++) {
      const a = entrants[i] as string;
      const b = entrants[j] as string;
      if (include && !include(a, b)) continue;
      out.push({ id: `${prefix}-${a}-${b}`, a, b, stage, block, round });
    }
  }
  return out;
}

/** Returns the pairings that have no result yet (by id). */
export function unplayed(pairings: readonly MatchPairing[], playedIds: ReadonlySet<string>): MatchPairing[] {
  return pairings.filter((p) => !playedIds.has(p.id));
}
