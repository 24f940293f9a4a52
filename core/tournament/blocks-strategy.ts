import { leaderOf, rankEntrants } from './rank-entrants.js';
import { roundRobinPairings, unplayed } from './round-robin-pairings.js';
import type { PlanInput } from './strategy.js';
import type { NextMatches } from './types.js';

/** Returns the finalists: the top `advance` of each block by `rankEntrants` over its block matches. */
export function blockFinalists(input: PlanInput): string[][] {
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
export function planBlocks(input: PlanInput): NextMatches {
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
