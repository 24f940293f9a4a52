import type { z } from 'zod';
import { epochParameterNames, epochParameterOf } from '../early-termination/early-terminate-config.js';
import { didYouMean, didYouMeanSuffix } from './did-you-mean.js';
import { listPlaceholders } from './render-command.js';
import type { JobKind, JobSpec, SweepSpec } from './sweep-spec.js';
import { fixedPlaceholders, placeholderRoots, stopEpochPlaceholder } from './trial-context.js';


/**
 * Adds an issue to `ctx` for every cross-field rule a sweep breaks: `count` and distributions that do
 * not fit the method, an empty parameter set, duplicate base model ids, a baseline naming unknown
 * parameters or missing a multi-valued one, `blockBy` naming unknown parameters, and every command
 * placeholder that would not render. Issues about a text inside a string carry `params.needle` so the
 * parser can point at the exact column. Used as the `superRefine` of `sweepSpecSchema`.
 */
export function checkSweepSpec(spec: SweepSpec, ctx: z.RefinementCtx): void {
  checkMethod(spec, ctx);
  checkBaseModels(spec, ctx);
  checkBaseline(spec, ctx);
  checkConfirmJudges(spec, ctx);
  checkBlockBy(spec, ctx);
  checkCommand(spec, 'train', spec.train, ctx);
  checkCommand(spec, 'generate', spec.generate, ctx);
  if (spec.evaluate !== undefined) checkCommand(spec, 'evaluate', spec.evaluate, ctx);
  checkEarlyTerminate(spec, ctx);
}

/**
 * With `earlyTerminate`: the epochs parameter exists and every trial's value is a number of epochs no
 * smaller than `minEpochs` (some larger, or nothing could stop early), and the train command renders
 * `{{trial.stopEpoch}}`, without which a trial could not stop at its rung.
 */
function checkEarlyTerminate(spec: SweepSpec, ctx: z.RefinementCtx): void {
  const early = spec.earlyTerminate;
  if (early === undefined) return;
  const names = Object.keys(spec.parameters);
  const name = epochParameterOf(early, names);
  if (name === undefined) {
    ctx.addIssue({ code: 'custom', path: ['earlyTerminate'], message: `early termination needs each trial's number of epochs: no parameter ${epochParameterNames.join(' or ')}; name yours with \`epochs: <parameter>\`` });
    return;
  }
  const parameter = spec.parameters[name];
  if (parameter === undefined) {
    ctx.addIssue({ code: 'custom', path: ['earlyTerminate', 'epochs'], message: `unknown parameter "${name}"${didYouMeanSuffix(name, names)}; expected the parameter that holds each trial's epochs, one of ${names.join(', ')}` });
    return;
  }
  const values: { value: unknown; path: (string | number)[] }[] = [
    ...(parameter.values ?? []).map((value, i) => ({ value, path: ['parameters', name, 'values', i] })),
    ...(parameter.value === undefined ? [] : [{ value: parameter.value, path: ['parameters', name, 'value'] }]),
    ...(parameter.min === undefined ? [] : [{ value: parameter.min, path: ['parameters', name, 'min'] }]),
    ...(parameter.max === undefined ? [] : [{ value: parameter.max, path: ['parameters', name, 'max'] }]),
    ...(spec.baseline !== undefined && Object.hasOwn(spec.baseline.params, name) ? [{ value: spec.baseline.params[name], path: ['baseline', 'params', name] }] : []),
  ];
  for (const { value, path } of values) {
    if (typeof value !== 'number' || !(value >= early.minEpochs)) {
      ctx.addIssue({ code: 'custom', path, message: `expected a number of epochs of at least earlyTerminate.minEpochs (${early.minEpochs}), got ${JSON.stringify(value)}: a trial trains to the first rung before it is judged` });
    }
  }
  const numbers = values.map((v) => v.value).filter((v): v is number => typeof v === 'number');
  if (numbers.length > 0 && numbers.every((v) => v <= early.minEpochs)) {
    ctx.addIssue({ code: 'custom', path: ['earlyTerminate', 'minEpochs'], message: `every trial trains at most ${Math.max(...numbers)} epochs (${name}), so none can stop before its last; lower minEpochs below ${Math.max(...numbers)}` });
  }
  if (!listPlaceholders(spec.train.command).some((use) => use.name === stopEpochPlaceholder)) {
    ctx.addIssue({ code: 'custom', path: ['train', 'command'], message: 'early termination stops each training job at its rung: add an argument with {{trial.stopEpoch}}, e.g. "--stop_at_epoch={{trial.stopEpoch}}" for trainers/finetune.py' });
  }
}

