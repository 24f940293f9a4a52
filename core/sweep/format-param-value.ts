/**
 * How hyperparameter values read, in one place: exactly as a job's command receives them, and compactly
 * wherever people read them (terminal leaderboard, HTML report), so `2e-5` looks the same in both.
 */
import type { ParamValue } from './sweep-spec.js';

/** A value as one argv element: `String(value)` (`0.00002`), which every flag parser reads back exactly. */
export function formatParamArg(value: ParamValue): string {
  return String(value);
}

/** A value for people: numbers in their shortest exact form (`2e-5`, `3`, `0.03`), strings as they are. */
export function formatParamForDisplay(value: unknown): string {
  if (typeof value === 'number') {
    const exp = value.toExponential().replace('e+', 'e');
    const plain = String(value).replace('e+', 'e');
    return exp.length < plain.length ? exp : plain;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `name=value` pairs for people, in the given order. */
export function formatParamsForDisplay(params: Readonly<Record<string, unknown>>, separator: string): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${formatParamForDisplay(value)}`)
    .join(separator);
}
