import type { TournamentConfig } from './tournament-config.js';
import type { MatchSummary, NextMatches } from './types.js';
import { planAdaptive } from './adaptive-strategy.js';
import { planBlocks } from './blocks-strategy.js';
import { planKnockout } from './knockout-strategy.js';
import { planRoundRobin } from './round-robin-strategy.js';
import { planSwiss } from './swiss-strategy.js';

/** What a strategy sees: its configuration, the entrants by block, and every match played so far. */
export interface PlanInput {
  readonly config: TournamentConfig;
  /** Entrant trial keys per block (one block for strategies without blocks); failed trials removed. */
  readonly blocks: readonly (readonly string[])[];
  /** Results so far, in any order; matches of other strategies or with unknown trials are ignored. */
  readonly results: readonly MatchSummary[];
}

/**
 * A tournament strategy: a pure function from the results so far to the next matches. Being pure, it
 * lets a workflow recompute its state from recorded results after a replay or a continue-as-new, and
 * an adaptive strategy can choose its next matches from everything played.
 */
export type TournamentStrategy = (input: PlanInput) => NextMatches;

/** The built-in strategies by name. */
export const tournamentStrategyByName: Readonly<Partial<Record<TournamentConfig['strategy'], TournamentStrategy>>> = {
  adaptive: planAdaptive,
  'round-robin': planRoundRobin,
  blocks: planBlocks,
  knockout: planKnockout,
  swiss: planSwiss,
};

/**
 * Returns the matches that can be played now under `input.config.strategy` (every match whose
 * inputs are known: all block round robins at once, the final once the blocks are done, knockout and
 * swiss round by round, adaptive one halving round at a time), never one whose id is already in the results; `done` with the winner once
 * nothing is left to play.
 */
export function planNextMatches(input: PlanInput): NextMatches {
  const strategy = tournamentStrategyByName[input.config.strategy];
  if (strategy === undefined) {
    throw new Error(`The tournament strategy "${input.config.strategy}" is not implemented yet.`);
  }
  return strategy(input);
}
