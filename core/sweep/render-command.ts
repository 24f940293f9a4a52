import { PlaceholderError } from './placeholder-error.js';
import { formatParamArg } from './format-param-value.js';
import type { ParamValue } from './sweep-spec.js';

/** Everything a command template may refer to. */
export interface RenderContext {
  /** The base model's fields, `id` included (`{{baseModel.<field>}}`). */
  readonly baseModel: Readonly<Record<string, unknown>>;
  /** The trial's resolved parameters (`{{params.<name>}}`, `{{args}}`). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** `{{trial.id}}`, `{{trial.dir}}` (the trial's own folder), `{{trial.checkpoint}}`, `{{trial.evaluation}}` (the evaluate job's results file), `{{trial.stopEpoch}}`. */
  readonly trial: {
    readonly id: string;
    readonly dir: string;
    readonly checkpoint: string;
    readonly evaluation: string;
    /** `{{trial.stopEpoch}}`: the epoch a training job of an early-terminated sweep stops after; absent otherwise. */
    readonly stopEpoch?: string;
  };
  /** `{{eval.file}}`: the evaluation instruction file. */
  readonly eval: { readonly file: string };
  /** `{{env.NAME}}`: the job's environment values. */
  readonly env: Readonly<Record<string, string>>;
}

/** One placeholder found in a command template. */
export interface PlaceholderUse {
  /** Index of the argv element that holds it. */
  readonly argIndex: number;
  /** The name inside the braces, trimmed, e.g. `params.lr`; empty for a malformed one. */
  readonly name: string;
  /** The placeholder exactly as written, e.g. `{{ params.lr }}`. */
  readonly token: string;
  /** Whether it is the whole argv element (required for `{{args}}`). */
  readonly standalone: boolean;
  /** Set when braces do not form a placeholder (`{{` without `}}`, or `{{}}`). */
  readonly malformed?: true;
}

const placeholderPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Lists every `{{placeholder}}` in a command template, plus malformed brace runs (an unclosed `{{`,
 * an empty `{{}}`), in argv order, so validation can check each before any job starts.
 */
export function listPlaceholders(template: readonly string[]): PlaceholderUse[] {
  const uses: PlaceholderUse[] = [];
  template.forEach((arg, argIndex) => {
    for (const match of arg.matchAll(placeholderPattern)) {
      const name = match[1] ?? '';
      const token = match[0];
      uses.push(
        name === ''
          ? { argIndex, name, token, standalone: token === arg, malformed: true }
          : { argIndex, name, token, standalone: token === arg },
      );
    }
    const rest = arg.replace(placeholderPattern, '');
    const stray = /\{\{|\}\}/.exec(rest);
    if (stray !== null) {
      uses.push({ argIndex, name: '', token: stray[0], standalone: false, malformed: true });
    }
  });
  return uses;
}


/**
 * Expands the parameters as W&B's `${args}` does: one `--name=value` element per parameter, sorted
 * by name.
 */
export function expandArgs(params: Readonly<Record<string, ParamValue>>): string[] {
  return Object.keys(params)
    .sort()
    .map((name) => `--${name}=${formatParamArg(params[name] as ParamValue)}`);
}

/**
 * Renders a command template into the argv of one job. A `{{args}}` element becomes one element per
 * parameter; any other placeholder is replaced textually inside its element. No shell ever sees the
 * result, so a value containing spaces or quotes stays one argument. Throws `PlaceholderError` for a
 * placeholder the context cannot fill.
 */
export function renderArgv(template: readonly string[], context: RenderContext): string[] {
  const argv: string[] = [];
  for (const arg of template) {
    const standalone = /^\{\{\s*args\s*\}\}$/.test(arg);
    if (standalone) {
      argv.push(...expandArgs(context.params));
      continue;
    }
    argv.push(arg.replace(placeholderPattern, (token, name: string) => resolvePlaceholder(token, name, context)));
  }
  return argv;
}

function resolvePlaceholder(token: string, name: string, context: RenderContext): string {
  if (name === 'args') throw new PlaceholderError(token, '{{args}} must be a whole argument on its own');
  const dot = name.indexOf('.');
  const root = dot === -1 ? name : name.slice(0, dot);
  const field = dot === -1 ? '' : name.slice(dot + 1);
  const value = lookup(root, field, context);
  if (value === undefined) throw new PlaceholderError(token, `no value for "${name}"`);
  return value;
}

function lookup(root: string, field: string, context: RenderContext): string | undefined {
  switch (root) {
    case 'baseModel': {
      const value = Object.hasOwn(context.baseModel, field) ? context.baseModel[field] : undefined;
      return value === undefined || value === null ? undefined : String(value);
    }
    case 'params': {
      const value = Object.hasOwn(context.params, field) ? context.params[field] : undefined;
      return value === undefined ? undefined : formatParamArg(value);
    }
    case 'trial':
      return field === 'id' || field === 'dir' || field === 'checkpoint' || field === 'evaluation' || field === 'stopEpoch' ? context.trial[field] : undefined;
    case 'eval':
      return field === 'file' ? context.eval.file : undefined;
    case 'env':
      return Object.hasOwn(context.env, field) ? context.env[field] : undefined;
    default:
      return undefined;
  }
}
