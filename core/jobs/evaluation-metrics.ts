/**
 * The numbers of an `evaluate` job's JSON results file, as named metrics. The lm-evaluation-harness keeps
 * its scores under `results` (`{"results": {"arc_easy": {"acc,none": 0.71}}}`), beside its configuration:
 * when there is a `results` object only it is read. Nested keys are joined with `/` (`arc_easy/acc,none`);
 * arrays, strings, booleans and non-finite numbers are left out.
 */
export function evaluationMetricsOf(document: unknown): Record<string, number> {
  const root = isObject(document) && isObject(document.results) ? document.results : document;
  const out: Record<string, number> = {};
  const walk = (value: unknown, name: string): void => {
    if (typeof value === 'number' && Number.isFinite(value) && name !== '') out[name] = value;
    else if (isObject(value)) for (const [key, inner] of Object.entries(value)) walk(inner, name === '' ? key : `${name}/${key}`);
  };
  walk(root, '');
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
