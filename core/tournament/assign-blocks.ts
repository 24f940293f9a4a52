import { defaultBlockCount, type TournamentConfig } from './tournament-config.js';
import { hashSeed, seededRandom, seededShuffle } from './seeded-random.js';

/** A trial as block assignment sees it: its key and its hyperparameter values. */
export interface BlockableTrial {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/**
 * Splits trials into blocks and returns the trial keys of each block.
 *
 * For the `blocks` strategy with a count, trials are shuffled with `config.seed` (so a block is not a
 * slice of the grid, which would put similar configurations together) and dealt out so block sizes
 * differ by at most one; there are never more blocks than trials, and each block lists its keys in
 * input order. With `blockBy`, there is one block per distinct combination of those parameters' values,
 * in first-seen order (a missing parameter counts as its own value). Every other strategy gets a
 * single block holding all trials in input order.
 */
export function assignBlocks(trials: readonly BlockableTrial[], config: TournamentConfig): string[][] {
  if (trials.length === 0) return [];
  if (config.strategy !== 'blocks') return [trials.map((t) => t.key)];

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
