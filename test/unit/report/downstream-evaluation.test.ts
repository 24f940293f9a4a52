import { describe, expect, it } from 'vitest';
import { downstreamEvaluations, formatMetric, renderEvaluationTable } from '../../../report/downstream-evaluation.js';

const evaluation = (trialKey: string, metrics: Record<string, number>, status = 'done', error: string | null = null) => ({ baseModelId: 'm', trialKey, status, error, metrics });

describe('downstreamEvaluations', () => {
  it('orders the evaluated trials by rank with the baseline last, and names their roles', () => {
    const [m] = downstreamEvaluations({
      evaluations: [evaluation('base', { acc: 0.5 }), evaluation('second', { acc: 0.6, f1: 0.2 }), evaluation('first', { acc: 0.7 })],
      standings: [{ baseModelId: 'm', trialKey: 'first', rank: 1 }, { baseModelId: 'm', trialKey: 'second', rank: 2 }, { baseModelId: 'm', trialKey: 'base', rank: 7 }],
      trials: [{ key: 'base', isBaseline: true }, { key: 'first', isBaseline: false }, { key: 'second', isBaseline: false }],
    });
    expect(m!.trials.map((t) => [t.trialKey, t.role])).toEqual([['first', '#1'], ['second', '#2'], ['base', '#7 baseline']]);
    expect(m!.metricNames).toEqual(['acc', 'f1']);
  });
});

describe('renderEvaluationTable', () => {
  it('fits its lines in the width and shows a missing value as a dash', () => {
    const [m] = downstreamEvaluations({
      evaluations: [evaluation('aaaaaaaaaaaa', { 'a-very-long-metric-name/with,a,filter': 0.123456 }), evaluation('bbbbbbbbbbbb', {}, 'failed', 'JobTimedOut: the evaluate job ran past its 2h timeout\nlog tail')],
      standings: [{ baseModelId: 'm', trialKey: 'aaaaaaaaaaaa', rank: 1 }],
      trials: [{ key: 'bbbbbbbbbbbb', isBaseline: true }],
    });
    for (const width of [100, 60, 40]) {
      const lines = renderEvaluationTable(m!, width);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
    }
    const lines = renderEvaluationTable(m!, 100);
    expect(lines[2]).toMatch(/0\.1235\s+–$/);
    expect(lines.at(-1)).toBe('  baseline bbbbbbbb: evaluation failed: JobTimedOut: the evaluate job ran past its 2h timeout');
    expect(formatMetric(3)).toBe('3');
    expect(formatMetric(undefined)).toBe('–');
  });
});
