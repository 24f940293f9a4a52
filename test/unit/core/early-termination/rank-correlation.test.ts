import { describe, expect, it } from 'vitest';
import { spearman } from '../../../../core/early-termination/rank-correlation.js';

describe('spearman', () => {
  it('is 1 for the same order, -1 for the reverse, whatever the scale', () => {
    expect(spearman([1, 2, 3, 4], [10, 200, 3000, 40000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('shares ranks between ties (the textbook example)', () => {
    // Ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4.
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9487, 4);
  });

  it('is NaN without spread and refuses samples of unequal length', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});
