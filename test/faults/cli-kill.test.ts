/**
 * Fault case 5 (issue 7): the `pandasweep run` that started a sweep (with its own in-process worker) is
 * killed with SIGKILL while a separate `pandasweep worker` runs: `status` and `leaderboard` still answer,
 * and the sweep goes on to the end on the remaining worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SweepStatusReport } from '../../cli/commands/status.js';
import type { LeaderboardJson } from '../../cli/leaderboard-table.js';
import { runToEnd, spawnCli, spawnWorker, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectCompleteSweep, waitForSweepDone } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';

describe('the CLI that started a sweep killed with SIGKILL', () => {
  let db: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-cli-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('status and leaderboard still work, and the remaining worker finishes the sweep', async () => {
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-cli-kill'), stepSleepSeconds: 0.3 });
    const env: FaultEnv = { temporalAddress: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, databaseUrl: db.url, home: process.env.PANDASWEEP_FAULTS_HOME!, taskQueue: uniqueName('faults') };
    const { prisma } = db;
    const worker = spawnWorker(env);
    processes.push(worker);
    const run = spawnCli(['run', sweep.file, '--json', '--worker'], env);
    processes.push(run);
    await waitFor('training under way', () => prisma.job.findFirst({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null } }), { alive: [worker, run] });
    const killed = await run.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');

    const status = await runToEnd(['status', sweep.sweepId, '--json'], env);
    expect(status.exitCode, status.stderr).toBe(0);
    const live = JSON.parse(status.stdout) as SweepStatusReport;
    expect(live.sweepId).toBe(sweep.sweepId);
    expect(live.status).toBe('running');
    // The workflow answers its progress query through the remaining worker.
    expect(live.workflow?.stage).toMatch(/^(training|judging)$/);
    expect(live.workflow?.trials.total).toBe(sweep.trials);
    const board = await runToEnd(['leaderboard', sweep.sweepId, '--json'], env);
    expect(board.exitCode, board.stderr).toBe(0);
    expect((JSON.parse(board.stdout) as LeaderboardJson).sweepId).toBe(sweep.sweepId);

    await waitForSweepDone(prisma, sweep, worker, 'the sweep to finish on the remaining worker');
    const outcome = await expectCompleteSweep(prisma, sweep);
    expect(outcome.bestParams).toEqual(sweep.expectedBest);

    const finalStatus = JSON.parse((await runToEnd(['status', sweep.sweepId, '--json'], env)).stdout) as SweepStatusReport;
    expect(finalStatus.status).toBe('done');
    expect(finalStatus.best.map((b) => b.trial)).toEqual([outcome.bestTrialKey]);
    const finalBoard = await runToEnd(['leaderboard', sweep.sweepId, '--json'], env);
    expect(finalBoard.exitCode, finalBoard.stderr).toBe(0);
    const standings = JSON.parse(finalBoard.stdout) as LeaderboardJson;
    expect(standings.baseModels).toHaveLength(1);
    expect(standings.baseModels[0]!.best?.trialKey).toBe(outcome.bestTrialKey);
    expect(standings.baseModels[0]!.rows).toHaveLength(sweep.trials);
  });
});
