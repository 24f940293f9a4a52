/**
 * Fault case 3 (issue 7): PostgreSQL crashes and comes back twice in the middle of a sweep (once while
 * trials train, once while matches are judged); activities retry and nothing recorded is lost. The
 * server is a private PostgreSQL started for this test, never the machine's shared cluster.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { spawnCli, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { findPostgresBin, startPrivatePostgres, type PrivatePostgres } from '../support/faults/private-postgres.js';
import { expectCompleteSweep, openPrisma } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';
import { skipLoudly } from '../support/skip-loudly.js';

const postgresBin = await findPostgresBin();
skipLoudly(postgresBin === null ? 'the PostgreSQL restart fault test: no PostgreSQL server binaries (set PANDASWEEP_TEST_PG_BIN)' : null);

describe.skipIf(postgresBin === null)('PostgreSQL restarted under a running sweep', () => {
  let server: PrivatePostgres;
  let prisma: PrismaClient;
  let databaseUrl: string;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    server = await startPrivatePostgres();
    databaseUrl = await server.createDatabase('pandasweep_faults');
    prisma = openPrisma(databaseUrl);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-pg-run-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await server?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes with every trial, judgment and standing recorded', async () => {
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-pg-restart'), stepSleepSeconds: 0.3 });
    const env: FaultEnv = { temporalAddress: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, databaseUrl, home: process.env.PANDASWEEP_FAULTS_HOME!, taskQueue: uniqueName('faults') };
    // The CLI that runs the sweep (with its in-process worker and progress display) must survive the outages too.
    const run = spawnCli(['run', sweep.file, '--json', '--worker'], env);
    processes.push(run);
    const crash = async (): Promise<void> => {
      await server.stop('immediate');
      await sleep(3_000);
      await server.start();
    };

    await waitFor('a training job running', () => prisma.job.findFirst({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null } }), { alive: [run] });
    await crash();
    await waitFor('judging under way', () => prisma.judgment.findFirst({ where: { match: { sweepId: sweep.sweepId } } }), { alive: [run], timeoutMs: 180_000, intervalMs: 50 });
    await crash();

    const exit = await run.exited;
    expect(exit.exitCode, exit.stderr).toBe(0);
    const summary = JSON.parse(exit.stdout.trim().split('\n').at(-1)!) as { best: { params: Record<string, unknown> }[] };
    expect(summary.best[0]!.params).toEqual(sweep.expectedBest);
    const outcome = await expectCompleteSweep(prisma, sweep);
    expect(outcome.bestParams).toEqual(sweep.expectedBest);
    // Every training curve is complete: 20 steps per trial, whichever attempt wrote them.
    const curves = await prisma.metric.groupBy({ by: ['trialId'], where: { name: 'loss', trial: { sweepId: sweep.sweepId } }, _count: true });
    expect(curves).toHaveLength(sweep.trials);
    for (const curve of curves) expect(curve._count, `loss points of ${curve.trialId}`).toBe(20);
  });
});
