import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandConfigs, expandTrials } from '../../../../core/sweep/expand-trials.js';
import { sampleParameter } from '../../../../core/sweep/sample-parameter.js';
import { trialKey } from '../../../../core/ids/trial-key.js';
import { seededRandom } from '../../../../core/tournament/seeded-random.js';
import { loadSpec, specWith, sweepFixtures } from '../../../support/spec-fixtures.js';

describe('grid expansion', () => {
  it('is the cartesian product in declaration order, last parameter fastest (golden)', () => {
    const spec = specWith({ parameters: { a: { values: [1, 2] }, b: { values: ['x', 'y', 'z'] }, c: { value: true } } });
    expect(expandConfigs(spec)).toEqual([
      { a: 1, b: 'x', c: true },
      { a: 1, b: 'y', c: true },
      { a: 1, b: 'z', c: true },
      { a: 2, b: 'x', c: true },
      { a: 2, b: 'y', c: true },
      { a: 2, b: 'z', c: true },
    ]);
  });

  it('gives every base model the same configurations with its own keys and indexes', () => {
    const spec = specWith({ baseModels: [{ id: 'm1' }, { id: 'm2' }], parameters: { a: { values: [1, 2, 3] } } });
    const trials = expandTrials(spec);
    expect(trials.map((t) => [t.baseModelId, t.index, t.params.a])).toEqual([
      ['m1', 0, 1], ['m1', 1, 2], ['m1', 2, 3],
      ['m2', 0, 1], ['m2', 1, 2], ['m2', 2, 3],
    ]);
    for (const trial of trials) expect(trial.key).toBe(trialKey(trial.baseModelId, trial.params));
    expect(new Set(trials.map((t) => t.key)).size).toBe(6);
  });

  it('keeps the keys of existing configurations when the sweep is edited', () => {
    const before = expandTrials(specWith({ parameters: { lr: { values: [1, 2] }, epochs: { values: [3] } } }));
    const after = expandTrials(specWith({ parameters: { epochs: { values: [3, 4] }, lr: { values: [2, 1, 5] } }, name: 'renamed' }));
    const afterKeys = new Set(after.map((t) => t.key));
    expect(before.every((t) => afterKeys.has(t.key))).toBe(true);
    expect(after).toHaveLength(6);
  });

  it('flags the baseline when it is one of the configurations', () => {
    const spec = specWith({ parameters: { lr: { values: [1, 2] }, wd: { value: 0 } }, baseline: { name: 'alpaca', params: { lr: 2 } } });
    const trials = expandTrials(spec);
    expect(trials).toHaveLength(2);
    expect(trials.filter((t) => t.isBaseline).map((t) => t.params)).toEqual([{ lr: 2, wd: 0 }]);
  });

  it('adds the baseline last, once per base model, when it is not one of the configurations', () => {
    const spec = specWith({ baseModels: [{ id: 'm1' }, { id: 'm2' }], parameters: { lr: { values: [1, 2] }, wd: { value: 0 } }, baseline: { name: 'alpaca', params: { lr: 3 } } });
    const trials = expandTrials(spec);
    expect(trials).toHaveLength(6);
    const baselines = trials.filter((t) => t.isBaseline);
    expect(baselines.map((t) => [t.baseModelId, t.index, t.params])).toEqual([
      ['m1', 2, { lr: 3, wd: 0 }],
      ['m2', 2, { lr: 3, wd: 0 }],
    ]);
  });
});

