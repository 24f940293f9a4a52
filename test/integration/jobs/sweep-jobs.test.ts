/**
 * External jobs through the whole system: `pandasweep run --no-worker` starts sweeps on the real Temporal
 * dev server, a separate `pandasweep worker --gpus 0,1` child process runs the toy trainer as real
 * processes, and the assertions read the PostgreSQL rows (and /proc) the run left behind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, uniqueTaskQueue } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { isRunning, processesOfJobs, startWorkerProcess, terminateLeftoverSweeps, waitFor, type WorkerProcess } from '../../support/worker-process.js';

const fixture = (name: string): string => path.join(repoRoot, 'test/fixtures/sweeps', name);
const sweepIds = ['jobs-gpus', 'jobs-cancel', 'jobs-timeout', 'jobs-corrupt'];

interface RunRecord {
  readonly pid: number;
  readonly cudaVisibleDevices: string | null;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** Fails when two spans on the same GPU overlap; returns the spans grouped by GPU id. */
function expectNoSharedGpu(spans: readonly { gpu: string; start: number; end: number }[]): Map<string, { start: number; end: number }[]> {
  const byGpu = new Map<string, { start: number; end: number }[]>();
  for (const s of spans) byGpu.set(s.gpu, [...(byGpu.get(s.gpu) ?? []), s]);
  for (const [gpu, list] of byGpu) {
    const sorted = [...list].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.start, `GPU ${gpu} was shared`).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    }
  }
  return byGpu;
}

