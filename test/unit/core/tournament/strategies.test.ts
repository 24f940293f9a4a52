import { describe, expect, it } from 'vitest';
import { describeZodIssue } from '../../../../core/sweep/describe-zod-issue.js';
import {
  assignBlocks,
  defaultStrategy,
  planMatchCount,
  planNextMatches,
  tournamentStrategies,
  tournamentStrategyByName,
} from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema, type TournamentConfig } from '../../../../core/tournament/tournament-config.js';
import type { MatchSummary } from '../../../../core/tournament/types.js';

const trials = Array.from({ length: 8 }, (_, i) => ({ key: `t${i}`, params: { lr: i % 2 } }));
const quality = (key: string) => Number(key.slice(1));

/** Plays every strategy's tournament to the end; the better trial (higher number) wins 15 of 20 instructions. */
function play(config: TournamentConfig) {
  const blocks = assignBlocks(trials, config);
  const results: MatchSummary[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const next = planNextMatches({ config, blocks, results });
    if (next.done) return { blocks, results, winner: next.winner };
    for (const p of next.pairings) {
      const aBetter = quality(p.a) > quality(p.b);
      results.push({ id: p.id, a: p.a, b: p.b, stage: p.stage, block: p.block, aWins: aBetter ? 15 : 5, bWins: aBetter ? 5 : 15, ties: 0 });
    }
  }
  throw new Error(`${config.strategy} did not finish`);
}

describe('the strategy registry', () => {
  it('has one strategy object per name, named as its key', () => {
    expect(Object.keys(tournamentStrategyByName).sort()).toEqual([...tournamentStrategies].sort());
    for (const name of tournamentStrategies) {
      const strategy = tournamentStrategyByName[name];
      expect(strategy.name).toBe(name);
      expect(strategy.description).toMatch(/^\S.*\S$/);
      expect(strategy.description).not.toContain('\n');
    }
  });

  it.each(tournamentStrategies)('plans %s to the end and counts its matches by stage', (name) => {
    const config = tournamentConfigSchema.parse({ strategy: name, bootstrap: 0 });
    const { blocks, results, winner } = play(config);
    expect(winner).toBe('t7');
    const count = planMatchCount(blocks.map((block) => block.length), config);
    expect(count.total).toBe(Object.values(count.byStage).reduce((sum, n) => sum + n, 0));
    // Counts are exact here (no byes or failed trials), except adaptive, whose count is an upper bound.
    if (name === 'adaptive') expect(results.length).toBeLessThanOrEqual(count.total);
    else expect(results.length).toBe(count.total);
    for (const stage of new Set(results.map((r) => r.stage))) expect(count.byStage[stage], stage).toBeGreaterThan(0);
  });

  it('gives every strategy but blocks one block of all trials in input order', () => {
    for (const name of tournamentStrategies) {
      const blocks = assignBlocks(trials, tournamentConfigSchema.parse({ strategy: name }));
      if (name === 'blocks') expect(blocks).toHaveLength(4);
      else expect(blocks).toEqual([trials.map((t) => t.key)]);
    }
  });
});

describe('tournamentConfigSchema by strategy', () => {
  it('defaults to the blocks strategy', () => {
    expect(defaultStrategy).toBe('blocks');
    expect(tournamentConfigSchema.parse({})).toMatchObject({ strategy: 'blocks' });
    expect(tournamentConfigSchema.parse({ blockBy: ['lr'] })).toEqual({ strategy: 'blocks', blockBy: ['lr'], advance: 1, seed: 0, bootstrap: 1000 });
  });

  it("takes each strategy's own options with their defaults, and the common ones", () => {
    expect(tournamentConfigSchema.parse({ strategy: 'swiss', rounds: 2, seed: 5 })).toEqual({ strategy: 'swiss', rounds: 2, seed: 5, bootstrap: 1000 });
    expect(tournamentConfigSchema.parse({ strategy: 'adaptive', budget: 30 })).toEqual({ strategy: 'adaptive', budget: 30, schedule: 'growing', seed: 0, bootstrap: 1000 });
    expect(tournamentConfigSchema.parse({ strategy: 'knockout' })).toEqual({ strategy: 'knockout', seed: 0, bootstrap: 1000 });
  });

  it.each([
    [{ strategy: 'swiss', budget: 30 }, 'budget', 'swiss', 'adaptive'],
    [{ budget: 30 }, 'budget', 'blocks', 'adaptive'],
    [{ strategy: 'round-robin', advance: 1 }, 'advance', 'round-robin', 'blocks'],
    [{ strategy: 'adaptive', rounds: 3 }, 'rounds', 'adaptive', 'swiss'],
  ])('rejects %j as an option of another strategy, saying which', (input, key, strategy, owner) => {
    const result = tournamentConfigSchema.safeParse(input, { reportInput: true });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(issues).toHaveLength(1);
    const described = describeZodIssue(issues[0]!, tournamentConfigSchema);
    expect(described).toEqual([
      {
        path: [key],
        message: expect.stringMatching(new RegExp(`^unknown key "${key}" for strategy "${strategy}": "${key}" only applies to strategy "${owner}"; expected one of: strategy, `)),
        locate: { atKey: true },
      },
    ]);
  });

  it('keeps the rule that `blocks` and `blockBy` exclude each other', () => {
    const result = tournamentConfigSchema.safeParse({ blocks: 2, blockBy: ['lr'] });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['blockBy', 'Give either `blocks` (a count) or `blockBy` (parameter names), not both.']]);
  });
});
