/**
 * Reads what a fault sweep left in the database and checks the invariants every fault case must keep:
 * the sweep finished, every trial trained and answered once to completion, every match judged exactly
 * instructions x orders times, standings and a best trial recorded.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { expect } from 'vitest';
import { PrismaClient } from '../../../generated/prisma/client.js';
import { waitFor, type CliProcess } from './fault-harness.js';
import type { FaultSweep } from './write-fault-sweep.js';

/** A Prisma client on `url` (one small pool; close it with `$disconnect`). */
export function openPrisma(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }) });
}

/** The final state of a finished fault sweep. */
export interface SweepOutcome {
  /** Trial key of the recorded best trial. */
  readonly bestTrialKey: string;
  readonly bestParams: Record<string, unknown>;
  /** Job rows (every attempt) by trial key. */
  readonly jobsByTrial: ReadonlyMap<string, readonly { kind: string; attempt: number; exitCode: number | null; finishedAt: Date | null }[]>;
  readonly judgments: number;
}

/** Waits until `sweep` is recorded done, failing early if `worker` exits; allows the heartbeat recovery and 150 s more. */
export async function waitForSweepDone(prisma: PrismaClient, sweep: FaultSweep, worker: CliProcess, what = 'the sweep to finish'): Promise<void> {
  await waitFor(what, async () => (await prisma.sweep.findUnique({ where: { id: sweep.sweepId } }))?.status === 'done', {
    alive: [worker],
    timeoutMs: sweep.recoveryMs + 150_000,
    intervalMs: 500,
  });
}

/**
 * Asserts the finished-sweep invariants for `sweep` and returns its outcome. "Trained twice to
 * completion" means two attempts of one job kind that both exited 0: an attempt whose worker died has no
 * exit code, so at most one successful attempt per trial and kind is allowed.
 */
export async function expectCompleteSweep(prisma: PrismaClient, sweep: FaultSweep): Promise<SweepOutcome> {
  const { sweepId } = sweep;
  const record = await prisma.sweep.findUniqueOrThrow({ where: { id: sweepId } });
  expect(record.status, 'sweep status').toBe('done');

  const trials = await prisma.trial.findMany({ where: { sweepId }, include: { jobs: true } });
  expect(trials).toHaveLength(sweep.trials);
  const jobsByTrial = new Map<string, { kind: string; attempt: number; exitCode: number | null; finishedAt: Date | null }[]>();
  for (const trial of trials) {
    expect(trial.status, `trial ${trial.key}: ${trial.failureMessage ?? ''}`).toBe('done');
    expect(trial.checkpointPath, `trial ${trial.key} checkpoint`).not.toBeNull();
    for (const kind of ['train', 'generate']) {
      const succeeded = trial.jobs.filter((j) => j.kind === kind && j.exitCode === 0);
      expect(succeeded, `${kind} attempts of ${trial.key} that exited 0`).toHaveLength(1);
    }
    jobsByTrial.set(trial.key, trial.jobs.map((j) => ({ kind: j.kind, attempt: j.attempt, exitCode: j.exitCode, finishedAt: j.finishedAt })));
  }
  expect(await prisma.response.count({ where: { trial: { sweepId } } })).toBe(sweep.trials * sweep.instructions);

  const matches = await prisma.match.findMany({ where: { sweepId } });
  expect(matches).toHaveLength(sweep.matches);
  const perMatch = sweep.instructions * 2;
  const judgments = await prisma.judgment.groupBy({ by: ['matchId'], where: { match: { sweepId } }, _count: true });
  for (const match of matches) {
    expect(match.status, `match ${match.id}`).toBe('done');
    expect(match.aWins + match.bWins + match.ties, `match ${match.id} outcomes`).toBe(sweep.instructions);
    expect(judgments.find((j) => j.matchId === match.id)?._count, `judgments of ${match.id}`).toBe(perMatch);
  }
  const judgmentCount = judgments.reduce((n, j) => n + j._count, 0);
  expect(judgmentCount).toBe(sweep.matches * perMatch);

  expect(await prisma.standing.count({ where: { sweepId } })).toBe(sweep.trials);
  const best = await prisma.bestTrial.findFirstOrThrow({ where: { sweepId } });
  const bestTrial = trials.find((t) => t.id === best.trialId);
  expect(bestTrial, `best trial ${best.trialId} is one of the sweep's`).toBeDefined();
  return { bestTrialKey: bestTrial!.key, bestParams: bestTrial!.params as Record<string, unknown>, jobsByTrial, judgments: judgmentCount };
}

