import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../../core/judging/judge-types.js';
import { goldLabel, predictionsSchema, predictionVerdict, testsetSchema } from '../../../../core/judge-eval/judge-eval-files.js';
import { majorityLabel, scoreJudge } from '../../../../core/judge-eval/score-judge.js';
import { pandalmData } from '../../../support/pandalm-data.js';

function scoreReleased(file: string) {
  const testset = testsetSchema.parse(JSON.parse(readFileSync(pandalmData.testset, 'utf8')));
  const predictions = predictionsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const byIdx = new Map(predictions.map((p) => [p.idx, predictionVerdict(p)]));
  return scoreJudge(testset.map((item) => ({ gold: goldLabel(item), predicted: byIdx.get(item.idx) ?? 0 })));
}
const pct = (x: number) => Math.round(x * 10_000) / 100;

describe('scoreJudge on PandaLM released verdicts (shipped in sweeps/data)', () => {
  it('reproduces the PandaLM-7B row: 66.77 / 57.38 / 57.50 / 57.43', () => {
    const score = scoreReleased(pandalmData.pandalm7b);
    expect(score.n).toBe(999);
    expect([pct(score.accuracy), pct(score.macro.precision), pct(score.macro.recall), pct(score.macro.f1)]).toEqual([66.77, 57.38, 57.5, 57.43]);
  });
  it('reproduces the GPT-3.5 row: 71.07 / 58.79 / 57.36 / 57.55', () => {
    const score = scoreReleased(pandalmData.gpt35);
    expect([pct(score.accuracy), pct(score.macro.precision), pct(score.macro.recall), pct(score.macro.f1)]).toEqual([71.07, 58.79, 57.36, 57.55]);
  });
});

describe('scoreJudge', () => {
  const gold: Verdict[] = [1, 1, 2, 2, 0, 0];
  const predicted: Verdict[] = [1, 2, 2, 2, 1, 0];
  const score = scoreJudge(gold.map((g, i) => ({ gold: g, predicted: predicted[i] ?? 0 })));

  it('counts the confusion matrix by gold row and predicted column', () => {
    expect(score.confusion).toEqual([
      [1, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
  });
  it('computes per-label and macro scores', () => {
    expect(score.accuracy).toBeCloseTo(4 / 6);
    expect(score.perLabel['2']).toEqual({ precision: 2 / 3, recall: 1, f1: 0.8, support: 2 });
    expect(score.perLabel['0'].precision).toBe(1);
    expect(score.perLabel['0'].recall).toBe(0.5);
    expect(score.macro.precision).toBeCloseTo((1 + 0.5 + 2 / 3) / 3);
  });
  it("computes Cohen's kappa", () => {
    // p_o = 4/6, p_e = (2*1 + 2*2 + 2*3)/36 = 1/3
    expect(score.kappa).toBeCloseTo((4 / 6 - 1 / 3) / (1 - 1 / 3));
    expect(scoreJudge([{ gold: 1, predicted: 1 }, { gold: 2, predicted: 2 }]).kappa).toBe(1);
  });
  it('reports order conflicts only when orders are known', () => {
    expect(score.orderConflictRate).toBeNull();
    const withOrders = scoreJudge([
      { gold: 1, predicted: 1, orders: { first: 1, swapped: 2 } },
      { gold: 1, predicted: 0, orders: { first: 1, swapped: 1 } },
    ]);
    expect(withOrders.orderConflictRate).toBe(0.5);
  });
  it('measures position bias over both orders\' judgments, in the labels each prompt showed', () => {
    expect(score.positionBias).toBeNull();
    const biased = scoreJudge([
      { gold: 1, predicted: 0, orders: { first: 1, swapped: 1 } },
      { gold: 2, predicted: 2, orders: { first: 2, swapped: 1 } },
      { gold: 0, predicted: 0, orders: { first: 0, swapped: 1 } },
      // A one-order item carries no position information: an unbiased judge may favour response 1 here.
      { gold: 1, predicted: 1 },
    ]);
    expect(biased.positionBias).toEqual({ judgments: 6, first: 4 / 6, second: 1 / 6, tie: 1 / 6 });
    expect(biased.orderConflictRate).toBeCloseTo(2 / 3);
  });
  it('rejects an empty list', () => {
    expect(() => scoreJudge([])).toThrow(/no items/);
  });
});

describe('majorityLabel and predictionVerdict', () => {
  it('takes the majority and ties a three-way split', () => {
    expect(majorityLabel([2, 2, 1])).toBe(2);
    expect(majorityLabel([0, 1, 2])).toBe(0);
  });
  it('maps GPT answers, garbage to Tie', () => {
    expect(predictionVerdict({ idx: 0, gpt_result: '1' })).toBe(1);
    expect(predictionVerdict({ idx: 0, gpt_result: 'Tie' })).toBe(0);
    expect(predictionVerdict({ idx: 0, gpt_result: 'garbage' })).toBe(0);
    expect(predictionVerdict({ idx: 0, pandalm_result: 2 })).toBe(2);
  });
});
