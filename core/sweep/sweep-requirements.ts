/**
 * What a sweep needs from the machine its jobs run on, read off every trial's rendered commands: the
 * programs, the files the arguments name, the secrets and the GPUs. Pure: `validate` and `run` check the
 * list against this machine (cli/preflight.ts), and each entry carries the key path of the sweep-file
 * node to point at, so a problem is reported with its line.
 */
import { pathArguments } from './path-arguments.js';
import { listPlaceholders, renderArgv } from './render-command.js';
import type { SweepPlan } from './sweep-plan.js';
import { builtinLlamaProgram, type JobKind, type JobSpec } from './sweep-spec.js';
import { jobEvalFile, trialPaths, trialRenderContext } from './trial-context.js';
import type { TrialPlan } from './expand-trials.js';
import type { RenderContext } from './render-command.js';

/** One thing the sweep's jobs need. `at` is the key path of the sweep-file node that asks for it. */
export type SweepRequirement =
  | { readonly kind: 'program'; readonly job: JobKind; readonly program: string; readonly workdir: string; readonly at: readonly (string | number)[] }
  | { readonly kind: 'file'; readonly job: JobKind; readonly file: string; readonly where: string; readonly workdir: string; readonly at: readonly (string | number)[] }
  | { readonly kind: 'secret'; readonly job: JobKind; readonly name: string; readonly at: readonly (string | number)[] }
  | { readonly kind: 'gpus'; readonly job: JobKind; readonly count: number; readonly at: readonly (string | number)[] };

/** The folder `<state>/runs` shows as in previews: the state folder is chosen at run time. */
export const previewRunsDir = '<state>/runs';

/**
 * The render context of one trial's jobs as `validate` shows them: the run's own context, with the state
 * folder shown as `<state>` and each secret as `<secret NAME>`.
 */
export function previewRenderContext(plan: SweepPlan, evalFileCount: number, baseModel: SweepPlan['baseModels'][number], trial: TrialPlan): (job: JobSpec) => RenderContext {
  const paths = trialPaths(previewRunsDir, plan.sweepId, baseModel.id, trial.key);
  const evalFile = jobEvalFile({ runsDir: previewRunsDir, sweepId: plan.sweepId, file: plan.eval.file, limit: plan.eval.limit, count: evalFileCount });
  return (job) =>
    trialRenderContext({
      baseModel: { ...baseModel.fields, id: baseModel.id },
      trialKey: trial.key,
      params: trial.params,
      paths,
      evalFile,
      job,
      secret: (name) => `<secret ${name}>`,
      // The first stop: the first rung (or the trial's last epoch, for a baseline that trains straight through).
      ...(plan.earlyTerminate === undefined ? {} : { stopEpoch: trial.isBaseline ? Number(trial.params[plan.earlyTerminate.epochsParameter]) : Math.min(plan.earlyTerminate.rungs[0] ?? 0, Number(trial.params[plan.earlyTerminate.epochsParameter])) }),
    });
}

/**
 * Lists, without duplicates, what every trial's train and generate commands need: each job's program
 * (a bare name is looked up on PATH, one with a `/` relative to the job's `workdir`), the files its
 * arguments name (`pathArguments`; outputs under the state folder are left out), its secrets and, when
 * it asks for any, its GPUs. Paths stay as rendered; `workdir` says what relative ones are relative to.
 */
export function sweepRequirements(plan: SweepPlan, evalFileCount: number): SweepRequirement[] {
  const found = new Map<string, SweepRequirement>();
  const add = (id: string, requirement: SweepRequirement) => {
    if (!found.has(id)) found.set(id, requirement);
  };
  const jobs = jobsOf(plan);
  for (const [kind, job] of jobs) {
    if (job.gpus > 0) add(`${kind} gpus`, { kind: 'gpus', job: kind, count: job.gpus, at: [kind, 'gpus'] });
    for (const [name, value] of Object.entries(job.env)) {
      if (typeof value !== 'string') add(`${kind} secret ${name}`, { kind: 'secret', job: kind, name, at: [kind, 'env', name] });
    }
  }
  for (const baseModel of plan.baseModels) {
    for (const trial of baseModel.trials) {
      const context = previewRenderContext(plan, evalFileCount, baseModel, trial);
      for (const [kind, job] of jobs) {
        const render = context(job);
        job.command.forEach((element, index) => {
          const at = whereFrom(element, index, kind, plan, baseModel.id);
          const rendered = renderArgv([element], render);
          if (index === 0) {
            const program = rendered[0];
            if (program !== undefined && program !== builtinLlamaProgram && !program.includes('<')) {
              add(`${kind} program ${program}`, { kind: 'program', job: kind, program, workdir: job.workdir, at });
            }
            return;
          }
          // The program slot is not among the arguments, so `pathArguments` sees a placeholder program.
          for (const argument of pathArguments(['', ...rendered])) {
            add(`${kind} file ${job.workdir} ${argument.path}`, { kind: 'file', job: kind, file: argument.path, where: argument.where, workdir: job.workdir, at });
          }
        });
      }
    }
  }
  return [...found.values()];
}

/** The sweep's jobs by kind: `train`, `generate`, and `evaluate` when the sweep has one. */
function jobsOf(plan: SweepPlan): [JobKind, JobSpec][] {
  return [['train', plan.train], ['generate', plan.generate], ...(plan.evaluate === undefined ? [] : [['evaluate', plan.evaluate] as [JobKind, JobSpec]])];
}

// An element that is exactly one `{{baseModel.<field>}}` (or holds only that placeholder, as
// `--model={{baseModel.path}}` does) points at the base model's field, where the value is written.
function whereFrom(element: string, index: number, kind: JobKind, plan: SweepPlan, baseModelId: string): (string | number)[] {
  const uses = listPlaceholders([element]).filter((use) => use.malformed !== true);
  const [only] = uses;
  if (uses.length === 1 && only !== undefined && only.name.startsWith('baseModel.')) {
    const field = only.name.slice('baseModel.'.length);
    const position = plan.baseModels.findIndex((b) => b.id === baseModelId);
    if (field !== 'id' && position >= 0) return ['baseModels', position, field];
  }
  return [kind, 'command', index];
}
