/**
 * Runs one job of a trial (train, generate or evaluate) as the job activity on the train task queue: the
 * command rendered for the trial, its attempts and timeouts from the sweep file, secrets left for the
 * worker to fill in. Shared by the trial and evaluation workflows. Deterministic code only.
 */
import { ActivityFailure, patched, proxyActivities, workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { RunJobResult } from '../activities/jobs/run-job.js';
import { applicationFailureType } from '../core/errors/unwrap-failure.js';
import { failureTypes } from '../core/failure-types.js';
import { defaultJobHeartbeatTimeoutSeconds } from '../core/sweep/heartbeat-timeouts.js';
import { renderArgv } from '../core/sweep/render-command.js';
import type { JobKind, JobSpec, ParamValue } from '../core/sweep/sweep-spec.js';
import type { TrialPlan } from '../core/sweep/expand-trials.js';
import { isAbsolutePath, joinPath } from '../core/paths/posix-path.js';
import { trialRenderContext, type TrialPaths } from '../core/sweep/trial-context.js';
import { taskQueuesFor } from './shared.js';

// Slack of Temporal's start-to-close limit over a job's own timeout: GPU queueing and process shutdown.
const jobBackstopSeconds = 24 * 3600;

/** What a trial's job is rendered from. */
export interface TrialJobContext {
  readonly sweepId: string;
  readonly baseModel: Readonly<Record<string, ParamValue>> & { readonly id: string };
  readonly trial: TrialPlan;
  /** Absolute path of the evaluation instruction file. */
  readonly evalFile: string;
  /** Absolute folder of the sweep file: relative `workdir`s resolve against it. */
  readonly sweepDir: string;
}

/** What a job of one stop renders besides the trial's own values (early termination, a picked checkpoint). */
export interface TrialJobOverrides {
  /** `{{trial.stopEpoch}}`: the epoch this stop trains to. */
  readonly stopEpoch?: number;
  /** `{{trial.checkpoint}}` when it is not the training output folder: a rung's checkpoint, or a picked one. */
  readonly checkpoint?: string;
}

/**
 * Runs `job` for the trial to the end and returns the job activity's result (its last announced
 * checkpoint among it); throws the job activity's failure when its attempts are spent.
 */
export async function runTrialJob(input: TrialJobContext, kind: JobKind, job: JobSpec, paths: TrialPaths, overrides: TrialJobOverrides = {}): Promise<RunJobResult> {
  const plainEnv: Record<string, string> = {};
  const secretEnvNames: string[] = [];
  for (const [name, value] of Object.entries(job.env)) {
    if (typeof value === 'string') plainEnv[name] = value;
    else secretEnvNames.push(name);
  }
  // Secret values live only on the worker: the argv keeps `{{env.NAME}}` and the job activity fills it in.
  const context = trialRenderContext({ baseModel: input.baseModel, trialKey: input.trial.key, params: input.trial.params, paths, evalFile: input.evalFile, job, secret: (name) => `{{env.${name}}}`, ...overrides });
  // One proxy per job: attempts and timeouts come from the sweep file, not from code.
  const options: ActivityOptions = {
    taskQueue: taskQueuesFor(workflowInfo().taskQueue).train,
    // The activity enforces `timeout` itself from the job's start (SIGTERM, SIGKILL, JobTimedOut) and an
    // attempt also waits for GPU slots first: Temporal's limit is only a later backstop, or it would fire
    // first, retry the job elsewhere while the old process still holds its GPU, and lose the failure type.
    startToCloseTimeout: `${job.timeout + jobBackstopSeconds}s`,
    // A job heartbeats every 5 s; a worker that died is noticed after the sweep's `heartbeatTimeout`.
    // Histories recorded before the field existed lack it.
    heartbeatTimeout: `${(job.heartbeatTimeout as number | undefined) ?? defaultJobHeartbeatTimeoutSeconds}s`,
    cancellationType: 'WAIT_CANCELLATION_COMPLETED',
    retry: {
      maximumAttempts: job.retries + 1,
      initialInterval: '5s',
      backoffCoefficient: 2,
      nonRetryableErrorTypes: [failureTypes.InvalidSpec],
    },
  };
  const jobActs = proxyActivities<Activities>(options);
  const jobInput = {
    sweepId: input.sweepId,
    trialKey: input.trial.key,
    kind,
    argv: renderArgv(job.command, context),
    cwd: isAbsolutePath(job.workdir) ? job.workdir : joinPath(input.sweepDir, job.workdir),
    env: plainEnv,
    secretEnvNames,
    gpus: job.gpus,
    timeoutMs: job.timeout * 1000,
    logDir: paths.logDir,
    ...(overrides.stopEpoch === undefined ? {} : { stopEpoch: overrides.stopEpoch }),
  };
  for (;;) {
    try {
      return await jobActs.runJob(jobInput);
    } catch (error) {
      // A worker that shut down (Ctrl-C of `run`, a stopped `pandasweep worker`) stopped the job; the
      // job did not fail, so its retries are not spent: it runs again once a worker polls.
      if (isWorkerShutdown(error) && patched('worker-shutdown-is-no-attempt')) continue;
      throw error;
    }
  }
}

// The SDK's failure type for an activity its worker stopped while shutting down.
function isWorkerShutdown(error: unknown): boolean {
  return error instanceof ActivityFailure && applicationFailureType(error) === 'WorkerShutdown';
}
