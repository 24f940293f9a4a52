/**
 * The tournament strategies by name, and the operations every caller uses through them: planning
 * the next matches, counting matches and assigning blocks. A new strategy is one file exporting its
 * `TournamentStrategy` object, plus its name in `tournamentStrategies` and its entry below.
 */
import { adaptiveStrategy } from './adaptive-strategy.js';
import { blocksStrategy } from './blocks-strategy.js';
import { knockoutStrategy } from './knockout-strategy.js';
import { roundRobinStrategy } from './round-robin-strategy.js';
import { swissStrategy } from './swiss-strategy.js';
import type { BlockableTrial, NextMatches, PlanInput, StrategyConfig, TournamentStrategy } from './types.js';

/** The tournament strategies a sweep can ask for. */
export const tournamentStrategies = ['round-robin', 'blocks', 'knockout', 'swiss', 'adaptive'] as const;

/** The name of a tournament strategy. */
export type StrategyName = (typeof tournamentStrategies)[number];

/** The strategy a tournament section without `strategy` gets (the PandaLM paper's scheme). */
export const defaultStrategy: StrategyName = 'blocks';

// Every name has an entry (and no entry lacks a name); each entry's type keeps its own options schema.
const definitions = {
  'round-robin': roundRobinStrategy,
  blocks: blocksStrategy,
  knockout: knockoutStrategy,
  swiss: swissStrategy,
  adaptive: adaptiveStrategy,
} satisfies Record<StrategyName, unknown>;

/** The validated configuration of strategy `K`: the common fields and that strategy's options. */
export type ConfigFor<K extends StrategyName> = StrategyConfig<K, (typeof definitions)[K]['optionsSchema']>;

/** A validated tournament section, defaults applied: one member per strategy, told apart by `strategy`. */
export type TournamentConfig = { [K in StrategyName]: ConfigFor<K> }[StrategyName];

/** The built-in strategies by name. */
export const tournamentStrategyByName: { readonly [K in StrategyName]: TournamentStrategy<ConfigFor<K>> & { readonly name: K } } = definitions;

/** Returns the strategy `config` names. */
function strategyOf(config: TournamentConfig): TournamentStrategy<TournamentConfig> {
  // Each entry takes the config of its own name, which is the one `config.strategy` picks.
  return tournamentStrategyByName[config.strategy] as TournamentStrategy<TournamentConfig>;
}

/**
 * Returns the matches that can be played now under `input.config.strategy` (every match whose
 * inputs are known: all block round robins at once, the final once the blocks are done, knockout and
 * swiss round by round, adaptive one halving round at a time), never one whose id is already in the
 * results; `done` with the winner once nothing is left to play.
 */
export function planNextMatches(input: PlanInput<TournamentConfig>): NextMatches {
  return strategyOf(input.config).plan(input);
}

/** How many matches a tournament will play, per stage and in total. */
export interface MatchCountPlan {
  /** Matches per stage name (`block`, `final`, `round-robin`, `knockout`, `swiss`, `adaptive`). */
  readonly byStage: Record<string, number>;
  readonly total: number;
}

/**
 * Counts the matches a tournament over blocks of the given sizes will play, by the strategy's
 * `matchCount` (upper bounds where the count depends on results: knockout byes and failed trials only
 * lower it). `blocks`: block round robins (`block`) and the cross-block `final`; `round-robin`: every
 * pair once; `knockout`: n - 1; `swiss`: rounds x floor(n / 2); `adaptive`: its halving rounds
 * (`adaptive`) and `final`, within the `budget`.
 */
export function planMatchCount(blockSizes: readonly number[], config: TournamentConfig): MatchCountPlan {
  const byStage = strategyOf(config).matchCount(blockSizes, config);
  return { byStage, total: Object.values(byStage).reduce((sum, c) => sum + c, 0) };
}

/**
 * Counts the instructions a tournament's matches judge at most (one order each): the strategy's own
 * count where its matches are shorter (`adaptive`), else every match times every instruction.
 */
export function planInstructionCount(blockSizes: readonly number[], config: TournamentConfig, instructions: number): number {
  const strategy = strategyOf(config);
  return strategy.instructionsJudged?.(blockSizes, config, instructions) ?? planMatchCount(blockSizes, config).total * instructions;
}

/**
 * Splits trials into blocks and returns the trial keys of each block: none without trials, the
 * strategy's own split where it has one (`blocks`: seeded, balanced blocks or one per `blockBy`
 * combination, see `assignToBlocks`), else a single block holding all trials in input order.
 */
export function assignBlocks(trials: readonly BlockableTrial[], config: TournamentConfig): string[][] {
  if (trials.length === 0) return [];
  const strategy = strategyOf(config);
  return strategy.assignBlocks?.(trials, config) ?? [trials.map((t) => t.key)];
}
