import { z } from 'zod';

/** The tournament strategies a sweep can ask for. */
export const tournamentStrategies = ['round-robin', 'blocks', 'knockout', 'swiss', 'adaptive'] as const;

/** Number of blocks the `blocks` strategy uses when neither `blocks` nor `blockBy` is given. */
export const defaultBlockCount = 4;

/**
 * Validates the `tournament` section of a sweep: how trials are paired, how many advance, and the
 * seeds and resample count behind the rankings. Unknown keys are rejected.
 */
export const tournamentConfigSchema = z
  .strictObject({
    /** How trials meet. Defaults to `blocks` (the PandaLM paper's scheme). */
    strategy: z.enum(tournamentStrategies).default('blocks'),
    /** Number of blocks of equal size (`blocks` strategy). Defaults to `4` when `blockBy` is absent. */
    blocks: z.int().min(1).optional(),
    /** Parameter names whose value combination defines a block (`blocks` strategy); excludes `blocks`. */
    blockBy: z.array(z.string().min(1)).min(1).optional(),
    /** Trials per block that reach the cross-block final. Defaults to `1`. */
    advance: z.int().min(1).default(1),
    /** Rounds of a `swiss` tournament. Defaults to `ceil(log2(trials))`. */
    rounds: z.int().min(1).optional(),
    /**
     * Upper bound on matches for the `adaptive` strategy; rounds are dropped to fit it. Without one the
     * halving schedule alone sets the count (`validate` prints it). Early stopping inside matches saves
     * judge calls beyond that, so the calls used are below matches x instructions x orders.
     */
    budget: z.int().min(1).optional(),
    /** Seed for block assignment, pairing tie-breaks and bootstrap resampling. Defaults to `0`. */
    seed: z.int().default(0),
    /** Bootstrap resamples behind each rating's confidence interval. Defaults to `1000`. */
    bootstrap: z.int().min(0).default(1000),
  })
  .superRefine((config, ctx) => {
    if (config.blocks !== undefined && config.blockBy !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['blockBy'],
        message: 'Give either `blocks` (a count) or `blockBy` (parameter names), not both.',
      });
    }
    const blockOnly = ['blocks', 'blockBy'] as const;
    for (const key of blockOnly) {
      if (config[key] !== undefined && config.strategy !== 'blocks') {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `\`${key}\` only applies to the \`blocks\` strategy (strategy is \`${config.strategy}\`).`,
        });
      }
    }
    if (config.rounds !== undefined && config.strategy !== 'swiss') {
      ctx.addIssue({ code: 'custom', path: ['rounds'], message: '`rounds` only applies to the `swiss` strategy.' });
    }
    if (config.budget !== undefined && config.strategy !== 'adaptive') {
      ctx.addIssue({ code: 'custom', path: ['budget'], message: '`budget` only applies to the `adaptive` strategy.' });
    }
  });

/** A validated tournament section, defaults applied. */
export type TournamentConfig = z.infer<typeof tournamentConfigSchema>;
