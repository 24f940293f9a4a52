/**
 * Fault case 1 (issue 7): `kill -9` the only worker while training jobs run, start a new one, and the
 * sweep finishes with every trial trained to completion exactly once and no job process left behind.
 * (A sibling test in test/integration/jobs/ covers the retry mechanics of a single job.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findJobProcesses, runToEnd, spawnWorker, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectCompleteSweep, waitForSweepDone } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';

describe('worker killed with SIGKILL while training', () => {
  let db: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-train-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a new worker finishes the sweep; no trial trains twice to completion; no orphan job processes', async () => {
    // 20 steps of 0.4 s: each training runs ~8 s, so the kill lands while both trials of the window train.
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-train-kill'), stepSleepSeconds: 0.4 });
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

    // Kill only once both training processes run and have reported progress.
    const victims = await waitFor(
      'two training jobs running with metrics',
      async () => {
        const jobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null }, include: { _count: { select: { metrics: true } } } });
        const alive = new Set(findJobProcesses(jobs.map((j) => j.id)).map((p) => p.jobId));
        const running = jobs.filter((j) => alive.has(j.id) && j._count.metrics > 0);
        return running.length >= 2 ? running : undefined;
      },
      { alive: [first], timeoutMs: 90_000 },
    );
    await first.kill('SIGKILL');

    const second = spawnWorker(env);
    processes.push(second);
    await waitForSweepDone(prisma, sweep, second, 'the sweep to finish on the new worker');

    const outcome = await expectCompleteSweep(prisma, sweep);
    expect(outcome.bestParams).toEqual(sweep.expectedBest);
    for (const victim of victims) {
      const trialKey = victim.trialId.slice(sweep.sweepId.length + 1);
      const attempts = outcome.jobsByTrial.get(trialKey)!.filter((j) => j.kind === 'train');
      // The killed attempt never reported an exit (its worker died): the retry recorded its end, then a
      // later attempt trained it.
      const killed = attempts.find((j) => j.attempt === victim.attempt);
      expect(killed).toMatchObject({ exitCode: null });
      expect(killed?.finishedAt).not.toBeNull();
      expect(attempts.find((j) => j.exitCode === 0)!.attempt).toBeGreaterThan(victim.attempt);
    }
    const allJobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId } }, select: { id: true } });
    expect(findJobProcesses(allJobs.map((j) => j.id))).toEqual([]);
  });
});
