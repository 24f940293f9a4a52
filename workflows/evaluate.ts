/**
 * EvaluationWorkflow: runs the sweep's downstream `evaluate` job (the lm-evaluation-harness, say) on one
 * trial picked after its tournament, and stores the results. A failed evaluation is recorded as data,
 * with its cause, and the sweep goes on.
 */
import { CancellationScope, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { describeTrialFailure } from '../core/jobs/describe-trial-failure.js';
import type { EvaluateSpec } from '../core/sweep/sweep-spec.js';
import { trialPaths } from '../core/sweep/trial-context.js';
import { runTrialJob, type TrialJobContext } from './run-trial-job.js';

// Bookkeeping in PostgreSQL: seconds, default retries for transient database errors.
const storeActs = proxyActivities<Activities>({ startToCloseTimeout: '2m' });

/** Input of `evaluationWorkflow`. */
export interface EvaluationInput extends TrialJobContext {
  readonly evaluate: EvaluateSpec;
  /** The checkpoint to evaluate when it is not the trial's own (early termination's picked one). */
  readonly checkpoint?: string;
  /** Absolute folder under which each trial has `<sweep>/<baseModel>/<trial>/`. */
  readonly runsDir: string;
}

/** Result of `evaluationWorkflow`. */
export interface EvaluationResult {
  readonly trialKey: string;
  readonly status: 'done' | 'failed';
  /** Results stored for the trial. */
  readonly metrics: number;
  readonly failureType?: string;
  readonly message?: string;
}

/** Evaluates one trial; returns `failed` (never throws) when the job or its results are bad. */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const { sweepId, trial } = input;
  const paths = trialPaths(input.runsDir, sweepId, input.baseModel.id, trial.key);
  try {
    await storeActs.markEvaluation({ sweepId, trialKey: trial.key, status: 'running' });
    await runTrialJob(input, 'evaluate', input.evaluate, paths, input.checkpoint === undefined ? {} : { checkpoint: input.checkpoint });
    const { metrics } = await storeActs.recordEvaluation({ sweepId, trialKey: trial.key, file: paths.evaluationFile, evaluate: input.evaluate });
    return { trialKey: trial.key, status: 'done', metrics };
  } catch (error) {
    if (isCancellation(error)) {
      await CancellationScope.nonCancellable(() => storeActs.markEvaluation({ sweepId, trialKey: trial.key, status: 'cancelled' }));
      throw error;
    }
    const failure = describeTrialFailure(error);
    await CancellationScope.nonCancellable(() => storeActs.markEvaluation({ sweepId, trialKey: trial.key, status: 'failed', error: `${failure.type}: ${failure.message}` }));
    return { trialKey: trial.key, status: 'failed', metrics: 0, failureType: failure.type, message: failure.message };
  }
}
