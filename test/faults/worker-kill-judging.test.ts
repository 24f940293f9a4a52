/**
 * Fault case 2 (issue 7): `kill -9` the worker in the middle of judging a match, start a new one, and
 * the match resumes from the judgments already stored: every match ends with exactly instructions x
 * orders judgments, and the judge is asked again only for what the dead worker had not stored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, spawnWorker, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectCompleteSweep, waitForSweepDone } from '../support/faults/read-sweep-outcome.js';
import { startSlowJudgeServer, type SlowJudgeServer } from '../support/faults/slow-judge-server.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';

describe('worker killed with SIGKILL while judging a match', () => {
  let db: TestDatabase;
  let dir: string;
  let judge: SlowJudgeServer;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-judge-'));
    // 1 s per judge call: a match (20 calls in batches of 8) takes ~3 s, long enough to kill it midway.
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

  it('resumes the match on a new worker with exactly instructions x orders judgments', async () => {
    const judgeConfig = await judge.writeJudgeConfig(path.join(dir, 'slow-judge.yaml'));
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-judge-kill'), judge: judgeConfig });
    const env: FaultEnv = {
      temporalAddress: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!,
      databaseUrl: db.url,
      home: process.env.PANDASWEEP_FAULTS_HOME!,
      taskQueue: uniqueName('faults'),
    };
    const { prisma } = db;
    const perMatch = sweep.instructions * 2;
    const first = spawnWorker(env);
    processes.push(first);
    const started = await runToEnd(['run', sweep.file, '--detach'], env);
    expect(started.exitCode, started.stderr).toBe(0);

    const judgedSoFar = () => prisma.judgment.groupBy({ by: ['matchId'], where: { match: { sweepId: sweep.sweepId } }, _count: true });
    const victim = await waitFor('a match with some but not all judgments stored', async () => (await judgedSoFar()).find((m) => m._count > 0 && m._count < perMatch), {
      alive: [first],
      timeoutMs: 120_000,
      intervalMs: 50,
    });
    await first.kill('SIGKILL');
    // A statement the dead worker had already sent may still commit; let it land before counting.
    await sleep(1_000);
    const storedAtKill = (await judgedSoFar()).reduce((n, m) => n + m._count, 0);
    const answeredAtKill = judge.answered();
    // Verdicts the judge gave that the dead worker never stored: the only calls a resume may repeat.
    const lost = answeredAtKill - storedAtKill;
    expect(lost).toBeGreaterThanOrEqual(0);
    const victimStoredAtKill = (await judgedSoFar()).find((m) => m.matchId === victim.matchId)!._count;
    expect(victimStoredAtKill).toBeLessThan(perMatch);

    const second = spawnWorker(env);
    processes.push(second);
    await waitForSweepDone(prisma, sweep, second, 'the sweep to finish on the new worker');

    const outcome = await expectCompleteSweep(prisma, sweep);
    expect(outcome.bestParams).toEqual(sweep.expectedBest);
    const victimJudgments = await prisma.judgment.findMany({ where: { matchId: victim.matchId } });
    expect(new Set(victimJudgments.map((j) => `${j.instructionId}/${j.order}`)).size).toBe(perMatch);
    // Resumed, not restarted: every stored judgment was asked for once, plus the lost ones again.
    expect(judge.answered()).toBe(sweep.matches * perMatch + lost);
  });
});
