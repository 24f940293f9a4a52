import { describe, expect, it } from 'vitest';
import { confirmationPairing, confirmStage, needsConfirmation, summarizeConfirmation } from '../../../../core/tournament/confirmation.js';

const outcomes = (scores: readonly number[]) => scores.map((scoreA, i) => ({ instructionId: `i${i}`, scoreA }));

describe('confirmationPairing', () => {
  it('pairs the best trial (A) with the baseline (B) in the confirm stage, reusing earlier judgments', () => {
    expect(confirmationPairing('best1', 'base1')).toEqual({ id: 'confirm-best1-base1', a: 'best1', b: 'base1', stage: confirmStage, block: null, round: 0, reuseJudgments: true });
  });
});

describe('needsConfirmation', () => {
  it('asks for a match only when both trials are known, different, and the baseline competed', () => {
    expect(needsConfirmation('a', 'b', ['a', 'b'])).toBe(true);
    expect(needsConfirmation('a', 'a', ['a', 'b'])).toBe(false);
    expect(needsConfirmation('a', undefined, ['a', 'b'])).toBe(false);
    expect(needsConfirmation(null, 'b', ['b'])).toBe(false);
    // A baseline that failed training never entered the tournament.
    expect(needsConfirmation('a', 'b', ['a'])).toBe(false);
  });
});

describe('summarizeConfirmation', () => {
  it('counts wins, ties and losses and gives the win rate with ties as half', () => {
    const s = summarizeConfirmation(outcomes([1, 1, 1, 0.5, 0]), { seed: 1, resamples: 0 });
    expect(s).toEqual({ wins: 3, ties: 1, losses: 1, winRate: 0.7, ciLow: 0.7, ciHigh: 0.7 });
  });

  it('brackets the win rate with a bootstrap interval that narrows with more instructions and repeats for a seed', () => {
    const few = summarizeConfirmation(outcomes([1, 0, 1, 0.5, 1, 0, 1, 1]), { seed: 3, resamples: 2000 });
    const many = summarizeConfirmation(outcomes(Array.from({ length: 20 }, () => [1, 0, 1, 0.5, 1, 0, 1, 1]).flat()), { seed: 3, resamples: 2000 });
    expect(few.winRate).toBeCloseTo(many.winRate, 10);
    for (const s of [few, many]) {
      expect(s.ciLow).toBeLessThan(s.winRate);
      expect(s.ciHigh).toBeGreaterThan(s.winRate);
    }
    expect(many.ciHigh - many.ciLow).toBeLessThan((few.ciHigh - few.ciLow) / 3);
    // 160 instructions at a 0.6875 win rate: about ±0.07 (the normal approximation's 1.96 standard errors).
    expect(many.ciLow).toBeGreaterThan(0.6);
    expect(many.ciHigh).toBeLessThan(0.77);
    expect(summarizeConfirmation(outcomes([1, 0, 1, 0.5, 1, 0, 1, 1]), { seed: 3, resamples: 2000 })).toEqual(few);
  });

  it('gives a degenerate interval when every instruction went one way', () => {
    expect(summarizeConfirmation(outcomes([0, 0, 0]), { seed: 1, resamples: 100 })).toEqual({ wins: 0, ties: 0, losses: 3, winRate: 0, ciLow: 0, ciHigh: 0 });
  });
});
