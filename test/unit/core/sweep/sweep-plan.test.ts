import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSweepPlan } from '../../../../core/sweep/sweep-plan.js';
import { loadSpec, shippedSweeps, specWith, sweepFixtures } from '../../../support/spec-fixtures.js';

const pairs = (n: number) => (n * (n - 1)) / 2;

describe('buildSweepPlan', () => {
  it('counts the evaluate jobs: the top trials per base model, and the baseline when it is not among them', () => {
    const file = path.join(sweepFixtures, 'paper-small.yaml');
    expect(buildSweepPlan(loadSpec(file), { file, evalCount: 10 }).counts.evaluateJobs).toBe(3);
  });

  it('plans the paper preset: 5 base models x 80 trials in 4 blocks of 20, baseline among them', () => {
    const file = path.join(shippedSweeps, 'pandalm-paper.yaml');
    const plan = buildSweepPlan(loadSpec(file), { file, evalCount: 170 });
    expect(plan.sweepId).toBe('pandalm-paper');
    expect(plan.baseModels.map((b) => b.id)).toEqual(['llama-7b', 'bloom-7b', 'cerebras-gpt-6.7b', 'opt-7b', 'pythia-6.9b']);
    for (const baseModel of plan.baseModels) {
      expect(baseModel.trials).toHaveLength(80);
      expect(baseModel.trials.filter((t) => t.isBaseline)).toHaveLength(1);
      expect(baseModel.baselineAdded).toBe(false);
      expect(baseModel.blocks.map((block) => block.length)).toEqual([20, 20, 20, 20]);
      // The blocks partition the trials: every key exactly once.
      expect(baseModel.blocks.flat().sort()).toEqual(baseModel.trials.map((t) => t.key).sort());
    }
    // Blocks, the final, and the best trial against Alpaca's defaults (the baseline).
    const perBaseModel = 4 * pairs(20) + pairs(4) + 1;
    expect(plan.counts).toEqual({
      trials: 400,
      matches: 5 * perBaseModel,
      matchesByStage: { block: 5 * 4 * pairs(20), final: 5 * pairs(4), confirm: 5 },
      judgeCalls: 5 * perBaseModel * 170 * 2,
      // The paper sweep has no `evaluate` job.
      evaluateJobs: 0,
    });
    expect(plan.eval).toEqual({ file: path.join(shippedSweeps, 'data/pandalm-testset-inference-v1.json'), count: 170 });
  });

  it('blocks by parameter values, honours eval.limit and counts one order without swap', () => {
    const file = path.join(sweepFixtures, 'valid/random.yaml');
    const spec = loadSpec(file);
    const plan = buildSweepPlan(spec, { file, evalCount: 3 });
    expect(plan.eval.count).toBe(2);
    for (const baseModel of plan.baseModels) {
      for (const block of baseModel.blocks) {
        const optimizers = new Set(block.map((key) => baseModel.trials.find((t) => t.key === key)?.params.optimizer));
        expect(optimizers.size).toBe(1);
      }
    }
    expect(plan.counts.judgeCalls).toBe(plan.counts.matches * 2 * 1);
    expect(plan.baseModels[0]?.fields).toEqual({ path: 'org/small', template: 'alpaca' });
  });

  it('counts a round robin over an added baseline', () => {
    const spec = specWith({ parameters: { a: { values: [1, 2, 3] } }, baseline: { name: 'b', params: { a: 9 } }, tournament: { strategy: 'round-robin' } });
    const plan = buildSweepPlan(spec, { file: 'sweeps/x.yaml', evalCount: 10 });
    expect(plan.baseModels[0]?.baselineAdded).toBe(true);
    expect(plan.baselineName).toBe('b');
    expect(plan.counts).toMatchObject({ trials: 4, matches: pairs(4) + 1, matchesByStage: { 'round-robin': pairs(4), confirm: 1 }, judgeCalls: (pairs(4) + 1) * 10 * 2 });
  });

  it('resolves eval.file against the sweep file folder and stays plain JSON', () => {
    const at = (evalFile: string) => buildSweepPlan(specWith({ eval: { file: evalFile } }), { file: '/home/u/sweeps/x.yaml', evalCount: 1 }).eval.file;
    expect(at('data/e.jsonl')).toBe('/home/u/sweeps/data/e.jsonl');
    expect(at('./e.jsonl')).toBe('/home/u/sweeps/e.jsonl');
    expect(at('../shared/e.json')).toBe('/home/u/shared/e.json');
    expect(at('/abs/e.json')).toBe('/abs/e.json');
    const plan = buildSweepPlan(specWith({}), { file: '/s/x.yaml', evalCount: 1 });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });
});
