/**
 * `pandasweep worker --launcher slurm` through the whole system: a sweep's jobs are submitted to the local
 * single-node Slurm that test/support/local-slurm-cluster.ts starts (skipped loudly where it cannot run; an error under CI).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, uniqueTaskQueue } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { skipLoudly } from '../../support/skip-loudly.js';
import { localSlurmUnavailable, startLocalSlurmCluster, type LocalSlurmCluster } from '../../support/local-slurm-cluster.js';
import { startWorkerProcess, terminateLeftoverSweeps, type WorkerProcess } from '../../support/worker-process.js';

const slurm = localSlurmUnavailable();
const unavailable = skipLoudly(slurm && `the Slurm worker test: ${slurm}`);

describe.skipIf(unavailable !== null)('pandasweep worker --launcher slurm', () => {
  let cluster: LocalSlurmCluster;
  let db: TestDatabase;
  let home: string;
  let env: Record<string, string>;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    const address = process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!;
    await terminateLeftoverSweeps(address, ['jobs-slurm']);
    cluster = await startLocalSlurmCluster();
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-slurm-worker-'));
    env = { TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, PANDASWEEP_HOME: home, PANDASWEEP_TASK_QUEUE: uniqueTaskQueue(), ...cluster.env };
  });
  afterAll(async () => {
    await worker?.stop();
    await cluster?.stop();
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('runs the training and generation jobs as Slurm jobs and finishes the sweep', async () => {
    worker = await startWorkerProcess(['--launcher', 'slurm', '--slurm-poll', '0.5'], env);
    expect(worker.stderr()).toContain('jobs: slurm');
    const run = await runCli(['run', path.join(repoRoot, 'test/fixtures/sweeps/jobs-slurm.yaml'), '--json'], { env });
    expect(run.exitCode, `${run.stderr}\n--- worker ---\n${worker.stderr()}`).toBe(0);
    const trial = await db.prisma.trial.findFirstOrThrow({ where: { sweepId: 'jobs-slurm' }, include: { jobs: true } });
    expect(trial.status).toBe('done');
    expect(trial.jobs.map((j) => [j.kind, j.exitCode]).sort()).toEqual([['generate', 0], ['train', 0]]);
    // Slurm assigns GPUs, not the worker's pool; the output came back through Slurm's output files.
    expect(trial.jobs.every((j) => j.gpuIds.length === 0)).toBe(true);
    const train = trial.jobs.find((j) => j.kind === 'train')!;
    expect(await readFile(train.stdoutPath, 'utf8')).toContain('PANDASWEEP_METRIC');
    expect(await db.prisma.metric.count({ where: { trialId: trial.id } })).toBe(4);
    expect(await db.prisma.response.count({ where: { trialId: trial.id } })).toBe(3);
  });
});
