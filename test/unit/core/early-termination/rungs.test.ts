import { describe, expect, it } from 'vitest';
import { promotionSlots, rungEpochs, rungIndexAt, rungIndexOfStage, rungStage, trialStops } from '../../../../core/early-termination/rungs.js';

describe('rungs', () => {
  it('are minEpochs x eta^k below the longest trial, the first always', () => {
    expect(rungEpochs(1, 3, 5)).toEqual([1, 3]);
    expect(rungEpochs(0.5, 3, 5)).toEqual([0.5, 1.5, 4.5]);
    expect(rungEpochs(1, 2, 8)).toEqual([1, 2, 4]);
    expect(rungEpochs(2, 3, 2)).toEqual([2]);
    // Products of decimals stay exact enough to compare with a trial's epochs.
    expect(rungEpochs(0.1, 3, 1)).toEqual([0.1, 0.3, 0.9]);
  });

  it("give each trial its stops: the rungs below its last epoch, then its last epoch", () => {
    const ladder = { epochs: [0.5, 1.5, 4.5], eta: 3 };
    expect(trialStops(2, ladder)).toEqual([0.5, 1.5, 2]);
    expect(trialStops(5, ladder)).toEqual([0.5, 1.5, 4.5, 5]);
    expect(trialStops(1.5, ladder)).toEqual([0.5, 1.5]);
    expect(rungIndexAt(1.5, ladder)).toBe(1);
    expect(rungIndexAt(2, ladder)).toBe(-1);
  });

  it('promote the better 1/eta, at least one of a rung that has any', () => {
    expect(promotionSlots(80, 3)).toBe(26);
    expect(promotionSlots(9, 3)).toBe(3);
    expect(promotionSlots(2, 3)).toBe(1);
    expect(promotionSlots(0, 3)).toBe(0);
    expect(promotionSlots(10, 2.5)).toBe(4);
  });

  it('name their stages and read the names back', () => {
    expect(rungStage(0)).toBe('rung-1');
    expect(rungIndexOfStage('rung-3')).toBe(2);
    expect(rungIndexOfStage('final')).toBeUndefined();
  });
});
