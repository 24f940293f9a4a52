/**
 * One SIGINT (or SIGTERM) to `pandasweep run` stops it cleanly: its jobs are killed and recorded as
 * finished, its worker stops, and the process exits within 30 s with 130. The stopped job spent none of
 * its retries (the sweep allows none here): the next run trains it again and finishes the sweep.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findJobProcesses, runToEnd, spawnCli, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { expectCompleteSweep } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('pandasweep run interrupted by a signal', () => {
  let db: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-signal-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops jobs, worker and CLI within 30 s, and the next run finishes the sweep', async (signal) => {
    const sweep = await writeFaultSweep(dir, { name: uniqueName(`fault-${signal.toLowerCase()}`), stepSleepSeconds: 0.5, retries: 0 });
    const env: FaultEnv = { temporalAddress: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, databaseUrl: db.url, home: path.join(dir, 'home'), taskQueue: uniqueName('faults') };
    const { prisma } = db;
    const run = spawnCli(['run', sweep.file, '--json', '--worker'], env);
    processes.push(run);
    const job = await waitFor('training under way', () => prisma.job.findFirst({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null } }), { alive: [run] });
    // The row is written just before the process starts: wait for the process itself.
    await waitFor('the job process', () => findJobProcesses([job.id]).length > 0, { alive: [run] });

    const sent = Date.now();
    const exit = await run.kill(signal);
    expect(Date.now() - sent).toBeLessThan(30_000);
    expect(exit.exitCode, exit.stderr).toBe(130);
    expect(exit.stderr).toContain(`${signal}: stopping this process's jobs and worker`);
    const jobs = await prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId } } });
    expect(findJobProcesses(jobs.map((j) => j.id))).toEqual([]);
    // Every attempt it stopped has a finish time and a reason.
    expect(jobs.every((j) => j.finishedAt !== null && (j.exitCode === 0 || j.error !== null))).toBe(true);
    expect(await prisma.trial.count({ where: { sweepId: sweep.sweepId, status: 'failed' } })).toBe(0);

    const again = await runToEnd(['run', sweep.file, '--json', '--worker'], env, 240_000);
    expect(again.exitCode, again.stderr).toBe(0);
    await expectCompleteSweep(prisma, sweep);
  });
});
