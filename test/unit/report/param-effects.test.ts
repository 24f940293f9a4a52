import { describe, expect, it } from 'vitest';
import { computeParamEffects } from '../../../report/param-effects.js';
import type { ReportStanding, ReportTrial } from '../../../report/report-data.js';
import { buildSampleSweep, sampleReportData } from '../../support/sample-sweep.js';

function trial(key: string, params: Record<string, unknown>, baseModelId = 'm'): ReportTrial {
  return { key, baseModelId, index: 0, block: null, isBaseline: false, params, status: 'done', failureType: null, failureMessage: null, checkpointPath: null, workflowId: key, lastJob: null };
}
function standing(trialKey: string, rating: number, baseModelId = 'm'): ReportStanding {
  return { baseModelId, trialKey, epoch: null, entrant: trialKey, rank: 1, matches: 1, wins: 0, losses: 0, ties: 0, points: 0, score: 0.5, rating, ciLow: rating - 10, ciHigh: rating + 10 };
}

describe('computeParamEffects', () => {
  it('groups ratings by value, numerically ordered, and skips constant parameters', () => {
    const trials = [trial('a', { lr: 1e-4, bs: 8 }), trial('b', { lr: 2e-5, bs: 8 }), trial('c', { lr: 1e-4, bs: 8 }), trial('d', { lr: 3e-4, bs: 8 })];
    const effects = computeParamEffects(trials, [standing('a', 1100), standing('b', 900), standing('c', 1000)]);
    expect(effects.map((e) => e.param)).toEqual(['lr']);
    const [lr] = effects;
    // d has no standing (failed), so 3e-4 is absent.
    expect(lr!.values.map((v) => v.value)).toEqual(['2e-5', '1e-4']);
    expect(lr!.values[1]!.meanRating).toBe(1050);
    expect(lr!.spread).toBe(150);
  });

  it('sorts parameters by spread within each base model', () => {
    const trials = [trial('a', { opt: 'sgd', ep: 1 }), trial('b', { opt: 'adamw', ep: 1 }), trial('c', { opt: 'sgd', ep: 3 }), trial('d', { opt: 'adamw', ep: 3 })];
    const effects = computeParamEffects(trials, [standing('a', 900), standing('b', 1100), standing('c', 920), standing('d', 1080)]);
    expect(effects.map((e) => e.param)).toEqual(['opt', 'ep']);
    expect(effects[0]!.values.map((v) => v.value)).toEqual(['adamw', 'sgd']);
  });

  it('finds every varying grid parameter of the sample sweep', () => {
    const data = sampleReportData(buildSampleSweep());
    const effects = computeParamEffects(data.trials, data.standings);
    expect(effects.map((e) => e.param).sort()).toEqual(['epochs', 'learning_rate', 'optimizer']);
    for (const e of effects) expect(e.values.reduce((n, v) => n + v.ratings.length, 0)).toBe(data.standings.length);
  });
});
