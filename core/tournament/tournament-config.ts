import { z } from 'zod';
import { defaultStrategy, tournamentStrategies, tournamentStrategyByName, type TournamentConfig } from './strategies.js';
import type { CommonTournamentConfig } from './types.js';

export { tournamentStrategies, type TournamentConfig } from './strategies.js';

/** The fields of every strategy's tournament section. */
const commonShape = {
  /** Seed for block assignment, pairing tie-breaks and bootstrap resampling. Defaults to `0`. */
  seed: z.int().default(0),
  /** Bootstrap resamples behind each rating's confidence interval. Defaults to `1000`. */
  bootstrap: z.int().min(0).default(1000),
} satisfies { [K in keyof CommonTournamentConfig]: z.ZodType<CommonTournamentConfig[K], CommonTournamentConfig[K] | undefined> };

/** One member per strategy: `strategy` (that name), the common fields and the strategy's own options; unknown keys rejected. */
const members = tournamentStrategies.map((name) => {
  const strategy = tournamentStrategyByName[name];
  // safeExtend keeps the options' refinements (`blocks` checks `blocks` against `blockBy`).
  return strategy.optionsSchema.safeExtend({ strategy: z.literal(name), ...commonShape }).strict();
}) as unknown as [z.ZodObject, ...z.ZodObject[]];

/** Fills in the default strategy for a mapping that names none. */
function withDefaultStrategy(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return (input as { strategy?: unknown }).strategy === undefined ? { ...input, strategy: defaultStrategy } : input;
}

/**
 * Validates the `tournament` section of a sweep: `strategy` (how trials meet; defaults to `blocks`,
 * the PandaLM paper's scheme), that strategy's own options (see each strategy's `optionsSchema`), and
 * the seed and resample count behind the rankings. A key that the chosen strategy does not take,
 * including another strategy's option, is an unknown key.
 */
export const tournamentConfigSchema = z.preprocess(withDefaultStrategy, z.discriminatedUnion('strategy', members)) as unknown as z.ZodType<
  TournamentConfig,
  unknown
>;
