import { describe, expect, it } from 'vitest';
import type { ReportMatch } from '../../../report/report-data.js';
import { computeWinRateMatrix } from '../../../report/win-rate-matrix.js';
import { buildSampleSweep, sampleReportData } from '../../support/sample-sweep.js';

function match(a: string, b: string, aWins: number, bWins: number, ties: number): ReportMatch {
  return { id: `${a}-${b}`, baseModelId: 'm', stage: 'block', block: 0, round: 1, a, b, status: 'done', aWins, bWins, ties };
}

describe('computeWinRateMatrix', () => {
  it('counts ties as half and adds up repeated meetings', () => {
    const m = computeWinRateMatrix(['x', 'y', 'z'], [match('x', 'y', 3, 1, 2), match('y', 'x', 2, 2, 0)]);
    // x vs y: (3 + 1) + (2 + 0) = 6 of 10; y: (1 + 1) + (2 + 0) = 4 of 10.
    expect(m.rates[0]![1]).toBeCloseTo(0.6);
    expect(m.rates[1]![0]).toBeCloseTo(0.4);
    expect(m.games[0]![1]).toBe(10);
    expect(m.rates[0]![2]).toBeNull();
    expect(m.rates[0]![0]).toBeNull();
  });

  it('ignores unplayed matches and trials outside the list', () => {
    const m = computeWinRateMatrix(['x', 'y'], [match('x', 'y', 0, 0, 0), match('x', 'w', 5, 0, 0)]);
    expect(m.rates.flat().every((r) => r === null)).toBe(true);
  });

  it('is complementary for every pair that met in the sample sweep', () => {
    const data = sampleReportData(buildSampleSweep());
    const keys = data.standings.map((s) => s.trialKey);
    const m = computeWinRateMatrix(keys, data.matches);
    let met = 0;
    keys.forEach((_, i) =>
      keys.forEach((__, j) => {
        const r = m.rates[i]![j]!;
        if (r === null) return;
        met++;
        expect(r + m.rates[j]![i]!).toBeCloseTo(1);
      }),
    );
    expect(met).toBe(data.matches.length * 2);
  });
});