function checkMethod(spec: SweepSpec, ctx: z.RefinementCtx): void {
  if (spec.method === 'random' && spec.count === undefined) {
    ctx.addIssue({ code: 'custom', path: ['method'], message: 'method `random` needs `count` (how many configurations to sample), e.g. `count: 20`' });
  }
  if (spec.method === 'grid' && spec.count !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['count'], message: '`count` only applies to `method: random`; a grid runs every combination' });
  }
  const names = Object.keys(spec.parameters);
  if (names.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['parameters'], message: 'empty grid: `parameters` needs at least one parameter' });
  }
  if (spec.method !== 'grid') return;
  for (const name of names) {
    const parameter = spec.parameters[name];
    if (parameter === undefined || parameter.value !== undefined || parameter.values !== undefined) continue;
    const key = parameter.distribution !== undefined ? 'distribution' : parameter.min !== undefined ? 'min' : 'max';
    ctx.addIssue({ code: 'custom', path: ['parameters', name, key], message: 'grid search needs `values` or `value`; sample distributions with `method: random`' });
  }
}

function checkBaseModels(spec: SweepSpec, ctx: z.RefinementCtx): void {
  const firstIndex = new Map<string, number>();
  spec.baseModels.forEach((baseModel, index) => {
    const first = firstIndex.get(baseModel.id);
    if (first === undefined) {
      firstIndex.set(baseModel.id, index);
      return;
    }
    ctx.addIssue({ code: 'custom', path: ['baseModels', index, 'id'], message: `duplicate base model id "${baseModel.id}" (also baseModels.${first}.id); ids must be unique` });
  });
}

function checkBaseline(spec: SweepSpec, ctx: z.RefinementCtx): void {
  if (spec.baseline === undefined) return;
  const names = Object.keys(spec.parameters);
  for (const name of Object.keys(spec.baseline.params)) {
    if (Object.hasOwn(spec.parameters, name)) continue;
    ctx.addIssue({ code: 'custom', path: ['baseline', 'params', name], params: { key: true }, message: `baseline names unknown parameter "${name}"${didYouMeanSuffix(name, names)}; expected one of ${names.join(', ')}` });
  }
  for (const name of names) {
    const parameter = spec.parameters[name];
    if (parameter === undefined || parameter.value !== undefined || Object.hasOwn(spec.baseline.params, name)) continue;
    ctx.addIssue({ code: 'custom', path: ['baseline', 'params'], message: `baseline must set "${name}" (it is swept, so it has no single value to fall back on)` });
  }
}

function checkConfirmJudges(spec: SweepSpec, ctx: z.RefinementCtx): void {
  const { judges } = spec.confirm;
  if (judges.length > 0 && spec.baseline === undefined) {
    ctx.addIssue({ code: 'custom', path: ['confirm', 'judges'], message: 'confirm.judges judge the best trial against the baseline, but the sweep has no `baseline` section; add one (`baseline: {name, params}`)' });
  }
  const seen = new Map<string, number>();
  judges.forEach((judge, index) => {
    const first = seen.get(judge.config) ?? (judge.config === spec.judge.config ? -1 : undefined);
    if (first === undefined) {
      seen.set(judge.config, index);
      return;
    }
    const other = first === -1 ? 'the tournament judge (judge.config)' : `confirm.judges.${first}`;
    ctx.addIssue({ code: 'custom', path: ['confirm', 'judges', index, 'config'], message: `judge "${judge.config}" is already ${other}; a second opinion needs another judge config` });
  });
}

