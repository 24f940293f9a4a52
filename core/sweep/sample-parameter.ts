import type { Parameter, ParamValue } from './sweep-spec.js';

/** Significant digits kept for values drawn from continuous distributions. */
export const sampledSignificantDigits = 6;

/**
 * Draws one value of a random-search parameter, as W&B defines its distributions: `values` (weighted
 * by `probabilities` when given), `uniform`, `int_uniform` (inclusive), `log_uniform` (min/max are
 * natural-log exponents), `log_uniform_values` (min/max are the values), and the `q_*` variants that
 * round to a multiple of `q`. `min`/`max` without `distribution` mean `int_uniform` when both are
 * integers, else `uniform`. Continuous draws keep `sampledSignificantDigits` digits so command lines
 * stay readable; a `value` constant consumes no randomness.
 */
export function sampleParameter(parameter: Parameter, random: () => number): ParamValue {
  if (parameter.value !== undefined) return parameter.value;
  if (parameter.values !== undefined) return pickValue(parameter.values, parameter.probabilities, random);
  const min = parameter.min ?? 0;
  const max = parameter.max ?? min;
  const distribution = parameter.distribution ?? (Number.isInteger(min) && Number.isInteger(max) ? 'int_uniform' : 'uniform');
  const r = random();
  switch (distribution) {
    case 'int_uniform':
      return Math.min(max, min + Math.floor(r * (max - min + 1)));
    case 'uniform':
      return roundSignificant(min + r * (max - min));
    case 'q_uniform':
      return quantize(min + r * (max - min), parameter.q ?? 1);
    case 'log_uniform':
      return roundSignificant(Math.exp(min + r * (max - min)));
    case 'q_log_uniform':
      return quantize(Math.exp(min + r * (max - min)), parameter.q ?? 1);
    case 'log_uniform_values':
      return roundSignificant(Math.exp(Math.log(min) + r * (Math.log(max) - Math.log(min))));
    case 'q_log_uniform_values':
      return quantize(Math.exp(Math.log(min) + r * (Math.log(max) - Math.log(min))), parameter.q ?? 1);
  }
}

function pickValue(values: readonly ParamValue[], probabilities: readonly number[] | undefined, random: () => number): ParamValue {
  const r = random();
  if (probabilities === undefined) return values[Math.min(values.length - 1, Math.floor(r * values.length))] as ParamValue;
  const total = probabilities.reduce((sum, p) => sum + p, 0);
  let threshold = r * total;
  for (const [index, p] of probabilities.entries()) {
    threshold -= p;
    if (threshold < 0) return values[index] as ParamValue;
  }
  return values[values.length - 1] as ParamValue;
}

function roundSignificant(value: number): number {
  return Number(value.toPrecision(sampledSignificantDigits));
}

function quantize(value: number, q: number): number {
  // toPrecision(12) drops the float noise of k * q (0.30000000000000004 -> 0.3).
  return Number((Math.round(value / q) * q).toPrecision(12));
}
