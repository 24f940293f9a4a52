import { hashSeed, seededRandom } from '../tournament/seeded-random.js';
import { sampleParameter } from './sample-parameter.js';
import type { ParamValue, SweepSpec } from './sweep-spec.js';
import { trialKey } from '../ids/trial-key.js';

/** One configuration of one base model, ready to train. */
export interface TrialPlan {
  /** Stable identity: hash of the base model id and the resolved parameters (see `trialKey`). */
  readonly key: string;
  readonly baseModelId: string;
  /** Every parameter's value, constants included. */
  readonly params: Record<string, ParamValue>;
  /** Whether this trial is the sweep's `baseline` configuration. */
  readonly isBaseline: boolean;
  /** Position among the base model's trials (grid or sample order; an added baseline comes last). */
  readonly index: number;
}

/** How many draws a random search may make per requested configuration before it settles for fewer. */
export const maxDrawsPerSample = 20;

/**
 * Returns the parameter sets a sweep trains for every base model. `grid`: the cartesian product in
 * declaration order, the last declared parameter varying fastest (like nested loops or Python's
 * `itertools.product`). `random`: `count` distinct draws seeded by `seed`, so the same file always
 * gives the same samples; a space smaller than `count` yields fewer.
 */
export function expandConfigs(spec: SweepSpec): Record<string, ParamValue>[] {
  const names = Object.keys(spec.parameters);
  if (spec.method === 'random') return sampleConfigs(spec, names);
  let configs: Record<string, ParamValue>[] = [{}];
  for (const name of names) {
    const parameter = spec.parameters[name];
    const values = parameter?.values ?? (parameter?.value === undefined ? [] : [parameter.value]);
    configs = configs.flatMap((config) => values.map((value) => ({ ...config, [name]: value })));
  }
  return names.length === 0 ? [] : configs;
}

function sampleConfigs(spec: SweepSpec, names: readonly string[]): Record<string, ParamValue>[] {
  const count = spec.count ?? 0;
  const random = seededRandom(hashSeed('expand-trials', spec.seed));
  const seen = new Set<string>();
  const configs: Record<string, ParamValue>[] = [];
  for (let draw = 0; draw < count * maxDrawsPerSample && configs.length < count; draw++) {
    const config: Record<string, ParamValue> = {};
    for (const name of names) {
      const parameter = spec.parameters[name];
      if (parameter !== undefined) config[name] = sampleParameter(parameter, random);
    }
    const id = trialKey('', config);
    if (seen.has(id)) continue;
    seen.add(id);
    configs.push(config);
  }
  return configs;
}

/**
 * Returns the baseline's full parameter set: its own values, plus the sweep's constants (`value:`)
 * for parameters it leaves out. `undefined` when the sweep has no baseline.
 */
export function baselineParams(spec: SweepSpec): Record<string, ParamValue> | undefined {
  if (spec.baseline === undefined) return undefined;
  const params: Record<string, ParamValue> = {};
  for (const [name, parameter] of Object.entries(spec.parameters)) {
    const value = Object.hasOwn(spec.baseline.params, name) ? spec.baseline.params[name] : parameter.value;
    if (value !== undefined) params[name] = value;
  }
  return params;
}

/**
 * Expands a sweep into its trials, base model by base model in file order, each with the
 * configurations of `expandConfigs`. The baseline is added once per base model, last, unless it equals
 * one of the configurations (same key): then that trial is flagged `isBaseline` instead.
 */
export function expandTrials(spec: SweepSpec): TrialPlan[] {
  const configs = expandConfigs(spec);
  const baseline = baselineParams(spec);
  return spec.baseModels.flatMap((baseModel) => {
    const baselineKey = baseline === undefined ? undefined : trialKey(baseModel.id, baseline);
    const trials: TrialPlan[] = configs.map((params, index) => {
      const key = trialKey(baseModel.id, params);
      return { key, baseModelId: baseModel.id, params, isBaseline: key === baselineKey, index };
    });
    if (baseline !== undefined && baselineKey !== undefined && !trials.some((trial) => trial.isBaseline)) {
      trials.push({ key: baselineKey, baseModelId: baseModel.id, params: { ...baseline }, isBaseline: true, index: trials.length });
    }
    return trials;
  });
}
