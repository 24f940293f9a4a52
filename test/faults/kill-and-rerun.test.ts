/**
 * Fault case 6 (issue 7): a `pandasweep run` (the only worker, in-process) killed with SIGKILL at a
 * seeded random moment and then simply run again with the same sweep file gives the same best trial as
 * an uninterrupted run of the same sweep. Set PANDASWEEP_FAULT_SEED to try another moment; a failure
 * prints the seed and the kill time so it reproduces.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/tournament/seeded-random.js';
import { spawnCli, uniqueName, type CliExit, type CliProcess, type FaultEnv } from '../support/faults/fault-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectCompleteSweep } from '../support/faults/read-sweep-outcome.js';
import { writeFaultSweep } from '../support/faults/write-fault-sweep.js';

const seed = Number(process.env.PANDASWEEP_FAULT_SEED ?? 7);

interface RunSummary {
  readonly sweepId: string;
  readonly best: readonly { readonly baseModel: string; readonly trial: string; readonly params: Record<string, unknown> }[];
}

function summaryOf(exit: CliExit): RunSummary {
  expect(exit.exitCode, exit.stderr).toBe(0);
  return JSON.parse(exit.stdout.trim().split('\n').at(-1)!) as RunSummary;
}

describe('a run killed at a random moment and run again', () => {
  let reference: TestDatabase;
  let interrupted: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    [reference, interrupted] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-rerun-'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  });
  afterAll(async () => {
    await Promise.all([reference?.drop(), interrupted?.drop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it(`gives the same best trial as an uninterrupted run (seed ${seed})`, async () => {
    const options = { stepSleepSeconds: 0.2, answerSleepSeconds: 0.1 };
    const home = process.env.PANDASWEEP_FAULTS_HOME!;
    const temporalAddress = process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!;

    // The uninterrupted run, timed, so the kill can land anywhere in a run of the same length.
    const uninterruptedSweep = await writeFaultSweep(dir, { name: uniqueName('fault-rerun-reference'), ...options });
    const referenceEnv: FaultEnv = { temporalAddress, databaseUrl: reference.url, home, taskQueue: uniqueName('faults') };
    const startedAt = performance.now();
    const referenceRun = spawnCli(['run', uninterruptedSweep.file, '--json', '--worker'], referenceEnv);
    processes.push(referenceRun);
    const expected = summaryOf(await referenceRun.exited);
    const referenceMs = performance.now() - startedAt;
    await expectCompleteSweep(reference.prisma, uninterruptedSweep);

    const sweep = await writeFaultSweep(dir, { name: uniqueName('fault-rerun'), ...options });
    const env: FaultEnv = { temporalAddress, databaseUrl: interrupted.url, home, taskQueue: uniqueName('faults') };
    const killAfterMs = Math.round(1_000 + seededRandom(seed)() * (0.9 * referenceMs - 1_000));
    const first = spawnCli(['run', sweep.file, '--json', '--worker'], env);
    processes.push(first);
    const outcomeOfFirst = await Promise.race([first.exited.then(() => 'finished' as const), sleep(killAfterMs).then(() => 'due' as const)]);
    expect(outcomeOfFirst, `the run ended before its kill at ${killAfterMs} ms (reference run: ${Math.round(referenceMs)} ms)`).toBe('due');
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');

    // Run again, from scratch: the same command with the same sweep file, nothing else.
    const again = spawnCli(['run', sweep.file, '--json', '--worker'], env);
    processes.push(again);
    const rerun = summaryOf(await again.exited);
    const context = `seed ${seed}: killed after ${killAfterMs} ms of a ${Math.round(referenceMs)} ms run`;
    expect(rerun.best.map((b) => [b.baseModel, b.trial, b.params]), context).toEqual(expected.best.map((b) => [b.baseModel, b.trial, b.params]));
    const outcome = await expectCompleteSweep(interrupted.prisma, sweep);
    expect(outcome.bestTrialKey, context).toBe(expected.best[0]!.trial);
  });
});