function checkBlockBy(spec: SweepSpec, ctx: z.RefinementCtx): void {
  if (spec.tournament.strategy !== 'blocks') return;
  const names = Object.keys(spec.parameters);
  spec.tournament.blockBy?.forEach((name, index) => {
    if (Object.hasOwn(spec.parameters, name)) return;
    ctx.addIssue({ code: 'custom', path: ['tournament', 'blockBy', index], message: `unknown parameter "${name}"${didYouMeanSuffix(name, names)}; expected one of ${names.join(', ')}` });
  });
}

function checkCommand(spec: SweepSpec, jobName: JobKind, job: JobSpec, ctx: z.RefinementCtx): void {
  const paramNames = Object.keys(spec.parameters).map((name) => `params.${name}`);
  const envNames = Object.keys(job.env).map((name) => `env.${name}`);
  const allFields = new Set(spec.baseModels.flatMap((baseModel) => Object.keys(baseModel)));
  const fieldNames = [...allFields].map((field) => `baseModel.${field}`);
  const known = [...fixedPlaceholders, ...paramNames, ...envNames, ...fieldNames];
  for (const use of listPlaceholders(job.command)) {
    const path = [jobName, 'command', use.argIndex];
    const report = (message: string) => ctx.addIssue({ code: 'custom', path, params: { needle: use.token }, message });
    if (use.malformed === true) {
      report(`malformed placeholder "${use.token}": write placeholders as {{name}}, e.g. {{params.learning_rate}}`);
      continue;
    }
    if (use.name === stopEpochPlaceholder) {
      if (spec.earlyTerminate === undefined) report(`${use.token} is the epoch an early-terminated trial's training stops at; it needs an \`earlyTerminate\` section`);
      else if (jobName === 'evaluate') report(`${use.token} is only for the train and generate jobs (the evaluate job runs on a picked checkpoint)`);
      continue;
    }
    if (use.name === 'args') {
      if (!use.standalone) report('{{args}} must be a whole argv element on its own (it expands to one element per parameter)');
      continue;
    }
    if (use.name.startsWith('baseModel.') && allFields.has(use.name.slice('baseModel.'.length))) {
      const field = use.name.slice('baseModel.'.length);
      const missing = spec.baseModels.filter((baseModel) => !Object.hasOwn(baseModel, field)).map((b) => b.id);
      if (missing.length > 0) report(`${use.token}: base model${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ha${missing.length > 1 ? 've' : 's'} no field "${field}"`);
      continue;
    }
    if (known.includes(use.name)) continue;
    report(`unknown placeholder ${use.token}${suggestPlaceholder(use.name, known, jobName)}`);
  }
}

function suggestPlaceholder(name: string, known: readonly string[], jobName: string): string {
  const whole = didYouMean(name, known);
  if (whole !== undefined) return `; did you mean {{${whole}}}?`;
  const dot = name.indexOf('.');
  const root = dot === -1 ? name : name.slice(0, dot);
  const field = dot === -1 ? '' : name.slice(dot + 1);
  if (!(placeholderRoots as readonly string[]).includes(root)) {
    const suggestion = didYouMean(root, placeholderRoots);
    return `; expected one of ${placeholderRoots.map((r) => (r === 'args' ? '{{args}}' : `{{${r}.…}}`)).join(', ')}${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`;
  }
  const siblings = known.filter((candidate) => candidate.startsWith(`${root}.`));
  const fieldSuggestion = didYouMean(field, siblings.map((candidate) => candidate.slice(root.length + 1)));
  const hint = fieldSuggestion === undefined ? '' : `; did you mean {{${root}.${fieldSuggestion}}}?`;
  const available = siblings.length === 0 ? 'none' : siblings.join(', ');
  const envHint = root === 'env' ? ` (declare it under ${jobName}.env)` : '';
  return `${hint}; available: ${available}${envHint}`;
}