describe('external jobs on a separate worker process', () => {
  let db: TestDatabase;
  let home: string;
  let env: Record<string, string>;
  let worker: WorkerProcess;
  beforeAll(async () => {
    const address = process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!;
    await terminateLeftoverSweeps(address, sweepIds);
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-jobs-'));
    env = { TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, PANDASWEEP_HOME: home, PANDASWEEP_TASK_QUEUE: uniqueTaskQueue() };
    worker = await startWorkerProcess(['--gpus', '0,1'], env);
  });
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('runs 4 one-GPU trainings on 2 GPU slots without two ever sharing a GPU, and stores metrics per trial', async () => {
    const run = await runCli(['run', fixture('jobs-gpus.yaml'), '--json'], { env });
    expect(run.exitCode, `${run.stderr}\n--- worker ---\n${worker.stderr()}`).toBe(0);
    const { prisma } = db;
    const trials = await prisma.trial.findMany({ where: { sweepId: 'jobs-gpus' }, include: { jobs: true } });
    expect(trials).toHaveLength(4);
    expect(trials.every((t) => t.status === 'done')).toBe(true);

    const spans: { gpu: string; start: number; end: number }[] = [];
    const rowSpans: { gpu: string; start: number; end: number }[] = [];
    for (const trial of trials) {
      const train = trial.jobs.filter((j) => j.kind === 'train');
      expect(train).toHaveLength(1);
      const job = train[0]!;
      expect(job.gpuIds).toHaveLength(1);
      // The trainer's own record of what it got, next to what the worker says it gave.
      const runs = readFileSync(path.join(trial.checkpointPath!, 'runs.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RunRecord);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.cudaVisibleDevices).toBe(String(job.gpuIds[0]));
      spans.push({ gpu: runs[0]!.cudaVisibleDevices!, start: runs[0]!.startedAt, end: runs[0]!.finishedAt });
      rowSpans.push({ gpu: String(job.gpuIds[0]), start: job.startedAt.getTime(), end: job.finishedAt!.getTime() });
      // Generation asked for no GPU and got none.
      expect(trial.jobs.find((j) => j.kind === 'generate')?.gpuIds).toEqual([]);
    }
    const byGpu = expectNoSharedGpu(spans);
    expectNoSharedGpu(rowSpans);
    // Both slots were used, two jobs each: the four jobs really competed for two GPUs.
    expect([...byGpu.keys()].sort()).toEqual(['0', '1']);
    expect([...byGpu.values()].map((l) => l.length)).toEqual([2, 2]);

    // Metrics are queryable per trial: one row per (step, name), tied to the training job; metrics.json is the trial's finalMetrics.
    for (const trial of trials) {
      const metrics = await prisma.metric.findMany({ where: { trialId: trial.id }, orderBy: [{ name: 'asc' }, { step: 'asc' }] });
      const trainJobId = trial.jobs.find((j) => j.kind === 'train')!.id;
      expect(metrics.map((m) => `${m.name}@${m.step}`)).toEqual(['learning_rate@1', 'learning_rate@2', 'learning_rate@3', 'learning_rate@4', 'loss@1', 'loss@2', 'loss@3', 'loss@4']);
      expect(metrics.every((m) => m.jobId === trainJobId)).toBe(true);
      const loss = metrics.filter((m) => m.name === 'loss').map((m) => m.value);
      expect(loss).toEqual([...loss].sort((a, b) => b - a));
      const metricsJson = JSON.parse(readFileSync(path.join(trial.checkpointPath!, 'metrics.json'), 'utf8')) as { quality: number; final_loss: number };
      expect(trial.finalMetrics).toEqual(metricsJson);
      expect(metricsJson.final_loss).toBe(loss.at(-1));
    }
    const grouped = await prisma.metric.groupBy({ by: ['trialId'], where: { name: 'loss', trial: { sweepId: 'jobs-gpus' } }, _min: { value: true } });
    expect(grouped).toHaveLength(4);
  });

  it('`pandasweep cancel` during a job stops the job and its grandchild, records the sweep cancelled, and `run` says so (exit 3)', async () => {
    const watching = runCli(['run', fixture('jobs-cancel.yaml')], { env });
    const { prisma } = db;
    const job = await waitFor('the training job to start', async () => (await prisma.job.findFirst({ where: { kind: 'train', trial: { sweepId: 'jobs-cancel' } } })) ?? undefined);
    const pidFile = path.join(path.dirname(job.stdoutPath), '..', 'grandchild.pid');
    const grandchild = await waitFor('the grandchild pid file', () => (existsSync(pidFile) && readFileSync(pidFile, 'utf8') ? Number(readFileSync(pidFile, 'utf8')) : undefined));
    // The job and its grandchild both run, findable by their PANDASWEEP_JOB_ID: the check below can fail.
    expect(isRunning(grandchild)).toBe(true);
    expect(processesOfJobs([job.id]).length).toBeGreaterThanOrEqual(2);

    const cancel = await runCli(['cancel', 'jobs-cancel'], { env });
    expect(cancel.exitCode, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain('cancelled');
    expect(processesOfJobs([job.id])).toEqual([]);
    expect(isRunning(grandchild)).toBe(false);
    expect((await prisma.sweep.findUniqueOrThrow({ where: { id: 'jobs-cancel' } })).status).toBe('cancelled');
    expect((await prisma.trial.findFirstOrThrow({ where: { sweepId: 'jobs-cancel' } })).status).toBe('cancelled');
    const finished = await prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(finished.finishedAt).not.toBeNull();
    expect(finished.error).toBe('was cancelled');
    const run = await watching;
    expect(run.exitCode, run.stderr).toBe(3);
    expect(run.stderr).toContain('The sweep was cancelled (pandasweep cancel, or the Web UI). Finished trials and judgments are kept');
    expect(run.stderr).not.toContain('Fix the cause');
  });

  it('a job killed by its timeout is retried, then its trial fails cleanly and the tournament leaves it out', async () => {
    const run = await runCli(['run', fixture('jobs-timeout.yaml'), '--json'], { env });
    expect(run.exitCode, `${run.stderr}\n--- worker ---\n${worker.stderr()}`).toBe(0);
    const { prisma } = db;
    const trials = await prisma.trial.findMany({ where: { sweepId: 'jobs-timeout' }, include: { jobs: { orderBy: { attempt: 'asc' } } } });
    expect(trials).toHaveLength(3);
    const failed = trials.filter((t) => t.status === 'failed');
    expect(failed).toHaveLength(1);
    const slow = failed[0]!;
    expect(slow.params).toEqual({ sleep: 5 });
    expect(slow.failureType).toBe('JobTimedOut');
    expect(slow.failureMessage).toContain('timed out after 2000 ms');
    // retries: 1 -> two attempts, each stopped by the timeout; no generation was attempted.
    expect(slow.jobs.map((j) => [j.kind, j.attempt])).toEqual([['train', 1], ['train', 2]]);
    expect(slow.jobs.every((j) => j.error === 'timed out after 2000 ms' && j.finishedAt !== null && j.exitCode === null)).toBe(true);
    expect(processesOfJobs(slow.jobs.map((j) => j.id))).toEqual([]);
    expect(trials.filter((t) => t.status === 'done').map((t) => t.jobs.length)).toEqual([2, 2]);

    // The tournament ranked only the finished trials, and the run's output names the failed one.
    const standings = await prisma.standing.findMany({ where: { sweepId: 'jobs-timeout' } });
    expect(standings.map((s) => s.trialId).sort()).toEqual(trials.filter((t) => t.status === 'done').map((t) => t.id).sort());
    const matches = await prisma.match.findMany({ where: { sweepId: 'jobs-timeout' } });
    expect(matches.length).toBeGreaterThan(0);
    expect(matches.every((m) => m.trialAId !== slow.id && m.trialBId !== slow.id)).toBe(true);
    expect(run.stdout).toContain(`${slow.key.slice(0, 8)} (JobTimedOut)`);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { trials: { done: number; failed: number } };
    expect(summary.trials).toEqual({ done: 2, failed: 1 });
    expect((await prisma.sweep.findUniqueOrThrow({ where: { id: 'jobs-timeout' } })).status).toBe('done');
  });

  it('a malformed responses.jsonl fails the trial with the line named', async () => {
    const run = await runCli(['run', fixture('jobs-corrupt.yaml'), '--json'], { env });
    // Its only trial failed, so there is no best checkpoint: exit 1, and no stack trace.
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stdout).toContain('no trial finished');
    const { prisma } = db;
    const trial = await prisma.trial.findFirstOrThrow({ where: { sweepId: 'jobs-corrupt' }, include: { jobs: true } });
    expect(trial.status).toBe('failed');
    expect(trial.failureType).toBe('InvalidResponses');
    expect(trial.failureMessage).toMatch(/responses\.jsonl:2: /);
    // The file is wrong, not the run: the generate job succeeded once and was not retried.
    expect(trial.jobs.map((j) => [j.kind, j.exitCode]).sort()).toEqual([['generate', 0], ['train', 0]]);
    expect(await prisma.response.count({ where: { trialId: trial.id } })).toBe(0);
  });
});
