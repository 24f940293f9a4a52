import { z } from 'zod';
import { leaderOf, rankEntrants } from './rank-entrants.js';
import { roundRobinPairings, unplayed } from './round-robin-pairings.js';
import { hashSeed, seededRandom, seededShuffle } from './seeded-random.js';
import type { BlockableTrial, NextMatches, PlanInput, StrategyConfig, TournamentStrategy } from './types.js';

/** Number of blocks the `blocks` strategy uses when neither `blocks` nor `blockBy` is given. */
export const defaultBlockCount = 4;

const blocksOptions = z
  .strictObject({
    /** Number of blocks of equal size. Defaults to `4` when `blockBy` is absent. */
    blocks: z.int().min(1).optional(),
    /** Parameter names whose value combination defines a block; excludes `blocks`. */
    blockBy: z.array(z.string().min(1)).min(1).optional(),
    /** Trials per block that reach the cross-block final. Defaults to `1`. */
    advance: z.int().min(1).default(1),
  })
  .superRefine((options, ctx) => {
    if (options.blocks !== undefined && options.blockBy !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['blockBy'],
        message: 'Give either `blocks` (a count) or `blockBy` (parameter names), not both.',
      });
    }
  });

/** A validated `blocks` tournament section. */
export type BlocksConfig = StrategyConfig<'blocks', typeof blocksOptions>;

/** Number of pairs among `n` entrants. */
function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Returns the finalists: the top `advance` of each block by `rankEntrants` over its block matches. */
export function blockFinalists(input: PlanInput<BlocksConfig>): string[][] {
  return input.blocks.map((block) =>
    rankEntrants(block, input.results.filter((r) => r.stage === 'block'))
      .slice(0, input.config.advance)
      .map((r) => r.trial),
  );
}

/**
 * Plans the PandaLM paper's tournament: a round robin inside every block (all blocks at once), then a
 * final among the top `advance` of each block. In the final only finalists from different blocks
 * meet; finalists from one block already played, and that result counts in the final's ranking. The
 * winner tops `rankEntrants` over the finalists' matches among themselves. With one block there is no
 * final.
 */
export function planBlocks(input: PlanInput<BlocksConfig>): NextMatches {
  const entrants = input.blocks.flat();
  const blockPairings = input.blocks.flatMap((block, i) => roundRobinPairings(block, { stage: 'block', block: i }));
  const played = new Set(input.results.map((r) => r.id));
  const pendingBlocks = unplayed(blockPairings, played);
  const blockIds = new Set(blockPairings.map((p) => p.id));
  const blockResults = input.results.filter((r) => blockIds.has(r.id));
  if (pendingBlocks.length > 0) return { pairings: pendingBlocks, done: false, winner: leaderOf(entrants, blockResults) };

  const finalistsByBlock = blockFinalists({ ...input, results: blockResults });
  const finalists = finalistsByBlock.flat();
  if (finalistsByBlock.length <= 1) return { pairings: [], done: true, winner: finalists[0] ?? null };

  const blockOf = new Map(finalistsByBlock.flatMap((keys, i) => keys.map((k) => [k, i] as const)));
  const finalPairings = roundRobinPairings(finalists, {
    stage: 'final',
    round: 2,
    include: (a, b) => blockOf.get(a) !== blockOf.get(b),
  });
  const finalIds = new Set(finalPairings.map((p) => p.id));
  const finalResults = [...blockResults, ...input.results.filter((r) => finalIds.has(r.id))];
  const pendingFinal = unplayed(finalPairings, played);
  if (pendingFinal.length > 0) return { pairings: pendingFinal, done: false, winner: leaderOf(finalists, finalResults) };
  return { pairings: [], done: true, winner: rankEntrants(finalists, finalResults)[0]?.trial ?? null };
}

/**
 * Counts a round robin inside each block, then a final between the top `advance` of each block in
 * which only finalists from different blocks meet (finalists from the same block already played each
 * other and that result is carried into the final's standings); no final with one block.
 */
export function blocksMatchCount(blockSizes: readonly number[], config: BlocksConfig): Record<string, number> {
  const block = blockSizes.reduce((sum, size) => sum + pairs(size), 0);
  const finalists = blockSizes.map((size) => Math.min(size, config.advance)).filter((f) => f > 0);
  const total = finalists.reduce((sum, f) => sum + f, 0);
  const final = finalists.length > 1 ? pairs(total) - finalists.reduce((sum, f) => sum + pairs(f), 0) : 0;
  return { block, final };
}

/**
 * Splits trials into blocks and returns the trial keys of each block. With a count, trials are
 * shuffled with `config.seed` (so a block is not a slice of the grid, which would put similar
 * configurations together) and dealt out so block sizes differ by at most one; there are never more
 * blocks than trials, and each block lists its keys in input order. With `blockBy`, there is one
 * block per distinct combination of those parameters' values, in first-seen order (a missing
 * parameter counts as its own value).
 */
export function assignToBlocks(trials: readonly BlockableTrial[], config: BlocksConfig): string[][] {
  if (config.blockBy !== undefined) {
    const blockBy = config.blockBy;
    const byCombination = new Map<string, string[]>();
    for (const trial of trials) {
      // JSON keeps 1 and "1" apart, which a joined string would not.
      const combination = JSON.stringify(blockBy.map((name) => trial.params[name] ?? null));
      const block = byCombination.get(combination);
      if (block) block.push(trial.key);
      else byCombination.set(combination, [trial.key]);
    }
    return [...byCombination.values()];
  }

  const count = Math.min(config.blocks ?? defaultBlockCount, trials.length);
  const indexOf = new Map(trials.map((t, i) => [t.key, i]));
  const shuffled = seededShuffle(
    trials.map((t) => t.key),
    seededRandom(hashSeed('assign-blocks', config.seed)),
  );
  const blocks: string[][] = Array.from({ length: count }, () => []);
  shuffled.forEach((key, i) => blocks[i % count]?.push(key));
  for (const block of blocks) block.sort((a, b) => (indexOf.get(a) ?? 0) - (indexOf.get(b) ?? 0));
  return blocks;
}

/** The PandaLM paper's scheme, and the default: round robins in blocks, then a cross-block final. */
export const blocksStrategy = {
  name: 'blocks',
  description: 'round robins inside blocks of trials, then a final among the top `advance` of each block (the PandaLM paper)',
  optionsSchema: blocksOptions,
  plan: planBlocks,
  matchCount: blocksMatchCount,
  assignBlocks: assignToBlocks,
} satisfies TournamentStrategy<BlocksConfig>;
