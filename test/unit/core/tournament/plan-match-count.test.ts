import { describe, expect, it } from 'vitest';
import { planMatchCount } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema } from '../../../../core/tournament/tournament-config.js';

const cfg = (input: object) => tournamentConfigSchema.parse(input);

describe('planMatchCount', () => {
  it('counts block round robins plus a cross-block final (paper: 80 trials, 4 blocks)', () => {
    const plan = planMatchCount([20, 20, 20, 20], cfg({ blocks: 4 }));
    expect(plan.byStage).toEqual({ block: 4 * 190, final: 6 });
    expect(plan.total).toBe(766);
  });
  it('skips finalist pairs from the same block', () => {
    // 3 blocks x 2 finalists: C(6,2) = 15 minus 3 same-block pairs.
    expect(planMatchCount([4, 4, 4], cfg({ blocks: 3, advance: 2 })).byStage.final).toBe(12);
    expect(planMatchCount([5], cfg({ blocks: 1 })).byStage).toEqual({ block: 10, final: 0 });
  });
  it('counts the other strategies', () => {
    expect(planMatchCount([10], cfg({ strategy: 'round-robin' })).total).toBe(45);
    expect(planMatchCount([10], cfg({ strategy: 'knockout' })).total).toBe(9);
    expect(planMatchCount([10], cfg({ strategy: 'swiss' })).total).toBe(4 * 5);
    expect(planMatchCount([9], cfg({ strategy: 'swiss', rounds: 3 })).total).toBe(12);
    expect(planMatchCount([10], cfg({ strategy: 'adaptive', budget: 20 })).total).toBe(20);
    expect(planMatchCount([4], cfg({ strategy: 'adaptive', budget: 20 })).total).toBe(6);
  });
});
