import { describe, expect, it } from 'vitest';
import { evaluationMetricsOf } from '../../../../core/jobs/evaluation-metrics.js';

describe('evaluationMetricsOf', () => {
  it("reads the lm-evaluation-harness's results and leaves its configuration out", () => {
    const harness = {
      results: { arc_easy: { alias: 'arc_easy', 'acc,none': 0.71, 'acc_stderr,none': 0.009 }, hellaswag: { 'acc_norm,none': 0.52 } },
      configs: { arc_easy: { num_fewshot: 0 } },
      n_samples: { arc_easy: { original: 2376 } },
    };
    expect(evaluationMetricsOf(harness)).toEqual({ 'arc_easy/acc,none': 0.71, 'arc_easy/acc_stderr,none': 0.009, 'hellaswag/acc_norm,none': 0.52 });
  });

  it('reads every finite number of another document, nested names joined with /', () => {
    expect(evaluationMetricsOf({ perplexity: 12.5, mmlu: { stem: 0.4, all: [1, 2] }, note: 'x', ok: true, bad: null, inf: 1e400 })).toEqual({ perplexity: 12.5, 'mmlu/stem': 0.4 });
    expect(evaluationMetricsOf([1, 2])).toEqual({});
    expect(evaluationMetricsOf(3)).toEqual({});
  });
});
