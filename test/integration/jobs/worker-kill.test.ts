/**
 * A worker killed with SIGKILL mid-job, through the whole system: Temporal notices the missing heartbeats
 * (the sweep's 15 s `heartbeatTimeout`), a restarted worker retries the job, and the sweep
 * finishes with no process of either attempt left. About 30 s, half of it that timeout.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, uniqueTaskQueue } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { processesOfJobs, startWorkerProcess, terminateLeftoverSweeps, waitFor, type WorkerProcess } from '../../support/worker-process.js';

const sweepId = 'jobs-worker-kill';

describe('a worker killed with SIGKILL mid-job', () => {
  let db: TestDatabase;
  let home: string;
  let env: Record<string, string>;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    const address = process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!;
    await terminateLeftoverSweeps(address, [sweepId]);
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-worker-kill-'));
    env = { TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, PANDASWEEP_HOME: home, PANDASWEEP_TASK_QUEUE: uniqueTaskQueue() };
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('is noticed by its heartbeat timeout; a restarted worker retries the job and the sweep finishes', { timeout: 180_000 }, async () => {
    const first = await startWorkerProcess(['--gpus', '0'], env);
    workers.push(first);
    const started = await runCli(['run', path.join(repoRoot, 'test/fixtures/sweeps/jobs-worker-kill.yaml'), '--detach'], { env });
    expect(started.exitCode, started.stderr).toBe(0);
    const { prisma } = db;
    const attempt1 = await waitFor('the training job to start', async () => (await prisma.job.findFirst({ where: { kind: 'train', trial: { sweepId } } })) ?? undefined);
    await waitFor('the trainer process', () => (processesOfJobs([attempt1.id]).length > 0 ? true : undefined), 10_000);

    await first.stop('SIGKILL');
    const killedAt = Date.now();
    const second = await startWorkerProcess(['--gpus', '0'], env);
    workers.push(second);

    const sweep = await waitFor('the sweep to finish', async () => {
      const row = await prisma.sweep.findUnique({ where: { id: sweepId } });
      return row && row.status !== 'running' ? row : undefined;
    }, 120_000);
    expect(sweep.status, second.stderr()).toBe('done');
    // The retry waited for the sweep's heartbeat timeout (15 s), not for the job's 5 min timeout.
    expect(Date.now() - killedAt).toBeGreaterThan(14_000);

    const trial = await prisma.trial.findFirstOrThrow({ where: { sweepId }, include: { jobs: { orderBy: [{ kind: 'desc' }, { attempt: 'asc' }] } } });
    expect(trial.status).toBe('done');
    const train = trial.jobs.filter((j) => j.kind === 'train');
    expect(train.map((j) => j.attempt)).toEqual([1, 2]);
    // The killed worker never recorded an end for its attempt: the retry did, with the reason, before it
    // ran to completion on its GPU.
    expect(train[0]!.finishedAt).not.toBeNull();
    expect(train[0]!.error).toMatch(/^(stopped before a retry|ended with its worker), /);
    expect(train[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(train[1]!.startedAt.getTime());
    expect(train[1]!.exitCode).toBe(0);
    expect(train[1]!.gpuIds).toEqual([0]);
    expect(await prisma.response.count({ where: { trialId: trial.id } })).toBe(3);
    expect(await prisma.bestTrial.count({ where: { sweepId } })).toBe(1);
    expect(processesOfJobs(trial.jobs.map((j) => j.id))).toEqual([]);
  });
});
