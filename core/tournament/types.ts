import type { SequentialTestOptions } from './sequential-test.js';

/** The stages a built-in strategy plays; an adaptive strategy may name its own. */
export type MatchStage = 'block' | 'final' | 'round-robin' | 'knockout' | 'swiss' | (string & {});

/** A match to play: two trials over all evaluation instructions, both orders (A is response 1 in order 1). */
export interface MatchPairing {
  /** Deterministic id, e.g. `block-2-t03-t17`; a replanned tournament yields the same ids. */
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly stage: MatchStage;
  /** Block index for block-stage matches, `null` otherwise. */
  readonly block: number | null;
  /** 1-based round within the tournament (knockout and swiss rounds; the blocks final is round 2). */
  readonly round: number;
  /** When the judge activity may stop the match early (the adaptive strategy sets it); absent: judge every instruction. */
  readonly earlyStop?: SequentialTestOptions;
}

/** A played match: instruction-level results after the two orders of each instruction were resolved. */
export interface MatchSummary {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly stage: MatchStage;
  readonly block: number | null;
  /** Instructions A won. */
  readonly aWins: number;
  /** Instructions B won. */
  readonly bWins: number;
  /** Instructions tied. */
  readonly ties: number;
}

/** A's result on one instruction of a match: 1 win, 0.5 tie, 0 loss. */
export interface InstructionScore {
  readonly instructionId: string;
  readonly scoreA: number;
}

/** A played match with its per-instruction outcomes, as the standings and the bootstrap need them. */
export interface MatchRecord extends MatchSummary {
  readonly perInstruction: readonly InstructionScore[];
}

/** What a strategy returns: the matches that can be played now, and whether the tournament is over. */
export interface NextMatches {
  /** Matches not yet in the results that can run now (possibly empty while others are still running). */
  readonly pairings: MatchPairing[];
  /** True once every match the strategy needs has a result. */
  readonly done: boolean;
  /** The winner once `done` (the leader so far where the strategy knows one), `null` without entrants. */
  readonly winner: string | null;
}
