/**
 * The one verdict-file format (issue 17): PandaLM's released layout, extended with each order's answer,
 * which `judge-eval --save` writes and `--predictions`, `rank` and the replay backend read.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  joinPredictions,
  pandaLMVerdictRecord,
  predictionOrders,
  predictionsSchema,
  predictionVerdict,
} from '../../../../core/judge-eval/judge-eval-files.js';
import type { JudgeResult } from '../../../../core/judging/judge-types.js';
import { pandalmData } from '../../../support/pandalm-data.js';

const first: JudgeResult = { verdict: 1, probabilities: { one: 0.7, two: 0.2, tie: 0.1 }, latencyMs: 12 };
const swapped: JudgeResult = { verdict: 1, probabilities: { one: 0.6, two: 0.3, tie: 0.1 }, reason: 'shown first', reference: 'ref', latencyMs: 9 };

describe('pandaLMVerdictRecord', () => {
  it('writes PandaLM\'s fields plus both orders, which the predictions schema reads back unchanged', () => {
    const record = pandaLMVerdictRecord(7, 0, { ...first, reason: 'because', reference: 'the answer' }, swapped);
    expect(record).toEqual({
      idx: 7,
      pandalm_result: 0,
      pandalm_reason: 'because',
      pandalm_reference: 'the answer',
      first: { result: 1, probabilities: first.probabilities },
      swapped: { result: 1, probabilities: swapped.probabilities, reason: 'shown first', reference: 'ref' },
    });
    const [read] = predictionsSchema.parse(JSON.parse(JSON.stringify([record])));
    expect(read).toEqual(record);
    expect(predictionVerdict(read!)).toBe(0);
    expect(predictionOrders(read!)).toEqual({ first: 1, swapped: 1 });
  });

  it('keeps one order alone, without probabilities where the backend has none', () => {
    const record = pandaLMVerdictRecord(3, 2, { verdict: 2, latencyMs: 0 });
    expect(record).toEqual({ idx: 3, pandalm_result: 2, first: { result: 2 } });
    expect(predictionOrders(predictionsSchema.parse([record])[0]!)).toBeUndefined();
  });

  it('still reads PandaLM\'s and GPT-3.5\'s released files as they are', () => {
    for (const file of [pandalmData.pandalm7b, pandalmData.gpt35]) {
      const predictions = predictionsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(predictions).toHaveLength(999);
      expect(predictions.every((p) => predictionOrders(p) === undefined)).toBe(true);
    }
  });

  it('rejects a swapped answer without the first, and probabilities outside [0, 1]', () => {
    expect(predictionsSchema.safeParse([{ idx: 0, pandalm_result: 1, swapped: { result: 1 } }]).success).toBe(false);
    expect(predictionsSchema.safeParse([{ idx: 0, pandalm_result: 1, first: { result: 1, probabilities: { one: 2, two: 0, tie: 0 } } }]).success).toBe(false);
  });
});

describe('joinPredictions', () => {
  const items = [{ idx: 0 }, { idx: 1 }, { idx: 2 }];
  it('pairs the covered items in test-set order', () => {
    const joined = joinPredictions(items, [{ idx: 2, pandalm_result: 1 }, { idx: 0, pandalm_result: 2 }]);
    expect(joined.map(({ item, prediction }) => [item.idx, predictionVerdict(prediction)])).toEqual([[0, 2], [2, 1]]);
  });
  it('throws for a verdict the test set has no item for, and for no overlap', () => {
    expect(() => joinPredictions(items, [{ idx: 0, pandalm_result: 1 }, { idx: 9, pandalm_result: 1 }])).toThrow(/idx 9, which the test set does not have/);
    expect(() => joinPredictions([], [{ idx: 0, pandalm_result: 1 }])).toThrow(/idx 0/);
  });
});
