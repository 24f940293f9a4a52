/**
 * `kill -9` the only worker while the downstream `evaluate` job scores the best trial, start a new one,
 * and the sweep finishes with the trial evaluated exactly once to completion, its results stored once
 * (from the attempt that finished), the killed attempt ended in its row, and no job process left behind.
 * Toy trainer and the simulated demo judge (machinery only), real Temporal, PostgreSQL and processes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findJobProcesses, runToEnd, spawnWorker, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectCompleteSweep, waitForSweepDone } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';

describe('worker killed with SIGKILL while evaluating', () => {
  let db: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-evaluate-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a new worker evaluates the best trial once to completion and records its results once', async () => {
    // Quick training, then an evaluation of 12 s: the kill lands while it runs.
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-evaluate-kill'), steps: 4, evaluateSleepSeconds: 12 });
    const env: FaultEnv = {
      temporalAddress: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!,
      databaseUrl: db.url,
      home: process.env.PANDASWEEP_FAULTS_HOME!,
      taskQueue: uniqueName('faults'),
    };
    const { prisma } = db;
    const first = spawnWorker(env);
    processes.push(first);
    const started = await runToEnd(['run', sweep.file, '--detach'], env);
    expect(started.exitCode, started.stderr).toBe(0);

    const victim = await waitFor(
      'the evaluate job running',
      async () => {
        const jobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId }, kind: 'evaluate', finishedAt: null } });
        const alive = new Set(findJobProcesses(jobs.map((j) => j.id)).map((p) => p.jobId));
        return jobs.find((j) => alive.has(j.id));
      },
      { alive: [first], timeoutMs: 120_000 },
    );
    await first.kill('SIGKILL');

    const second = spawnWorker(env);
    processes.push(second);
    await waitForSweepDone(prisma, sweep, second, 'the sweep to finish on the new worker');

    const outcome = await expectCompleteSweep(prisma, sweep);
    expect(outcome.bestParams).toEqual(sweep.expectedBest);
    const evaluated = await prisma.trial.findUniqueOrThrow({ where: { id: victim.trialId }, include: { jobs: { where: { kind: 'evaluate' }, orderBy: { attempt: 'asc' } }, evaluationMetrics: true } });
    expect(evaluated.key).toBe(outcome.bestTrialKey);
    expect(evaluated.evaluationStatus).toBe('done');
    // The killed attempt never reported an exit: the retry recorded its end, then a later attempt scored it.
    const killed = evaluated.jobs.find((j) => j.id === victim.id);
    expect(killed).toMatchObject({ exitCode: null });
    expect(killed?.finishedAt).not.toBeNull();
    const succeeded = evaluated.jobs.filter((j) => j.exitCode === 0);
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]!.attempt).toBeGreaterThan(victim.attempt);
    // Its results, once each, from the attempt that finished; the toy's accuracy is its checkpoint's quality.
    const names = evaluated.evaluationMetrics.map((m) => m.name).sort();
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(['toy_loss', 'toy_task/acc', 'toy_task/acc_stderr']);
    expect(evaluated.evaluationMetrics.every((m) => m.jobId === succeeded[0]!.id)).toBe(true);
    // No other trial was evaluated.
    expect(await prisma.job.count({ where: { trial: { sweepId: sweep.sweepId }, kind: 'evaluate', trialId: { not: victim.trialId } } })).toBe(0);
    const allJobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId } }, select: { id: true } });
    expect(findJobProcesses(allJobs.map((j) => j.id))).toEqual([]);
  });
});
