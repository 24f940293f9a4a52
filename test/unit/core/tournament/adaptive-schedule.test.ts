import { describe, expect, it } from 'vitest';
import { adaptiveMatchCount, defaultAdaptiveFinalSize, planAdaptiveSchedule } from '../../../../core/tournament/adaptive-schedule.js';
import { planMatchCount } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema } from '../../../../core/tournament/tournament-config.js';

const pairs = (n: number) => (n < 2 ? 0 : (n * (n - 1)) / 2);

describe('planAdaptiveSchedule', () => {
  it('halves the field level by level down to the final, with more rounds once the field is small', () => {
    const s = planAdaptiveSchedule(80);
    expect(s.levels.map((l) => l.size)).toEqual([80, 40, 20, 10]);
    expect(s.levels.map((l) => l.rounds)).toEqual([2, 2, 3, 3]);
    expect(s.finalSize).toBe(5);
    expect(s.levelMatches).toBe(2 * 40 + 2 * 20 + 3 * 10 + 3 * 5);
    expect(s.finalMatches).toBe(10);
    expect(s.truncated).toBe(false);
  });

  it('sends a small field straight to the final (a full round robin)', () => {
    for (let n = 0; n <= defaultAdaptiveFinalSize; n++) {
      const s = planAdaptiveSchedule(n);
      expect(s.levels).toEqual([]);
      expect(adaptiveMatchCount(s)).toBe(pairs(n));
    }
  });

  it('never plans more than the budget, and plans the default shape when the budget allows it', () => {
    const unlimited = adaptiveMatchCount(planAdaptiveSchedule(80));
    for (const budget of [1, 5, 39, 40, 41, 60, 100, 150, unlimited - 1, unlimited, 5000]) {
      const s = planAdaptiveSchedule(80, { budget });
      expect(adaptiveMatchCount(s)).toBeLessThanOrEqual(budget);
      if (!s.truncated) expect(s.levelMatches + s.finalMatches).toBeLessThanOrEqual(budget);
    }
    expect(adaptiveMatchCount(planAdaptiveSchedule(80, { budget: 5000 }))).toBe(unlimited);
    expect(planAdaptiveSchedule(80, { budget: 5 }).truncated).toBe(true);
  });

  it('gives up rounds of the largest levels first', () => {
    const s = planAdaptiveSchedule(80, { budget: 150 });
    expect(s.truncated).toBe(false);
    expect(s.levels[0]?.rounds).toBe(1);
    expect(s.levels[s.levels.length - 1]?.rounds).toBe(3);
  });

  it('is what validate shows through planMatchCount', () => {
    const config = tournamentConfigSchema.parse({ strategy: 'adaptive', budget: 120 });
    const s = planAdaptiveSchedule(80, { budget: 120 });
    const plan = planMatchCount([80], config);
    expect(plan.total).toBe(adaptiveMatchCount(s));
    expect(plan.byStage).toEqual({ adaptive: s.levelMatches, final: s.finalMatches });
  });
});
