/**
 * One trial as its jobs see it: where its files live, which placeholders a command may use, and the
 * values they render to. Built once here and used by the workflow that runs the jobs and by `validate`,
 * which previews exactly those commands. Pure (POSIX paths built by hand): workflow code imports it.
 */
import type { RenderContext } from './render-command.js';
import type { JobSpec, ParamValue } from './sweep-spec.js';
import { joinPath } from '../paths/posix-path.js';

/** Placeholders every job may use, whatever the sweep declares. */
export const fixedPlaceholders = ['args', 'trial.id', 'trial.dir', 'trial.checkpoint', 'trial.evaluation', 'eval.file'] as const;
/** The placeholder of a training job's stop epoch, known only with `earlyTerminate`. */
export const stopEpochPlaceholder = 'trial.stopEpoch';
/** The first part of every placeholder name (`{{baseModel.path}}`, `{{params.lr}}`, `{{args}}`, ...). */
export const placeholderRoots = ['baseModel', 'params', 'trial', 'eval', 'env', 'args'] as const;

/** The files of one trial, under `<runsDir>/<sweep>/<baseModel>/<trial>/`. */
export interface TrialPaths {
  /** `{{trial.dir}}`: the trial's own folder. */
  readonly dir: string;
  /** `{{trial.checkpoint}}`: what the training job writes (its `metrics.json` included). */
  readonly checkpoint: string;
  /** What the generation job writes: one `{"id", "response"}` line per instruction. */
  readonly responsesFile: string;
  /** `{{trial.evaluation}}`: where an `evaluate` job may write its results as JSON. */
  readonly evaluationFile: string;
  /** `<kind>-attempt-<n>.stdout.log` / `.stderr.log` of every job attempt. */
  readonly logDir: string;
}

/** Returns the folder layout of one trial. */
export function trialPaths(runsDir: string, sweepId: string, baseModelId: string, trialKey: string): TrialPaths {
  const dir = joinPath(runsDir, sweepId, baseModelId, trialKey);
  return { dir, checkpoint: joinPath(dir, 'checkpoint'), responsesFile: joinPath(dir, 'responses.jsonl'), evaluationFile: joinPath(dir, 'evaluation.json'), logDir: joinPath(dir, 'logs') };
}

/**
 * The file `{{eval.file}}` names: the sweep's evaluation file, or, when `limit` keeps fewer instructions
 * than it holds, a copy of its first `limit` items under `<runsDir>/<sweep>/` (same format).
 */
export function jobEvalFile(options: { runsDir: string; sweepId: string; file: string; limit: number | undefined; count: number }): string {
  const { runsDir, sweepId, file, limit, count } = options;
  if (limit === undefined || limit >= count) return file;
  const extension = /\.[^./]+$/.exec(file)?.[0] ?? '.jsonl';
  return joinPath(runsDir, sweepId, `eval-first-${limit}${extension}`);
}

/** What {@link trialRenderContext} needs. */
export interface TrialRenderInput {
  readonly baseModel: Readonly<Record<string, unknown>> & { readonly id: string };
  readonly trialKey: string;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly paths: TrialPaths;
  readonly evalFile: string;
  readonly job: JobSpec;
  /** What `{{env.NAME}}` of a secret renders to: a placeholder the worker fills in, or a label to show. */
  readonly secret: (name: string) => string;
  /** `{{trial.stopEpoch}}`: the epoch this stop of an early-terminated trial trains to; absent without early termination. */
  readonly stopEpoch?: number;
  /** The checkpoint `{{trial.checkpoint}}` names when it is not the training job's output folder (a rung's, for its answers). Defaults to `paths.checkpoint`. */
  readonly checkpoint?: string;
}

/** The values a job's command template renders with (`renderArgv`). */
export function trialRenderContext(input: TrialRenderInput): RenderContext {
  return {
    baseModel: input.baseModel,
    params: input.params,
    trial: {
      id: input.trialKey,
      dir: input.paths.dir,
      checkpoint: input.checkpoint ?? input.paths.checkpoint,
      evaluation: input.paths.evaluationFile,
      ...(input.stopEpoch === undefined ? {} : { stopEpoch: String(input.stopEpoch) }),
    },
    eval: { file: input.evalFile },
    env: Object.fromEntries(Object.entries(input.job.env).map(([name, value]) => [name, typeof value === 'string' ? value : input.secret(name)])),
  };
}
