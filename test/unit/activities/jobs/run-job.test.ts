import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment as BaseMockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createJobActivities, type JobHeartbeat, type RunJobInput, type RunJobResult } from '../../../../activities/jobs/run-job.js';
import { GpuSlotPool } from '../../../../activities/jobs/gpu-slots.js';
import { LocalLauncher } from '../../../../activities/jobs/local-launcher.js';
import { failureTypes } from '../../../../core/failure-types.js';
import { MemoryJobStore } from '../../../support/memory-job-store.js';

const trainer = resolve('toy/trainer.mjs');
const spawnGrandchild = resolve('test/fixtures/jobs/spawn-grandchild.mjs');
const recordGpu = resolve('test/fixtures/jobs/record-gpu.mjs');
const work = mkdtempSync(join(tmpdir(), 'pandasweep-jobs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The SDK's mock activity context, logging only warnings so test output stays readable. */
class MockActivityEnvironment extends BaseMockActivityEnvironment {
  constructor(info: Partial<Info>) {
    super(info, { logger: new DefaultLogger('ERROR') });
  }
}

/** The activity execution (`workflow run id/activity id`) of the mock environment's default info. */
const mockExecution = '00000000-0000-0000-0000-000000000000/test';

let counter = 0;
function setup(gpuIds: number[] = [], secretSource: NodeJS.ProcessEnv = {}, store = new MemoryJobStore()) {
  const slots = new GpuSlotPool(gpuIds);
  const { runJob } = createJobActivities({
    store,
    slots,
    hostname: 'test-host',
    launcher: new LocalLauncher({ killGraceMs: 500 }),
    heartbeatIntervalMs: 50,
    secretSource,
  });
  return { store, slots, runJob };
}

function input(argv: string[], overrides: Partial<RunJobInput> = {}): RunJobInput {
  counter += 1;
  return {
    sweepId: 's1',
    trialKey: `trial-${counter}`,
    kind: 'train',
    argv,
    cwd: work,
    env: {},
    secretEnvNames: [],
    gpus: 0,
    timeoutMs: null,
    logDir: join(work, `logs-${counter}`),
    ...overrides,
  };
}

/** Whether a process still runs (a zombie, waiting for a parent that never reaps, does not). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? 'X');
  } catch {
    return false;
  }
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the job to fail');
}

describe('runJob', () => {
  it('stores metrics and follows checkpoints', async () => {
    const { store, runJob } = setup();
    const out = join(work, 'train-ok');
    const job = input(['node', trainer, 'train', '--output-dir', out, '--steps', '6', '--checkpoint-every', '4', '--learning-rate=2e-5']);
    const beats: JobHeartbeat[] = [];
    const env = new MockActivityEnvironment({ attempt: 1 });
    env.on('heartbeat', (d: JobHeartbeat) => beats.push(d));
    const result = (await env.run(runJob, job)) as RunJobResult;

    expect(result.exitCode).toBe(0);
    expect(result.metricsCount).toBe(6);
    expect(result.checkpointPath).toBe(join(out, 'step-6'));
    const written = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Record<string, number>;
    const loss = store.curve(job.trialKey, 'loss');
    expect(loss.map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(loss.at(-1)?.[1]).toBe(written.final_loss);
    const stored = store.jobs.get(result.jobId);
    expect(stored?.finish?.exitCode).toBe(0);
    expect(stored?.finish?.error).toBeNull();
    expect(readFileSync(stored?.stdoutPath ?? '', 'utf8')).toContain('PANDASWEEP_CHECKPOINT');
    expect(beats[0]?.phase).toBe('waiting-for-gpus');
  });

  it('keeps metrics whose write failed (database restarting) and writes them with the next flush', async () => {
    /** Refuses the first three metric writes, as PostgreSQL does while it restarts. */
    class FlakyMetricsStore extends MemoryJobStore {
      failures = 0;
      override async recordMetrics(record: Parameters<MemoryJobStore['recordMetrics']>[0]): Promise<void> {
        if (this.failures < 3) {
          this.failures += 1;
          throw new Error('connection refused');
        }
        return super.recordMetrics(record);
      }
    }
    const flaky = new FlakyMetricsStore();
    const { runJob } = setup([], {}, flaky);
    const job = input(['node', trainer, 'train', '--output-dir', join(work, 'train-flaky-db'), '--steps', '6', '--sleep', '0.1']);
    const result = (await new MockActivityEnvironment({ attempt: 1 }).run(runJob, job)) as RunJobResult;

    expect(flaky.failures).toBe(3);
    expect(result.metricsCount).toBe(6);
    expect(flaky.curve(job.trialKey, 'loss').map(([step]) => step)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('numbers a rerun’s attempts after the earlier run’s, keeping their rows and logs', async () => {
    const { store, runJob } = setup();
    const failing = input(['sh', '-c', 'echo first run; exit 3']);
    const run = (runId: string, attempt: number, job: RunJobInput) =>
      new MockActivityEnvironment({ attempt, workflowExecution: { workflowId: 'trial', runId } }).run(runJob, job);
    // The first run of the sweep: two attempts, both failed.
    await failureOf(run('run-1', 1, failing));
    await failureOf(run('run-1', 2, failing));
    // The sweep is run again: a new workflow run, whose activity starts again at attempt 1.
    const rerun = { ...failing, argv: ['sh', '-c', 'echo second run'] };
    const result = (await run('run-2', 1, rerun)) as RunJobResult;

    const jobs = [...store.jobs.values()].filter((job) => job.trialKey === failing.trialKey).sort((a, b) => a.attempt - b.attempt);
    expect(jobs.map((job) => [job.attempt, job.finish?.exitCode])).toEqual([[1, 3], [2, 3], [3, 0]]);
    expect(store.jobs.get(result.jobId)?.attempt).toBe(3);
    expect(readFileSync(jobs[0]!.stdoutPath, 'utf8')).toContain('first run');
    expect(readFileSync(jobs[2]!.stdoutPath, 'utf8')).toContain('second run');
    expect(new Set(jobs.map((job) => job.stdoutPath)).size).toBe(3);
    // A retry of the rerun's execution follows its own attempts, not past them.
    expect(await store.attemptNumber({ sweepId: failing.sweepId, trialKey: failing.trialKey, kind: 'train', execution: jobs[2]!.execution, activityAttempt: 2 })).toBe(4);
  });

  it('exit 2 (bad input) and 3 (out of memory) fail at once with the program\'s error line; another code is retried', async () => {
    const { runJob } = setup();
    const run = async (code: number) => {
      const job = input(['sh', '-c', `echo loading; echo "finetune: error: data.json: no such file (code ${code})" >&2; echo bye; exit ${code}`]);
      return { job, failure: (await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(runJob, job))) as ApplicationFailure };
    };
    const bad = await run(2);
    expect(bad.failure.type).toBe(failureTypes.JobBadInput);
    expect(bad.failure.nonRetryable).toBe(true);
    expect(bad.failure.message.split('\n')[0]).toMatch(new RegExp(`^train job for ${bad.job.trialKey} rejected its input \\(exit 2\\): finetune: error: data\\.json: no such file \\(code 2\\) \\(not retried: fix the file or flag it names`));
    const oom = await run(3);
    expect(oom.failure.type).toBe(failureTypes.JobOutOfMemory);
    expect(oom.failure.nonRetryable).toBe(true);
    expect(oom.failure.message.split('\n')[0]).toContain('ran out of memory (exit 3): finetune: error: data.json: no such file (code 3) (not retried: lower the batch size');
    const crash = await run(1);
    expect(crash.failure.type).toBe(failureTypes.JobFailed);
    expect(crash.failure.nonRetryable).toBe(false);
  });

  it('fails at once, not retryably, when the program does not exist', async () => {
    const { store, runJob } = setup();
    const job = input(['./no-such-trainer.sh', '--lr=1']);
    const failure = (await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(runJob, job))) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(failureTypes.JobCannotStart);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(`train job for ${job.trialKey} cannot start ./no-such-trainer.sh: no such program on PATH or file relative to the job folder (ENOENT, in ${work})`);
    expect(store.jobs.get(`${job.trialKey}:train:1`)?.finish?.error).toMatch(/could not start/);
  });

  it('fails at once, not retryably, when a secret is not set on the worker', async () => {
    const { runJob } = setup([], {});
    const job = input(['node', trainer, 'train', '--output-dir', join(work, 'no-secret')], { secretEnvNames: ['HF_TOKEN'] });
    const failure = (await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(runJob, job))) as ApplicationFailure;
    expect(failure.type).toBe(failureTypes.SecretMissing);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^secret environment variable HF_TOKEN is not set on worker test-host/);
  });

  it('fails at once, not retryably, when the job asks for more GPUs than the worker has', async () => {
    const { runJob } = setup([0]);
    const job = input(['node', trainer, 'train', '--output-dir', join(work, 'two-gpus')], { gpus: 2 });
    const failure = (await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(runJob, job))) as ApplicationFailure;
    expect(failure.type).toBe(failureTypes.NotEnoughGpus);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(`train job for ${job.trialKey} needs 2 GPUs but worker test-host has 1; set \`gpus: 1\` in the sweep or start a worker with \`--gpus\``);
  });

  it('fails a non-zero exit with the log tail, retryably', async () => {
    const { store, runJob } = setup();
    const job = input(['node', trainer, 'train', '--output-dir', join(work, 'train-fail'), '--steps', '10', '--fail-at-step', '3']);
    const error = await failureOf(new MockActivityEnvironment({ attempt: 2 }).run(runJob, job));

    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe(failureTypes.JobFailed);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('exited with code 1');
    expect(failure.message).toContain('simulated failure at step 3');
    expect(failure.message).toContain('PANDASWEEP_METRIC {"step":2');
    const stored = store.jobs.get(`${job.trialKey}:train:2`);
    expect(stored?.finish?.exitCode).toBe(1);
    expect(stored?.finish?.logTail).toContain('simulated failure at step 3');
    expect(store.curve(job.trialKey, 'loss')).toHaveLength(2);
  });

  it('kills the whole process group on timeout, SIGTERM-ignoring grandchild included', async () => {
    const { runJob } = setup();
    const pidFile = join(work, 'timeout.pid');
    const job = input(['node', spawnGrandchild, pidFile, '--ignore-sigterm'], { timeoutMs: 1_000 });
    const error = await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(runJob, job));

    expect((error as ApplicationFailure).type).toBe(failureTypes.JobTimedOut);
    expect((error as ApplicationFailure).message).toContain('READY');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    expect(isRunning(grandchild)).toBe(false);
  });

  it('cancellation stops the job and leaves no process behind', async () => {
    const { store, runJob } = setup([0]);
    const pidFile = join(work, 'cancel.pid');
    const job = input(['node', spawnGrandchild, pidFile], { gpus: 1 });
    const env = new MockActivityEnvironment({ attempt: 1 });
    let grandchild = 0;
    env.on('heartbeat', (d: JobHeartbeat) => {
      if (grandchild === 0 && d.lastLine?.startsWith('READY ')) {
        grandchild = Number(d.lastLine.slice('READY '.length));
        expect(isRunning(grandchild)).toBe(true);
        env.cancel();
      }
    });
    const error = await failureOf(env.run(runJob, job));

    expect(error).toBeInstanceOf(CancelledFailure);
    expect(grandchild).toBe(Number(readFileSync(pidFile, 'utf8')));
    expect(isRunning(grandchild)).toBe(false);
    expect(store.jobs.get(`${job.trialKey}:train:1`)?.finish?.signal).toBe('SIGTERM');
  });

  it('runs 4 one-GPU jobs on 2 slots without two ever sharing a GPU', async () => {
    const { store, slots, runJob } = setup([0, 1]);
    const record = join(work, 'gpu-usage.jsonl');
    const jobs = Array.from({ length: 4 }, () => input(['node', recordGpu, record, '400'], { gpus: 1 }));
    await Promise.all(jobs.map((job) => new MockActivityEnvironment({ attempt: 1 }).run(runJob, job)));

    const usage = readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { gpus: string; start: number; end: number });
    expect(usage).toHaveLength(4);
    for (const u of usage) expect(['0', '1']).toContain(u.gpus);
    for (const [i, a] of usage.entries()) {
      for (const b of usage.slice(i + 1)) {
        if (a.gpus === b.gpus) expect(a.end <= b.start || b.end <= a.start).toBe(true);
      }
    }
    // Both GPUs were used, and the recorded lease matches what the process saw.
    expect(new Set(usage.map((u) => u.gpus)).size).toBe(2);
    expect([...store.jobs.values()].map((j) => j.gpuIds.length)).toEqual([1, 1, 1, 1]);
    expect(slots.available).toBe(2);
  });

  it('passes secrets to the job (environment and argv) but keeps them out of the job row and log tail', async () => {
    const { store, runJob } = setup([], { HF_TOKEN: 'hf_secret_value' });
    const job = input(['node', '-e', 'console.log("token=" + process.env.HF_TOKEN, "arg=" + process.argv[1]); process.exit(3)', '{{env.HF_TOKEN}}'], {
      secretEnvNames: ['HF_TOKEN'],
    });
    const error = (await failureOf(new MockActivityEnvironment({ attempt: 1 }).run(runJob, job))) as ApplicationFailure;

    expect(error.message).toContain('token=***');
    expect(error.message).not.toContain('hf_secret_value');
    const stored = store.jobs.get(`${job.trialKey}:train:1`);
    expect(stored?.finish?.logTail).toBe('token=*** arg=***');
    expect(stored?.argv).toContain('{{env.HF_TOKEN}}');
    // The raw log file is the user's own record and keeps what the program printed.
    expect(readFileSync(stored?.stdoutPath ?? '', 'utf8')).toContain('hf_secret_value');
  });

  it('reports the previous attempt’s checkpoint on a retry', async () => {
    const { runJob } = setup();
    const out = join(work, 'train-retry');
    const previous: JobHeartbeat = {
      elapsedMs: 1,
      lastLine: null,
      step: 5,
      checkpointPath: join(out, 'step-5'),
      previousCheckpointPath: null,
      phase: 'running',
      host: 'other-host',
      jobId: 'old',
      externalId: '1',
    };
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: previous });
    const beats: JobHeartbeat[] = [];
    env.on('heartbeat', (d: JobHeartbeat) => beats.push(d));
    await env.run(runJob, input(['node', trainer, 'train', '--output-dir', out, '--steps', '2']));
    expect(beats.length).toBeGreaterThan(0);
    for (const beat of beats) expect(beat.previousCheckpointPath).toBe(join(out, 'step-5'));
  });

  it('on a retry, stops the process group a killed worker left behind, and only that one', async () => {
    const { runJob } = setup();
    const startDetached = async (marker: string, pidFile: string) => {
      const child = spawn(process.execPath, [spawnGrandchild, pidFile], { detached: true, stdio: 'ignore', env: { ...process.env, PANDASWEEP_JOB_ID: marker } });
      child.unref();
      for (let i = 0; i < 100 && !existsSync(pidFile); i++) await delay(50);
      return { leader: child.pid ?? 0, grandchild: Number(readFileSync(pidFile, 'utf8')) };
    };
    const stale = await startDetached('trial-x:train:1', join(work, 'stale.pid'));
    const unrelated = await startDetached('someone-else', join(work, 'unrelated.pid'));
    try {
      const heartbeatOf = (externalId: number): JobHeartbeat => ({
        elapsedMs: 1000,
        lastLine: null,
        step: null,
        checkpointPath: null,
        previousCheckpointPath: null,
        phase: 'running',
        host: 'test-host',
        jobId: 'trial-x:train:1',
        externalId: String(externalId),
      });
      // The unrelated group is named by pid but lacks the marker: it must survive.
      await new MockActivityEnvironment({ attempt: 2, heartbeatDetails: heartbeatOf(unrelated.leader) }).run(runJob, input(['true']));
      expect(isRunning(unrelated.grandchild)).toBe(true);

      expect(isRunning(stale.grandchild)).toBe(true);
      await new MockActivityEnvironment({ attempt: 2, heartbeatDetails: heartbeatOf(stale.leader) }).run(runJob, input(['true']));
      expect(isRunning(stale.leader)).toBe(false);
      expect(isRunning(stale.grandchild)).toBe(false);
    } finally {
      for (const pgid of [stale.leader, unrelated.leader]) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  });

  it('on a retry, stops a job whose worker died before any heartbeat named its process, found by its job row', async () => {
    const store = new MemoryJobStore();
    const { runJob } = setup([], {}, store);
    const job = input(['true']);
    // Attempt 1 recorded its row and started its process, then its worker died within the first
    // heartbeat interval: no heartbeat carried the process group.
    const { jobId } = await store.startJob({ sweepId: job.sweepId, trialKey: job.trialKey, kind: 'train', attempt: 1, execution: mockExecution, argv: ['x'], cwd: work, host: 'test-host', gpuIds: [], stdoutPath: '-', stderrPath: '-', startedAt: new Date() });
    const pidFile = join(work, 'early.pid');
    const child = spawn(process.execPath, [spawnGrandchild, pidFile], { detached: true, stdio: 'ignore', env: { ...process.env, PANDASWEEP_JOB_ID: jobId } });
    child.unref();
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) await delay(50);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    try {
      expect(isRunning(grandchild)).toBe(true);
      await new MockActivityEnvironment({ attempt: 2 }).run(runJob, job);
      expect(isRunning(child.pid ?? 0)).toBe(false);
      expect(isRunning(grandchild)).toBe(false);
      // The killed attempt has a finish time and a reason.
      expect(store.jobs.get(jobId)?.finish).toMatchObject({ exitCode: null, error: 'stopped before a retry: its worker died while it ran' });
    } finally {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
});
