/**
 * Early termination end to end: `pandasweep run sweeps/demo-early-stop.yaml` against the real Temporal
 * dev server and PostgreSQL, the toy trainer as real child processes (a stand-in for a fine-tune that
 * stops at its rung and resumes from its checkpoint) and the simulated judge, whose verdicts follow the
 * toy's known qualities, so the expected pick is known in advance.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, repoRoot } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const sweepFile = path.join(repoRoot, 'sweeps/demo-early-stop.yaml');

describe('a sweep with early termination (toy trainer, simulated judge)', () => {
  let db: TestDatabase;
  let home: string;
  let env: Record<string, string>;
  let run: { exitCode: number; stdout: string; stderr: string };
  beforeAll(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-early-'));
    env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: home };
    run = await runCli(['run', sweepFile, '--json', '--worker'], { env });
  }, 240_000);
  afterAll(async () => {
    await db?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('stops most trials at the first rung and picks the best checkpoint: a trial and an epoch', async () => {
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { best: { trial: string; epoch: number; checkpoint: string; params: Record<string, unknown> }[]; trials: { done: number; failed: number; stopped: number } };
    // The toy's quality peaks at 2e-5 and 3 epochs (toy/trainer.mjs), fully trained.
    expect(summary.best).toEqual([expect.objectContaining({ epoch: 3, params: { learning_rate: 2e-5, epochs: 3 } })]);
    expect(summary.best[0]!.checkpoint).toMatch(/checkpoint\/step-12$/);
    const trials = await db.prisma.trial.findMany();
    expect(trials).toHaveLength(9);
    const byStatus = (status: string) => trials.filter((t) => t.status === status);
    expect(byStatus('stopped').length).toBeGreaterThanOrEqual(6);
    expect(byStatus('done').length + byStatus('stopped').length).toBe(9);
    expect(summary.trials).toEqual({ done: byStatus('done').length, failed: 0, stopped: byStatus('stopped').length });
    // A stopped trial trained one epoch of its schedule, and its checkpoint answered every instruction.
    for (const t of byStatus('stopped')) {
      expect(t.epochsTrained).toBeLessThan(t.epochs!);
      expect(await db.prisma.response.count({ where: { trialId: t.id, epoch: t.epochsTrained! } })).toBe(10);
    }
    expect(run.stdout).toMatch(/Early termination \(toy-7b\): rungs 9 at epoch 1 \(\d stopped\)/);
    expect(run.stdout).toContain(`Best: ${summary.best[0]!.trial} at epoch 3`);
  });

  it('resumes a promoted trial from its rung checkpoint: its steps go on, its rungs are kept', async () => {
    const best = await db.prisma.bestTrial.findFirstOrThrow();
    expect(best.epoch).toBe(3);
    const checkpoints = await db.prisma.checkpoint.findMany({ where: { trialId: best.trialId }, orderBy: { epoch: 'asc' } });
    expect(checkpoints.map((c) => [c.epoch, c.rung])).toEqual([[1, 0], [3, 1]]);
    expect(checkpoints.map((c) => path.basename(c.path))).toEqual(['step-4', 'step-12']);
    const jobs = await db.prisma.job.findMany({ where: { trialId: best.trialId, kind: 'train' }, orderBy: { attempt: 'asc' } });
    expect(jobs.map((j) => j.stopEpoch)).toEqual([1, 3]);
    const loss = await db.prisma.metric.findMany({ where: { trialId: best.trialId, name: 'loss' }, orderBy: { step: 'asc' } });
    // One curve, steps 1 to 12 once each: the second stop went on from step 5 and its job row holds those.
    expect(loss.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(new Set(loss.filter((m) => m.step > 4).map((m) => m.jobId))).toEqual(new Set([jobs[1]!.id]));
  });

  it('judged rung matches at each rung, then ranked the finalists\' checkpoints', async () => {
    const matches = await db.prisma.match.findMany();
    expect(matches.every((m) => m.status === 'done')).toBe(true);
    const stages = new Set(matches.map((m) => m.stage));
    expect(stages).toEqual(new Set(['rung-1', 'rung-2', 'round-robin']));
    // Rung matches are short: at most `instructions` of the 10, both orders.
    for (const m of matches.filter((x) => x.stage.startsWith('rung-'))) expect(m.aWins + m.bWins + m.ties).toBeLessThanOrEqual(10);
    const standings = await db.prisma.standing.findMany({ orderBy: { rank: 'asc' } });
    expect(standings.every((s) => s.epoch > 0)).toBe(true);
    expect(standings[0]).toMatchObject({ trialId: (await db.prisma.bestTrial.findFirstOrThrow()).trialId, epoch: 3 });
  });

  it('a rerun reuses every stop and every judgment', async () => {
    const before = { jobs: await db.prisma.job.count(), judgments: await db.prisma.judgment.count(), matches: await db.prisma.match.count() };
    const again = await runCli(['run', sweepFile, '--json', '--worker'], { env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect({ jobs: await db.prisma.job.count(), judgments: await db.prisma.judgment.count(), matches: await db.prisma.match.count() }).toEqual(before);
    const status = await runCli(['status', 'demo-early-stop', '--json'], { env });
    const report = JSON.parse(status.stdout) as { best: { epoch: number }[]; earlyTermination: { rungs: { epoch: number; checkpoints: number }[]; epochsTrained: number; epochsPlanned: number }[] };
    expect(report.best[0]!.epoch).toBe(3);
    expect(report.earlyTermination[0]).toMatchObject({ rungs: [{ epoch: 1, checkpoints: 9 }, { epoch: 3 }], epochsPlanned: 27 });
    expect(report.earlyTermination[0]!.epochsTrained).toBeLessThanOrEqual(16);
  });
});
