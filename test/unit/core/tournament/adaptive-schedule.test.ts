import { describe, expect, it } from 'vitest';
import { adaptiveInstructionCount, adaptiveMatchCount, defaultAdaptiveFinalSize, planAdaptiveSchedule, adaptiveLevelShapes } from '../../../../core/tournament/adaptive-schedule.js';
import { planMatchCount } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema } from '../../../../core/tournament/tournament-config.js';

const pairs = (n: number) => (n < 2 ? 0 : (n * (n - 1)) / 2);

describe('planAdaptiveSchedule', () => {
  it('keeps three fifths of the field level by level down to the final, with matches that double in length', () => {
    const s = planAdaptiveSchedule(80);
    expect(s.levels.map((l) => l.size)).toEqual([80, 48, 29, 18, 11, 7]);
    expect(s.levels.map((l) => l.rounds)).toEqual([4, 3, 3, 3, 3, 3]);
    expect(s.levels.map((l) => l.instructions)).toEqual([16, 28, 56, 112, 224, 448]);
    expect(s.finalSize).toBe(5);
    expect(s.levelMatches).toBe(4 * 40 + 3 * 24 + 3 * 14 + 3 * 9 + 3 * 5 + 3 * 3);
    expect(s.finalMatches).toBe(10);
    expect(s.truncated).toBe(false);
  });

  it('keeps the halving schedule: half go on, every match judges every instruction', () => {
    const s = planAdaptiveSchedule(80, { schedule: 'halving' });
    expect(s.levels.map((l) => l.size)).toEqual([80, 40, 20, 10]);
    expect(s.levels.map((l) => l.rounds)).toEqual([2, 2, 3, 3]);
    expect(s.levels.every((l) => l.instructions === undefined)).toBe(true);
    expect(s.finalSize).toBe(5);
    expect(adaptiveInstructionCount(s, 170)).toBe((s.levelMatches + s.finalMatches) * 170);
  });

  it('counts the instructions judged at most: capped in the levels, all of them in the final', () => {
    const s = planAdaptiveSchedule(80);
    // 170 instructions: the levels of 224 and 448 judge all 170.
    const levels = 4 * 40 * 16 + 3 * 24 * 28 + 3 * 14 * 56 + 3 * 9 * 112 + 3 * 5 * 170 + 3 * 3 * 170;
    expect(adaptiveInstructionCount(s, 170)).toBe(levels + 10 * 170);
    // A small evaluation set caps every match at its size.
    expect(adaptiveInstructionCount(s, 8)).toBe((s.levelMatches + s.finalMatches) * 8);
    // With a binding budget, only the matches within it count, the cheapest (earliest) first.
    const tight = planAdaptiveSchedule(80, { budget: 50 });
    expect(adaptiveInstructionCount(tight, 170)).toBeLessThanOrEqual(50 * 170);
  });

  it('always shrinks the field, so the levels end', () => {
    for (let size = 2; size <= 200; size++) expect(adaptiveLevelShapes.growing.survivors(size)).toBeLessThan(size);
    expect(adaptiveLevelShapes.growing.survivors(80)).toBe(48);
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
