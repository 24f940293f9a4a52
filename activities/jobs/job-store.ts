import type { JobKind } from '../../core/sweep/sweep-spec.js';

export type { JobKind } from '../../core/sweep/sweep-spec.js';

/** A job attempt as it starts. */
export interface StartJobRecord {
  readonly sweepId: string;
  readonly trialKey: string;
  readonly kind: JobKind;
  /** The job's attempt number, from {@link JobStore.attemptNumber}. */
  readonly attempt: number;
  /** The activity execution making it (`workflow run id/activity id`). */
  readonly execution: string;
  /** Under early termination, the epoch this stop trains to (or answers from). */
  readonly stopEpoch?: number;
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Host name of the worker running it. */
  readonly host: string;
  /** GPUs leased to it (empty for CPU jobs and Slurm-allocated ones). */
  readonly gpuIds: readonly number[];
  readonly stdoutPath: string;
  readonly stderrPath: string;
  readonly startedAt: Date;
}

/** How a job attempt ended. */
export interface FinishJobRecord {
  readonly jobId: string;
  /** Exit code, or `null` when killed by a signal or never started. */
  readonly exitCode: number | null;
  /** The signal that ended it, or `null`. */
  readonly signal: string | null;
  readonly finishedAt: Date;
  /** The last output lines, newline-joined, secrets redacted. */
  readonly logTail: string;
  /** Why it failed (`null` when it succeeded). */
  readonly error: string | null;
}

/** Metrics from one job, as parsed from `PANDASWEEP_METRIC` lines. */
export interface RecordMetricsRecord {
  readonly trialKey: string;
  readonly jobId: string;
  readonly metrics: readonly { readonly step: number; readonly values: Readonly<Record<string, number>> }[];
}

/**
 * Persistence the job activity needs. Every method is idempotent because activities run at least
 * once: `startJob` on (trialKey, kind, attempt), `recordMetrics` on (trialKey, step, name).
 */
export interface JobStore {
  /**
   * The attempt number of an activity execution's `activityAttempt`-th attempt: after every attempt
   * that other executions (earlier runs of the sweep) recorded for this trial and kind, so a rerun adds
   * attempts instead of overwriting them. The same on every retry of one execution.
   */
  attemptNumber(query: { readonly sweepId: string; readonly trialKey: string; readonly kind: JobKind; readonly execution: string; readonly activityAttempt: number }): Promise<number>;
  /** Records a job attempt (or finds the existing one) and returns its id. */
  startJob(record: StartJobRecord): Promise<{ jobId: string }>;
  /** Records how the attempt ended. */
  finishJob(record: FinishJobRecord): Promise<void>;
  /** Stores training-curve points; a repeated (trialKey, step, name) overwrites. */
  recordMetrics(record: RecordMetricsRecord): Promise<void>;
  /** The attempts of this trial's job kind that started and never finished (their worker died). */
  unfinishedJobs(query: { readonly sweepId: string; readonly trialKey: string; readonly kind: JobKind }): Promise<{ readonly jobId: string; readonly host: string }[]>;
}
