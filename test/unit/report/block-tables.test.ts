import { describe, expect, it } from 'vitest';
import { computeBlockTables } from '../../../report/block-tables.js';
import { buildSampleSweep, sampleReportData } from '../../support/sample-sweep.js';

describe('computeBlockTables', () => {
  const sample = buildSampleSweep();
  const data = sampleReportData(sample);
  const tables = computeBlockTables(data.trials, data.matches, data.standings);

  it('makes one table per block with every planned trial, failed ones unranked', () => {
    expect(tables.map((t) => t.block)).toEqual([0, 1]);
    expect(tables.map((t) => t.rows.length)).toEqual([4, 4]);
    const failed = tables[1]!.rows.find((r) => r.status === 'failed')!;
    expect(failed.rank).toBeNull();
    expect(failed.blockScore).toBeNull();
    expect(failed.wins + failed.losses + failed.draws).toBe(0);
  });

  it('counts each live trial in every block match it played and marks the finalists', () => {
    for (const t of tables) {
      const live = t.rows.filter((r) => r.status === 'done');
      for (const r of live) expect(r.wins + r.losses + r.draws).toBe(live.length - 1);
      expect(t.rows[0]!.blockScore).toBeGreaterThanOrEqual(t.rows.at(-1)!.blockScore ?? 0);
    }
    const final = sample.matches.find((m) => m.stage === 'final')!;
    const advanced = tables.flatMap((t) => t.rows.filter((r) => r.advanced).map((r) => r.trialKey)).sort();
    expect(advanced).toEqual([final.a, final.b].sort());
  });

  it('returns nothing outside the blocks strategy', () => {
    expect(computeBlockTables(data.trials.map((t) => ({ ...t, block: null })), data.matches, data.standings)).toEqual([]);
  });
});