/**
 * The invariants of a finished early-terminated fault sweep: every trial a finalist or stopped early,
 * each of its stops trained and answered by exactly one successful attempt, its training steps logged
 * after the checkpoint it resumed from (a resumed stop went on, never restarted), every match judged once per
 * instruction and order it played, and the expected best trial picked at a checkpoint.
 */
export async function expectCompleteEarlyTerminatedSweep(prisma: PrismaClient, sweep: FaultSweep): Promise<SweepOutcome> {
  const { sweepId } = sweep;
  expect((await prisma.sweep.findUniqueOrThrow({ where: { id: sweepId } })).status, 'sweep status').toBe('done');
  const trials = await prisma.trial.findMany({ where: { sweepId }, include: { jobs: true, checkpoints: true } });
  expect(trials).toHaveLength(sweep.trials);
  const jobsByTrial = new Map<string, { kind: string; attempt: number; exitCode: number | null; finishedAt: Date | null }[]>();
  for (const trial of trials) {
    expect(['done', 'stopped'], `trial ${trial.key}: ${trial.status} ${trial.failureMessage ?? ''}`).toContain(trial.status);
    const stops = [...new Set(trial.jobs.map((j) => j.stopEpoch))].sort();
    expect(stops.sort(), `stops of ${trial.key}`).toEqual(trial.checkpoints.map((c) => c.epoch).sort());
    for (const stop of stops) {
      for (const kind of ['train', 'generate']) {
        expect(trial.jobs.filter((j) => j.kind === kind && j.stopEpoch === stop && j.exitCode === 0), `${kind} attempts of ${trial.key} at epoch ${stop} that exited 0`).toHaveLength(1);
      }
      expect(await prisma.response.count({ where: { trialId: trial.id, epoch: stop! } })).toBe(sweep.instructions);
    }
    // Resumed, never restarted: each successful stop logged only steps after the checkpoint it resumed
    // from, and the trial's steps end at its last checkpoint's. (Steps a killed attempt printed but its
    // worker never stored are gone, so the curve may have a gap, never a repeat.)
    const checkpointStep = (p: string) => Number(/(\d+)$/.exec(p)?.[1]);
    const checkpoints = [...trial.checkpoints].sort((a, b) => a.epoch - b.epoch);
    for (const [i, checkpoint] of checkpoints.entries()) {
      const job = trial.jobs.find((j) => j.kind === 'train' && j.stopEpoch === checkpoint.epoch && j.exitCode === 0)!;
      const steps = (await prisma.metric.findMany({ where: { jobId: job.id, name: 'loss' } })).map((m) => m.step);
      const from = i === 0 ? 0 : checkpointStep(checkpoints[i - 1]!.path);
      expect(Math.min(...steps), `first loss step of ${trial.key} trained to epoch ${checkpoint.epoch}`).toBeGreaterThan(from);
    }
    const lastStep = (await prisma.metric.aggregate({ where: { trialId: trial.id, name: 'loss' }, _max: { step: true } }))._max.step;
    expect(lastStep, `last loss step of ${trial.key}`).toBe(checkpointStep(checkpoints.at(-1)!.path));
    jobsByTrial.set(trial.key, trial.jobs.map((j) => ({ kind: j.kind, attempt: j.attempt, exitCode: j.exitCode, finishedAt: j.finishedAt })));
  }
  expect(trials.filter((t) => t.status === 'stopped').length).toBeGreaterThan(0);
  const matches = await prisma.match.findMany({ where: { sweepId }, include: { _count: { select: { judgments: true } } } });
  for (const match of matches) {
    expect(match.status, `match ${match.id}`).toBe('done');
    const played = match.aWins + match.bWins + match.ties;
    expect(played, `match ${match.id} outcomes`).toBe(match.stage.startsWith('rung-') ? 8 : sweep.instructions);
    expect(match._count.judgments, `judgments of ${match.id}`).toBe(played * 2);
  }
  const best = await prisma.bestTrial.findFirstOrThrow({ where: { sweepId } });
  expect(best.epoch).not.toBeNull();
  const bestTrial = trials.find((t) => t.id === best.trialId)!;
  return { bestTrialKey: bestTrial.key, bestParams: bestTrial.params as Record<string, unknown>, jobsByTrial, judgments: matches.reduce((n, m) => n + m._count.judgments, 0) };
}
