import type { z } from 'zod';
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
  /**
   * Judgments of earlier matches between the same two trials, by the same judge, count for this one, so
   * only the instructions and orders they lack are judged (the tuned-vs-default confirmation sets it).
   */
  readonly reuseJudgments?: boolean;
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

/** The fields every tournament configuration has, whatever its strategy. */
export interface CommonTournamentConfig {
  /** Seed for block assignment, pairing tie-breaks and bootstrap resampling. */
  seed: number;
  /** Bootstrap resamples behind each rating's confidence interval. */
  bootstrap: number;
}

/** The validated configuration of strategy `Name`: its name, the common fields and its own options (`Options`, defaults applied). */
export type StrategyConfig<Name extends string, Options extends z.ZodObject> = { strategy: Name } & CommonTournamentConfig & z.output<Options>;

/** The least a strategy's configuration is: a name and the common fields. */
export type AnyStrategyConfig = { readonly strategy: string } & CommonTournamentConfig;

/** What a strategy sees: its configuration, the entrants by block, and every match played so far. */
export interface PlanInput<Config extends AnyStrategyConfig = AnyStrategyConfig> {
  readonly config: Config;
  /** Entrant trial keys per block (one block for strategies without blocks); failed trials removed. */
  readonly blocks: readonly (readonly string[])[];
  /** Results so far, in any order; matches of other strategies or with unknown trials are ignored. */
  readonly results: readonly MatchSummary[];
}

/** A trial as block assignment sees it: its key and its hyperparameter values. */
export interface BlockableTrial {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A tournament strategy: how trials are paired (`plan`), how many matches that takes (`matchCount`),
 * its own options (`optionsSchema`) and, where it has blocks, how trials are split into them.
 *
 * `plan` is a pure function from the results so far to the next matches. Being pure, it lets a
 * workflow recompute its state from recorded results after a replay or a continue-as-new, and an
 * adaptive strategy can choose its next matches from everything played.
 */
export interface TournamentStrategy<Config extends AnyStrategyConfig> {
  /** The `strategy` value a sweep names it by. */
  readonly name: Config['strategy'];
  /** One line on what it does, for help and reports. */
  readonly description: string;
  /**
   * This strategy's own options, with their defaults and doc comments (the common `seed` and
   * `bootstrap` are added for every strategy, and unknown keys are rejected). It may carry refinements.
   */
  readonly optionsSchema: z.ZodObject;
  /**
   * Returns the matches that can be played now, never one whose id is already in the results;
   * `done` with the winner once nothing is left to play.
   */
  plan(input: PlanInput<Config>): NextMatches;
  /**
   * Matches per stage name over blocks of the given sizes (upper bounds where the count depends on
   * results: byes and failed trials only lower it).
   */
  matchCount(blockSizes: readonly number[], config: Config): Record<string, number>;
  /**
   * Instructions its matches judge at most, in all, over an evaluation set of `instructions` (one order).
   * Absent: every match judges every instruction.
   */
  instructionsJudged?(blockSizes: readonly number[], config: Config, instructions: number): number;
  /**
   * Splits trials (at least one) into blocks of trial keys. Absent: one block of all trials in input order.
   */
  assignBlocks?(trials: readonly BlockableTrial[], config: Config): string[][];
}
