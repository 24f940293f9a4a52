import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { activityInfo, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import { failureTypes } from '../../core/failure-types.js';
import { deterministicExit, errorLineOf } from '../../core/jobs/job-exit-codes.js';
import { fillSecretPlaceholders } from '../../core/jobs/fill-secret-placeholders.js';
import { parseJobOutputLine } from '../../core/jobs/parse-job-output.js';
import { builtinLlamaProgram } from '../../core/sweep/sweep-spec.js';
import type { GpuSlotPool } from './gpu-slots.js';
import { jobIdEnvName, type JobLauncher, type LaunchJobResult } from './job-launcher.js';
import type { JobKind, JobStore } from './job-store.js';
import { LocalLauncher } from './local-launcher.js';
import { createSecretRedactor } from './create-secret-redactor.js';

/** How often a running job heartbeats, in ms: well under the minute-long heartbeat timeout. */
export const defaultHeartbeatIntervalMs = 5_000;

/** Input of the `runJob` activity: one rendered training or generation command. */
export interface RunJobInput {
  readonly sweepId: string;
  readonly trialKey: string;
  readonly kind: JobKind;
  /**
   * Program and arguments, rendered from the sweep spec; run without a shell. `{{env.NAME}}` for a
   * name in `secretEnvNames` is filled in here, on the worker; the job row keeps the placeholder.
   */
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Extra environment variables (not secret: they are stored with the sweep). */
  readonly env: Readonly<Record<string, string>>;
  /** Names of variables whose values are read from the worker's own environment and never logged. */
  readonly secretEnvNames: readonly string[];
  /** GPUs the job needs exclusively. */
  readonly gpus: number;
  /** Wall-clock limit of one attempt in ms, or `null` for none. */
  readonly timeoutMs: number | null;
  /** Folder receiving `<kind>-attempt-<n>.stdout.log` / `.stderr.log`. */
  readonly logDir: string;
  /** Under early termination, the epoch this stop trains to (recorded with the attempt); absent otherwise. */
  readonly stopEpoch?: number;
}

/** Result of a successful `runJob`. */
export interface RunJobResult {
  readonly jobId: string;
  readonly exitCode: number;
  /** Number of `PANDASWEEP_METRIC` lines stored. */
  readonly metricsCount: number;
  /** The last checkpoint the program announced, or `null`. */
  readonly checkpointPath: string | null;
  readonly durationMs: number;
}

/** Heartbeat details of a running job (shown in the Temporal UI; read back on retry). */
export interface JobHeartbeat {
  readonly elapsedMs: number;
  /** Last output line, or `null` before the first one (or while waiting for GPUs). */
  readonly lastLine: string | null;
  /** Last metric step, or `null`. */
  readonly step: number | null;
  /** Last announced checkpoint, or `null`. */
  readonly checkpointPath: string | null;
  /** Checkpoint the previous attempt reached, when this is a retry. */
  readonly previousCheckpointPath: string | null;
  /** `waiting-for-gpus` until the job has its GPUs, then `running`. */
  readonly phase: 'waiting-for-gpus' | 'running';
  /** Worker host running this attempt. */
  readonly host: string;
  /** Job row id, once recorded. */
  readonly jobId: string | null;
  /** Launcher id (pid / Slurm job id), once started: lets a retry stop what a dead worker left behind. */
  readonly externalId: string | null;
}

/** Dependencies of {@link createJobActivities}. */
export interface JobActivitiesDeps {
  readonly store: JobStore;
  readonly slots: GpuSlotPool;
  readonly hostname: string;
  /** How jobs are run. Defaults to a `LocalLauncher` with default options. */
  readonly launcher?: JobLauncher;
  /** Heartbeat interval in ms. Defaults to `defaultHeartbeatIntervalMs` (5 s). */
  readonly heartbeatIntervalMs?: number;
  /** Where secret values come from. Defaults to `process.env`. */
  readonly secretSource?: NodeJS.ProcessEnv;
}

/**
 * Creates the external-job activities. `runJob` waits for GPU slots, runs the command, streams its
 * logs to files, stores its metrics, heartbeats its progress and stops the whole process group on
 * cancellation. A failed or timed-out attempt throws a retryable `ApplicationFailure`
 * (`JobFailed` / `JobTimedOut`) carrying the log tail, so the workflow's retry policy decides.
 */
export function createJobActivities(deps: JobActivitiesDeps) {
  const {
    store,
    slots,
    hostname,
    launcher = new LocalLauncher(),
    heartbeatIntervalMs = defaultHeartbeatIntervalMs,
    secretSource = process.env,
  } = deps;

  async function runJob(input: RunJobInput): Promise<RunJobResult> {
    const info = activityInfo();
    const signal = cancellationSignal();
    const previous = readPreviousHeartbeat(info.heartbeatDetails);
    if (previous?.checkpointPath) log.info('retrying job after a checkpoint', { trialKey: input.trialKey, checkpointPath: previous.checkpointPath });

    const secrets: Record<string, string> = {};
    for (const name of input.secretEnvNames) {
      const value = secretSource[name];
      if (value === undefined) {
        throw ApplicationFailure.nonRetryable(
          `secret environment variable ${name} is not set on worker ${hostname}; export it where \`pandasweep worker\` (or \`run\`) starts`,
          failureTypes.SecretMissing,
        );
      }
      secrets[name] = value;
    }
    const redact = createSecretRedactor(Object.values(secrets));

    const started = performance.now();
    const state: { lastLine: string | null; step: number | null; checkpointPath: string | null; phase: JobHeartbeat['phase']; jobId: string | null; externalId: string | null } = {
      lastLine: null,
      step: null,
      checkpointPath: null,
      phase: 'waiting-for-gpus',
      jobId: null,
      externalId: null,
    };
    const beat = () =>
      heartbeat({
        elapsedMs: Math.round(performance.now() - started),
        lastLine: state.lastLine,
        step: state.step,
        checkpointPath: state.checkpointPath,
        previousCheckpointPath: previous?.checkpointPath ?? null,
        phase: state.phase,
        host: hostname,
        jobId: state.jobId,
        externalId: state.externalId,
      } satisfies JobHeartbeat);
    beat();
    // Heartbeats also flow while waiting for GPUs, or a queued job would look like a dead worker.
    const heartbeatTimer = setInterval(beat, heartbeatIntervalMs);
    try {
      // A worker killed mid-job cannot stop its detached job; the retry does, before it takes GPUs: the one
      // the last heartbeat named, and any attempt whose row says it started and never finished (its
      // worker died before a heartbeat carried its process id).
      await stopStaleAttempts(input, previous, { store, launcher, hostname });
      if (!launcher.allocatesGpus && input.gpus > slots.size) {
        throw ApplicationFailure.nonRetryable(
          `${input.kind} job for ${input.trialKey} needs ${input.gpus} GPU${input.gpus === 1 ? '' : 's'} but worker ${hostname} has ${slots.size}; set \`gpus: ${slots.size}\` in the sweep or start a worker with \`--gpus\``,
          failureTypes.NotEnoughGpus,
        );
      }
      await using lease = launcher.allocatesGpus ? await slots.acquire(0, signal) : await slots.acquire(input.gpus, signal);
      state.phase = 'running';
      await mkdir(input.logDir, { recursive: true });
      const execution = `${info.workflowExecution?.runId ?? '-'}/${info.activityId}`;
      const attempt = await store.attemptNumber({ sweepId: input.sweepId, trialKey: input.trialKey, kind: input.kind, execution, activityAttempt: info.attempt });
      const base = join(input.logDir, `${input.kind}-attempt-${attempt}`);
      const stdoutPath = `${base}.stdout.log`;
      const stderrPath = `${base}.stderr.log`;
      const { jobId } = await store.startJob({
        sweepId: input.sweepId,
        trialKey: input.trialKey,
        kind: input.kind,
        attempt,
        execution,
        ...(input.stopEpoch === undefined ? {} : { stopEpoch: input.stopEpoch }),
        argv: input.argv,
        cwd: input.cwd,
        host: hostname,
        gpuIds: lease.gpuIds,
        stdoutPath,
        stderrPath,
        startedAt: new Date(),
      });
      state.jobId = jobId;

      const pending: { step: number; values: Record<string, number> }[] = [];
      let metricsCount = 0;
      const flush = async () => {
        if (pending.length === 0) return;
        // Taken off the queue only once written: a failed write (the database restarting) is retried by
        // the next flush instead of losing the points. Metric writes are idempotent per step.
        const batch = pending.slice();
        await store.recordMetrics({ trialKey: input.trialKey, jobId, metrics: batch });
        pending.splice(0, batch.length);
        metricsCount += batch.length;
      };
      // Metrics are stored while the job runs, so curves are visible before it ends; writes are serialised.
      let flushing: Promise<void> = Promise.resolve();
      const flushTimer = setInterval(() => {
        flushing = flushing.then(flush).catch((error: unknown) => log.warn('storing metrics failed; will retry', { error: String(error) }));
      }, heartbeatIntervalMs);

      const env: Record<string, string> = { ...input.env, ...secrets, [jobIdEnvName]: jobId };
      if (!launcher.allocatesGpus) env.CUDA_VISIBLE_DEVICES = lease.gpuIds.join(',');
      let result: LaunchJobResult;
      try {
        result = await launcher.launch({
          argv: resolveBuiltinProgram(fillSecretPlaceholders(input.argv, secrets)),
          cwd: input.cwd,
          env,
          gpus: input.gpus,
          name: `${input.trialKey}-${input.kind}`,
          stdoutPath,
          stderrPath,
          timeoutMs: input.timeoutMs,
          signal,
          onStart: (externalId) => {
            state.externalId = externalId;
            beat();
          },
          onLine: (line, stream) => {
            state.lastLine = redact(line);
            if (stream !== 'stdout') return;
            const parsed = parseJobOutputLine(line);
            if (parsed.kind === 'metric') {
              pending.push(parsed.metric);
              state.step = parsed.metric.step;
            } else if (parsed.kind === 'checkpoint') {
              state.checkpointPath = parsed.checkpoint.path;
              state.step = parsed.checkpoint.step;
            } else if (parsed.kind === 'invalid') {
              log.warn('ignoring malformed marker line', { trialKey: input.trialKey, prefix: parsed.prefix, problem: parsed.message });
            }
          },
        });
      } finally {
        clearInterval(flushTimer);
      }
      await flushing;
      await flush();

      const durationMs = Math.round(performance.now() - started);
      const logTail = result.tail.map(redact).join('\n');
      const error = describeFailure(result, input.timeoutMs);
      await store.finishJob({ jobId, exitCode: result.exitCode, signal: result.signal, finishedAt: new Date(), logTail, error });

      if (result.outcome === 'cancelled') {
        throw signal.reason instanceof CancelledFailure ? signal.reason : new CancelledFailure(`job ${jobId} cancelled`);
      }
      if (result.launchErrorCode === 'ENOENT' || result.launchErrorCode === 'EACCES') {
        const why = result.launchErrorCode === 'ENOENT' ? 'no such program on PATH or file relative to the job folder' : 'the file may not be executed (chmod +x?)';
        throw ApplicationFailure.nonRetryable(`${input.kind} job for ${input.trialKey} cannot start ${input.argv[0] ?? ''}: ${why} (${result.launchErrorCode}, in ${input.cwd})`, failureTypes.JobCannotStart);
      }
      const deterministic = result.outcome === 'failed' ? deterministicExit(result.exitCode) : undefined;
      if (deterministic !== undefined) {
        const said = errorLineOf(result.tail.map(redact));
        const message = `${input.kind} job for ${input.trialKey} ${deterministic.what}${said === undefined ? '' : `: ${said}`} (${deterministic.advice}; logs: ${stdoutPath}, ${stderrPath})${logTail ? `\n--- last output ---\n${logTail}` : ''}`;
        throw ApplicationFailure.create({ message, type: deterministic.type, nonRetryable: true, details: [{ jobId, exitCode: result.exitCode, signal: result.signal }] });
      }
      if (result.outcome !== 'succeeded' || error !== null) {
        const type = result.outcome === 'timedOut' ? failureTypes.JobTimedOut : failureTypes.JobFailed;
        const message = `${input.kind} job for ${input.trialKey} ${error ?? 'failed'} (attempt ${attempt}, logs: ${stdoutPath}, ${stderrPath})${logTail ? `\n--- last output ---\n${logTail}` : ''}`;
        throw ApplicationFailure.create({ message, type, nonRetryable: false, details: [{ jobId, exitCode: result.exitCode, signal: result.signal }] });
      }
      return {
        jobId,
        exitCode: result.exitCode ?? 0,
        metricsCount,
        checkpointPath: state.checkpointPath,
        durationMs,
      };
    } finally {
      clearInterval(heartbeatTimer);
    }
  }

  return { runJob };
}

/** The builtin generator's process entry, run with this worker's node. */
export const generateLlamaEntry = fileURLToPath(new URL('./generate-llama-entry.mjs', import.meta.url));

async function stopStaleAttempts(input: RunJobInput, previous: Partial<JobHeartbeat> | null, deps: { store: JobStore; launcher: JobLauncher; hostname: string }): Promise<void> {
  const { store, launcher, hostname } = deps;
  const unfinished = await store.unfinishedJobs({ sweepId: input.sweepId, trialKey: input.trialKey, kind: input.kind });
  // The process the last heartbeat named, should its row be out of reach (stopped only if it still carries the job's id).
  if (previous?.jobId && previous.host && previous.externalId && !unfinished.some((row) => row.jobId === previous.jobId)) {
    if (await launcher.stopStale({ externalId: previous.externalId, jobId: previous.jobId, host: previous.host, currentHost: hostname })) {
      log.warn('stopped a job left running by an earlier attempt', { trialKey: input.trialKey, jobId: previous.jobId, externalId: previous.externalId });
    }
  }
  // Attempts whose rows never got an end: one that ended (failed, timed out) left nothing running.
  for (const { jobId, host } of unfinished) {
    const externalId = previous?.jobId === jobId ? (previous.externalId ?? null) : null;
    const stopped = await launcher.stopStale({ externalId, jobId, host, currentHost: hostname });
    if (stopped) log.warn('stopped a job left running by an earlier attempt', { trialKey: input.trialKey, jobId, externalId });
    // Another host's, or one Slurm runs, may still be running: only this host's /proc can tell.
    if (stopped || (host === hostname && !launcher.allocatesGpus)) {
      await store.finishJob({ jobId, exitCode: null, signal: stopped ? 'SIGTERM' : null, finishedAt: new Date(), logTail: '', error: stopped ? 'stopped before a retry: its worker died while it ran' : 'ended with its worker, which died while it ran' });
    }
  }
}

/** Replaces `builtinLlamaProgram` at the head of an argv with this worker's node and the generator's entry. */
export function resolveBuiltinProgram(argv: readonly string[]): readonly string[] {
  return argv[0] === builtinLlamaProgram ? [process.execPath, generateLlamaEntry, ...argv.slice(1)] : argv;
}

function describeFailure(result: LaunchJobResult, timeoutMs: number | null): string | null {
  switch (result.outcome) {
    case 'succeeded':
      return null;
    case 'cancelled':
      return 'was cancelled';
    case 'timedOut':
      return `timed out after ${timeoutMs} ms`;
    case 'failed':
      if (result.launchError !== null) return `could not start: ${result.launchError}`;
      return result.exitCode === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with code ${result.exitCode}`;
  }
}

function readPreviousHeartbeat(details: unknown): Partial<JobHeartbeat> | null {
  return typeof details === 'object' && details !== null ? (details as Partial<JobHeartbeat>) : null;
}
