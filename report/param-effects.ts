/**
 * Hyperparameter effects: the ratings of a base model's trials grouped by the value of each
 * hyperparameter that varies (learning rate, epochs, optimizer, schedule, ...).
 */
import type { ReportStanding, ReportTrial } from './report-data.js';
import { formatParamForDisplay } from '../core/sweep/format-param-value.js';

/** The ratings seen at one value of one hyperparameter. */
export interface ParamValueEffect {
  /** The value as shown (see `formatParamForDisplay`: `2e-5`, `3`, `adamw`). */
  readonly value: string;
  readonly ratings: readonly number[];
  readonly meanRating: number;
}

/** One hyperparameter's values, in ascending order (numerically when every value is a number). */
export interface ParamEffect {
  readonly baseModelId: string;
  readonly param: string;
  readonly values: readonly ParamValueEffect[];
  /** Best mean rating minus worst mean rating: a rough size of the effect. */
  readonly spread: number;
}

/**
 * Groups ranked trials' ratings by each parameter that takes at least two values within a base model,
 * sorted per base model by `spread`, largest first. Unranked trials (failed ones) are left out.
 */
export function computeParamEffects(trials: readonly ReportTrial[], standings: readonly ReportStanding[]): ParamEffect[] {
  const rating = new Map(standings.map((s) => [`${s.baseModelId}\u0000${s.trialKey}`, s.rating]));
  const byBase = new Map<string, { trial: ReportTrial; rating: number }[]>();
  for (const trial of trials) {
    const r = rating.get(`${trial.baseModelId}\u0000${trial.key}`);
    if (r === undefined) continue;
    byBase.set(trial.baseModelId, [...(byBase.get(trial.baseModelId) ?? []), { trial, rating: r }]);
  }
  const effects: ParamEffect[] = [];
  for (const [baseModelId, rated] of [...byBase].sort(([a], [b]) => a.localeCompare(b))) {
    const names = [...new Set(rated.flatMap(({ trial }) => Object.keys(trial.params)))].sort();
    const perBase: ParamEffect[] = [];
    for (const param of names) {
      const groups = new Map<string, { raw: unknown; ratings: number[] }>();
      for (const { trial, rating: r } of rated) {
        if (!(param in trial.params)) continue;
        const raw = trial.params[param];
        const key = formatParamForDisplay(raw);
        const group = groups.get(key) ?? { raw, ratings: [] };
        group.ratings.push(r);
        groups.set(key, group);
      }
      if (groups.size < 2) continue;
      const numeric = [...groups.values()].every((g) => typeof g.raw === 'number');
      const values = [...groups]
        .sort(([ka, a], [kb, b]) => (numeric ? (a.raw as number) - (b.raw as number) : ka.localeCompare(kb)))
        .map(([value, g]) => ({ value, ratings: g.ratings, meanRating: g.ratings.reduce((s, x) => s + x, 0) / g.ratings.length }));
      const means = values.map((v) => v.meanRating);
      perBase.push({ baseModelId, param, values, spread: Math.max(...means) - Math.min(...means) });
    }
    effects.push(...perBase.sort((a, b) => b.spread - a.spread || a.param.localeCompare(b.param)));
  }
  return effects;
}
