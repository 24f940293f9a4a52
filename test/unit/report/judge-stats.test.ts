import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../core/judging/judge-types.js';
import { resolveMatch } from '../../../core/judging/resolve-match.js';
import { computeJudgeStats } from '../../../report/judge-stats.js';
import type { ReportJudgment } from '../../../report/report-data.js';
import { buildSampleSweep } from '../../support/sample-sweep.js';

function j(instructionId: string, order: 1 | 2, verdict: Verdict, probs?: [number, number, number], judgeId = 'j', latencyMs = 10, tokens?: [number, number]): ReportJudgment {
  return {
    matchId: 'm',
    instructionId,
    order,
    verdict,
    probOne: probs?.[0] ?? null,
    probTwo: probs?.[1] ?? null,
    probTie: probs?.[2] ?? null,
    promptTokens: tokens?.[0] ?? null,
    evaluatedTokens: tokens?.[1] ?? null,
    judgeId,
    latencyMs,
  };
}

describe('computeJudgeStats', () => {
  it('counts an instruction as a conflict when the unswapped orders disagree', () => {
    const stats = computeJudgeStats([
      j('a', 1, 1), j('a', 2, 2), // consistent: A wins both ways
      j('b', 1, 1), j('b', 2, 1), // conflict: the first shown wins both times
      j('c', 1, 0), j('c', 2, 0), // consistent tie
      j('d', 1, 2), // unpaired
    ]);
    expect(stats.pairedInstructions).toBe(3);
    expect(stats.orderConflictRate).toBeCloseTo(1 / 3);
    expect(stats.tieRate).toBeCloseTo(2 / 7);
    expect(stats.verdictShares).toEqual({ first: 3 / 7, second: 2 / 7, tie: 2 / 7 });
  });

  it('averages prompt tokens over the judgments that count them, and is null when none do', () => {
    const stats = computeJudgeStats([j('a', 1, 1, undefined, 'j', 10, [200, 120]), j('a', 2, 2, undefined, 'j', 10, [200, 40]), j('b', 1, 0)]);
    expect(stats.promptTokens).toEqual({ judgments: 2, meanTotal: 200, meanEvaluated: 80 });
    expect(computeJudgeStats([j('a', 1, 1)]).promptTokens).toBeNull();
  });

  it('averages probabilities and bins the winning label probability', () => {
    const stats = computeJudgeStats([j('a', 1, 1, [0.8, 0.1, 0.1]), j('a', 2, 2, [0.2, 0.45, 0.35]), j('b', 1, 0)]);
    expect(stats.withProbabilities).toBe(2);
    expect(stats.meanProbabilities!.one).toBeCloseTo(0.5);
    expect(stats.meanProbabilities!.tie).toBeCloseTo(0.225);
    expect(stats.confidenceHistogram[8]).toBe(1);
    expect(stats.confidenceHistogram[4]).toBe(1);
    expect(stats.confidenceHistogram.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('reports medians per judge and nulls without data', () => {
    const stats = computeJudgeStats([j('a', 1, 1, undefined, 'x', 10), j('b', 1, 1, undefined, 'x', 30), j('c', 1, 1, undefined, 'x', 20), j('d', 1, 0, undefined, 'y', 5)]);
    expect(stats.judges).toEqual([
      { judgeId: 'x', judgments: 3, medianLatencyMs: 20 },
      { judgeId: 'y', judgments: 1, medianLatencyMs: 5 },
    ]);
    expect(stats.orderConflictRate).toBeNull();
    const empty = computeJudgeStats([]);
    expect(empty.tieRate).toBeNull();
    expect(empty.meanProbabilities).toBeNull();
  });

  it('agrees with the conflict count of the tournament code on a whole sweep', () => {
    const sample = buildSampleSweep();
    const expected = sample.matches.reduce((sum, m) => sum + resolveMatch(sample.judgments.filter((x) => x.matchId === m.id), 'paper').orderConflicts, 0);
    const stats = computeJudgeStats(sample.judgments);
    expect(stats.pairedInstructions).toBe(sample.matches.length * sample.instructions.length);
    expect(stats.orderConflictRate! * stats.pairedInstructions).toBeCloseTo(expected);
  });
});