describe('random expansion', () => {
  const spec = loadSpec(path.join(sweepFixtures, 'valid/random.yaml'));

  it('draws the same configurations for the same seed (golden)', () => {
    // Pins the sampler: changing it would change every random sweep's trial keys, and finished
    // trials would no longer be reused. Ranges and types are checked independently below.
    expect(expandConfigs(spec)).toEqual([
      { learning_rate: 0.00000122861, warmup_ratio: 0.06, epochs: 5, optimizer: 'adamw', max_length: 512 },
      { learning_rate: 0.00000232423, warmup_ratio: 0.06, epochs: 5, optimizer: 'adamw', max_length: 512 },
      { learning_rate: 0.00000277471, warmup_ratio: 0.03, epochs: 1, optimizer: 'sgd', max_length: 512 },
      { learning_rate: 0.0000561749, warmup_ratio: 0.03, epochs: 5, optimizer: 'adamw', max_length: 512 },
      { learning_rate: 0.000345955, warmup_ratio: 0.07, epochs: 4, optimizer: 'adamw', max_length: 512 },
      { learning_rate: 0.00000215448, warmup_ratio: 0.05, epochs: 5, optimizer: 'adamw', max_length: 512 },
    ]);
  });

  it('stays inside each distribution and differs with the seed', () => {
    const configs = expandConfigs(spec);
    expect(configs).toHaveLength(6);
    for (const config of configs) {
      expect(config.learning_rate).toBeGreaterThanOrEqual(1e-6);
      expect(config.learning_rate).toBeLessThanOrEqual(1e-3);
      const warmup = config.warmup_ratio as number;
      expect(warmup).toBeGreaterThanOrEqual(0);
      expect(warmup).toBeLessThanOrEqual(0.1);
      expect(Math.abs(warmup * 100 - Math.round(warmup * 100))).toBeLessThan(1e-9);
      expect(Number.isInteger(config.epochs)).toBe(true);
      expect(['adamw', 'sgd']).toContain(config.optimizer);
      expect(config.max_length).toBe(512);
    }
    expect(expandConfigs({ ...spec, seed: 8 })).not.toEqual(configs);
    expect(expandConfigs({ ...spec })).toEqual(configs);
  });

  it('adds the baseline outside the samples, with constants filled in', () => {
    const trials = expandTrials(spec);
    expect(trials).toHaveLength(14);
    const baseline = trials.find((t) => t.isBaseline && t.baseModelId === 'large');
    expect(baseline?.params).toEqual({ learning_rate: 2e-5, warmup_ratio: 0.03, epochs: 3, optimizer: 'adamw', max_length: 512 });
    expect(baseline?.index).toBe(6);
  });

  it('yields fewer distinct configurations when the space is smaller than count', () => {
    const small = specWith({ method: 'random', count: 10, parameters: { a: { values: ['x', 'y'] }, b: { value: 1 } } });
    const configs = expandConfigs(small);
    expect(configs).toHaveLength(2);
    expect(new Set(configs.map((c) => c.a))).toEqual(new Set(['x', 'y']));
  });
});

describe('sampleParameter', () => {
  it('follows W&B semantics for each distribution', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 500; i++) {
      const intValue = sampleParameter({ min: 2, max: 4 }, random) as number;
      expect([2, 3, 4]).toContain(intValue);
      const logUniform = sampleParameter({ distribution: 'log_uniform', min: 0, max: 1 }, random) as number;
      expect(logUniform).toBeGreaterThanOrEqual(1);
      expect(logUniform).toBeLessThanOrEqual(Math.E + 1e-9);
      const q = sampleParameter({ distribution: 'q_log_uniform_values', min: 8, max: 64, q: 8 }, random) as number;
      expect(q % 8).toBe(0);
      const uniform = sampleParameter({ min: 0.5, max: 1.5 }, random) as number;
      expect(uniform).toBeGreaterThanOrEqual(0.5);
      expect(uniform).toBeLessThanOrEqual(1.5);
    }
  });

  it('weights values by their probabilities', () => {
    const random = seededRandom(3);
    let first = 0;
    const draws = 4000;
    for (let i = 0; i < draws; i++) if (sampleParameter({ values: ['a', 'b'], probabilities: [3, 1] }, random) === 'a') first++;
    expect(first / draws).toBeGreaterThan(0.72);
    expect(first / draws).toBeLessThan(0.78);
  });
});
