import { describe, expect, it } from 'vitest';
import { formatParamArg, formatParamForDisplay, formatParamsForDisplay } from '../../../../core/sweep/format-param-value.js';

describe('parameter values', () => {
  it('reach a command exactly, as String() writes them', () => {
    expect([2e-5, 3, 0.03, 'adamw', true].map(formatParamArg)).toEqual(['0.00002', '3', '0.03', 'adamw', 'true']);
  });

  it('read compactly for people, the same in the terminal and the report', () => {
    expect([2e-5, 0.0002, 3, 0.03, 1e21, 'cosine', false].map(formatParamForDisplay)).toEqual(['2e-5', '2e-4', '3', '0.03', '1e21', 'cosine', 'false']);
    expect(formatParamsForDisplay({ learning_rate: 2e-5, optim: 'sgd' }, ' ')).toBe('learning_rate=2e-5 optim=sgd');
  });
});
