import { describe, expect, it } from 'vitest';
import { assignBlocks } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema } from '../../../../core/tournament/tournament-config.js';

function grid(n: number) {
  return Array.from({ length: n }, (_, i) => ({ key: `t${i}`, params: { lr: i % 4, epochs: i % 2 === 0 ? 'a' : 'b' } }));
}

describe('assignBlocks', () => {
  it('splits by count into balanced, disjoint, seeded blocks', () => {
    const trials = grid(18);
    const config = tournamentConfigSchema.parse({ blocks: 4, seed: 3 });
    const blocks = assignBlocks(trials, config);
    expect(blocks).toHaveLength(4);
    const sizes = blocks.map((b) => b.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(blocks.flat().sort()).toEqual(trials.map((t) => t.key).sort());
    expect(assignBlocks(trials, config)).toEqual(blocks);
    // Not grid slices: the first block is not the first n/4 trials.
    expect(blocks[0]).not.toEqual(trials.slice(0, blocks[0]?.length).map((t) => t.key));
    const other = assignBlocks(trials, tournamentConfigSchema.parse({ blocks: 4, seed: 4 }));
    expect(other).not.toEqual(blocks);
  });

  it('defaults to 4 blocks and never makes more blocks than trials', () => {
    expect(assignBlocks(grid(16), tournamentConfigSchema.parse({}))).toHaveLength(4);
    expect(assignBlocks(grid(2), tournamentConfigSchema.parse({ blocks: 5 }))).toHaveLength(2);
    expect(assignBlocks([], tournamentConfigSchema.parse({}))).toEqual([]);
  });

  it('groups by blockBy value combinations in first-seen order', () => {
    const trials = grid(8);
    const blocks = assignBlocks(trials, tournamentConfigSchema.parse({ blockBy: ['epochs'] }));
    expect(blocks).toEqual([
      ['t0', 't2', 't4', 't6'],
      ['t1', 't3', 't5', 't7'],
    ]);
    const byLr = assignBlocks(trials, tournamentConfigSchema.parse({ blockBy: ['lr', 'epochs'] }));
    expect(byLr).toHaveLength(4);
    expect(byLr[0]).toEqual(['t0', 't4']);
  });

  it('puts every trial in one block for other strategies', () => {
    const blocks = assignBlocks(grid(5), tournamentConfigSchema.parse({ strategy: 'swiss' }));
    expect(blocks).toEqual([['t0', 't1', 't2', 't3', 't4']]);
  });
});

describe('tournamentConfigSchema', () => {
  it('applies defaults', () => {
    expect(tournamentConfigSchema.parse({})).toEqual({ strategy: 'blocks', advance: 1, seed: 0, bootstrap: 1000 });
  });
  it.each([
    [{ blocks: 2, blockBy: ['lr'] }, 'blockBy'],
    [{ strategy: 'knockout', blocks: 2 }, 'blocks'],
    [{ strategy: 'blocks', rounds: 3 }, 'rounds'],
    [{ unknown: 1 }, ''],
    [{ blocks: 0 }, 'blocks'],
    [{ strategy: 'elimination' }, 'strategy'],
  ])('rejects %j', (input, path) => {
    const result = tournamentConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    // Another strategy's option is an unknown key of the object: the issue names it in `keys`.
    const paths = result.error?.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((key) => [...i.path, key].join('.')) : [i.path.join('.')]));
    if (path) expect(paths).toContain(path);
  });
});
