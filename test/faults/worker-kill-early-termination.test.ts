/**
 * Early termination survives its worker (issue 29): `kill -9` the worker while a rung's match is being
 * judged, start a new one, then `kill -9` that one while a promoted trial resumes training from its rung
 * checkpoint, and start a third. The rung match resumes from its stored judgments (the judge is asked
 * again only for verdicts the dead worker never stored), the resumed training goes on from the rung
 * checkpoint (loss steps 1..N, each once), the killed attempt's row is ended, no job process is left
 * behind, and every stop is trained and answered once. The toy trainer stands in for a fine-tune and a
 * slow OpenAI-compatible server for the judge (1 s per call, so a match can be killed midway). After the
 * second kill both finalists finish within moments of each other while the workflow stores the rung
 * outcomes: the moment a plan made before the last stop ended once called the rungs stuck.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findJobProcesses, runToEnd, spawnWorker, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { expectCompleteEarlyTerminatedSweep, waitForSweepDone } from '../support/faults/read-sweep-outcome.js';
import { startSlowJudgeServer, type SlowJudgeServer } from '../support/faults/slow-judge-server.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('worker killed with SIGKILL during early termination', () => {
  let db: TestDatabase;
  let dir: string;
  let judge: SlowJudgeServer;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-early-'));
    judge = await startSlowJudgeServer({ latencyMs: 1_000 });
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await judge?.close();
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a rung match killed mid-judging and a promoted trial killed mid-resume both finish, once each', async () => {
    const judgeConfig = await judge.writeJudgeConfig(path.join(dir, 'slow-judge.yaml'));
    // 20 steps of 0.6 s over 2 or 3 epochs: a resume from epoch 1 trains 6 s or more, past a metrics flush.
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-early-kill'), judge: judgeConfig, earlyTerminate: true, stepSleepSeconds: 0.6 });
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

    // 1. A rung match with some but not all of its judgments stored (8 instructions x 2 orders).
    const perRungMatch = 16;
    const rungJudged = () => prisma.judgment.groupBy({ by: ['matchId'], where: { match: { sweepId: sweep.sweepId, stage: 'rung-1' } }, _count: true });
    const victimMatch = await waitFor('a rung match partly judged', async () => (await rungJudged()).find((m) => m._count > 0 && m._count < perRungMatch), {
      alive: [first],
      timeoutMs: 120_000,
      intervalMs: 50,
    });
    await first.kill('SIGKILL');
    await sleep(1_000);
    const storedAtKill = await prisma.judgment.count({ where: { match: { sweepId: sweep.sweepId } } });
    const lost = judge.answered() - storedAtKill;
    expect(lost).toBeGreaterThanOrEqual(0);
    expect((await rungJudged()).find((m) => m.matchId === victimMatch.matchId)!._count).toBeLessThan(perRungMatch);

    // 2. A promoted trial's training from its rung checkpoint on, running and reporting steps.
    const second = spawnWorker(env);
    processes.push(second);
    const resumed = await waitFor(
      'a promoted trial resuming training',
      async () => {
        const jobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null, stopEpoch: { gt: 1 } }, include: { _count: { select: { metrics: true } } } });
        const alive = new Set(findJobProcesses(jobs.map((j) => j.id)).map((p) => p.jobId));
        return jobs.find((j) => alive.has(j.id) && j._count.metrics > 0);
      },
      { alive: [second], timeoutMs: 120_000, intervalMs: 50 },
    );
    await second.kill('SIGKILL');

    const third = spawnWorker(env);
    processes.push(third);
    await waitForSweepDone(prisma, sweep, third, 'the sweep to finish on the third worker');

    const outcome = await expectCompleteEarlyTerminatedSweep(prisma, sweep);
    // The slow judge prefers the longer answer, which the toy gives for the better-trained model.
    expect(outcome.bestParams).toEqual(sweep.expectedBest);
    const victimJudgments = await prisma.judgment.findMany({ where: { matchId: victimMatch.matchId } });
    expect(new Set(victimJudgments.map((j) => `${j.instructionId}/${j.order}`)).size).toBe(perRungMatch);
    // Resumed, not restarted: every stored judgment was asked for once, plus the ones lost at the kill
    // (and at most a batch more lost in flight at the second kill).
    expect(judge.answered()).toBeGreaterThanOrEqual(outcome.judgments + lost);
    expect(judge.answered()).toBeLessThanOrEqual(outcome.judgments + lost + 8);

    const attempts = outcome.jobsByTrial.get(resumed.trialId.slice(sweep.sweepId.length + 1))!.filter((j) => j.kind === 'train');
    const killed = attempts.find((j) => j.attempt === resumed.attempt);
    expect(killed).toMatchObject({ exitCode: null });
    expect(killed?.finishedAt).not.toBeNull();
    const allJobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId } }, select: { id: true } });
    expect(findJobProcesses(allJobs.map((j) => j.id))).toEqual([]);
  });
});
