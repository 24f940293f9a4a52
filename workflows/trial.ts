/**
 * TrialWorkflow: trains one configuration, has it answer the evaluation instructions, and stores the
 * answers. A failed trial is recorded as data and reported to the sweep, which goes on without it.
 */
import { CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { describeTrialFailure } from '../core/jobs/describe-trial-failure.js';
import type { JobSpec, ParamValue } from '../core/sweep/sweep-spec.js';
import type { TrialPlan } from '../core/sweep/expand-trials.js';
import { trialPaths } from '../core/sweep/trial-context.js';
import { runTrialJob } from './run-trial-job.js';

// Bookkeeping in PostgreSQL: seconds, default retries for transient database errors.
// (No taskQueue: it defaults to this workflow's own, the control queue.)
const storeActs = proxyActivities<Activities>({ startToCloseTimeout: '2m' });

/** Input of `trialWorkflow`: everything needed to render and run this trial's two jobs. */
export interface TrialInput {
  readonly sweepId: string;
  readonly baseModel: Readonly<Record<string, ParamValue>> & { readonly id: string };
  readonly trial: TrialPlan;
  readonly train: JobSpec;
  readonly generate: JobSpec;
  /** Absolute path of the evaluation instruction file. */
  readonly evalFile: string;
  /** Absolute folder of the sweep file: relative `workdir`s resolve against it. */
  readonly sweepDir: string;
  /** Absolute folder under which each trial gets `<sweep>/<baseModel>/<trial>/`. */
  readonly runsDir: string;
  /** Under early termination: the stop this run trains to (absent: the whole trial, as without it). */
  readonly stop?: TrialStop;
}

/** One stop of an early-terminated trial. */
export interface TrialStop {
  /** Epochs to train to (`{{trial.stopEpoch}}`). */
  readonly epoch: number;
  /** The rung (0-based) at that epoch, `null` for a last epoch between rungs. */
  readonly rung: number | null;
  /** Whether it is the trial's last epoch. */
  readonly final: boolean;
}

/** Result of `trialWorkflow`. */
export interface TrialResult {
  readonly trialKey: string;
  readonly status: 'done' | 'failed';
  readonly failureType?: string;
  readonly message?: string;
}

/**
 * Trains and evaluates one trial (or, under early termination, one stop of it: training to the stop's
 * epoch, then that checkpoint's answers); returns `failed` (never throws) when a job or its output is bad.
 */
export async function trialWorkflow(input: TrialInput): Promise<TrialResult> {
  const { sweepId, trial } = input;
  const paths = trialPaths(input.runsDir, sweepId, input.baseModel.id, trial.key);
  try {
    if (input.stop !== undefined) {
      const { stop } = input;
      await storeActs.markTrialStop({ sweepId, trialKey: trial.key, stopEpoch: stop.epoch });
      const trained = await runTrialJob(input, 'train', input.train, paths, { stopEpoch: stop.epoch });
      await storeActs.markTrialStatus({ sweepId, trialKey: trial.key, status: 'generating' });
      // The stop's own checkpoint answers: what the trainer announced last (its output folder if nothing).
      const checkpoint = trained.checkpointPath ?? paths.checkpoint;
      await runTrialJob(input, 'generate', input.generate, paths, { stopEpoch: stop.epoch, checkpoint });
      await storeActs.recordCheckpoint({ sweepId, trialKey: trial.key, epoch: stop.epoch, rung: stop.rung, final: stop.final, responsesFile: paths.responsesFile, checkpointPath: checkpoint, trainingDir: paths.checkpoint });
      return { trialKey: trial.key, status: 'done' };
    }
    await storeActs.markTrialStatus({ sweepId, trialKey: trial.key, status: 'training' });
    await runTrialJob(input, 'train', input.train, paths);
    await storeActs.markTrialStatus({ sweepId, trialKey: trial.key, status: 'generating' });
    await runTrialJob(input, 'generate', input.generate, paths);
    await storeActs.recordTrialOutputs({ sweepId, trialKey: trial.key, responsesFile: paths.responsesFile, checkpointPath: paths.checkpoint });
    return { trialKey: trial.key, status: 'done' };
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => storeActs.markTrialStatus({ sweepId, trialKey: trial.key, status: 'cancelled' }));
      throw error;
    }
    const failure = describeTrialFailure(error);
    await storeActs.markTrialFailed({ sweepId, trialKey: trial.key, failureType: failure.type, message: failure.message });
    return { trialKey: trial.key, status: 'failed', failureType: failure.type, message: failure.message };
  }
}
