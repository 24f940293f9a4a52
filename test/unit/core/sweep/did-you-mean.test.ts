import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein } from '../../../../core/sweep/did-you-mean.js';

describe('didYouMean', () => {
  it('computes edit distances', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('suggests the closest candidate within two edits, or nothing', () => {
    expect(didYouMean('paramters', ['name', 'parameters', 'method'])).toBe('parameters');
    expect(didYouMean('lerning_rat', ['learning_rate', 'epochs'])).toBe('learning_rate');
    expect(didYouMean('optimizer', ['learning_rate', 'epochs'])).toBeUndefined();
    expect(didYouMean('baseModels', ['baseModels'])).toBeUndefined();
  });

  it('treats a case slip as one edit, however long the word', () => {
    expect(didYouMean('BASEMODELS', ['baseModels', 'baseline'])).toBe('baseModels');
  });
});
