/**
 * The walking skeleton end to end: `pandasweep run sweeps/demo.yaml --json` as a child process against
 * the real Temporal dev server and a real PostgreSQL database, with the toy trainer as real child
 * processes and the `simulated` judge (the demo's judge: a judge model cannot run on this machine's
 * budget for a fixed expected winner; the PandaLM backend runs end to end in test/judge/).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, repoRoot } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('pandasweep run sweeps/demo.yaml', () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-demo-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('trains, judges and records the best trial, from another folder', async () => {
    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: home };
    const run = await runCli(['run', path.join(repoRoot, 'sweeps/demo.yaml'), '--json', '--worker'], { cwd: os.tmpdir(), env });
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.exitCode, run.stderr).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
      sweepId: string;
      best: { baseModel: string; trial: string; checkpoint: string; params: Record<string, unknown> }[];
      tunedVsDefault: { state: string; wins: number; losses: number; ties: number }[];
    };
    expect(last.sweepId).toBe('demo');
    expect(last.best).toHaveLength(1);
    expect(last.best[0]!.baseModel).toBe('toy-7b');
    // The toy trainer's quality peaks at learning_rate 2e-5 and 3 epochs (toy/trainer.mjs).
    expect(last.best[0]!.params).toEqual({ learning_rate: 2e-5, epochs: 3 });

    const { prisma } = db;
    const trials = await prisma.trial.findMany({ where: { sweepId: 'demo' } });
    expect(trials).toHaveLength(4);
    expect(trials.every((t) => t.status === 'done' && t.checkpointPath !== null)).toBe(true);
    const jobs = await prisma.job.findMany();
    expect(jobs).toHaveLength(8);
    expect(jobs.every((j) => j.exitCode === 0 && j.finishedAt !== null)).toBe(true);
    expect(await prisma.metric.count()).toBeGreaterThan(0);
    expect(await prisma.response.count()).toBe(4 * 10);
    const matches = await prisma.match.findMany();
    // The round robin, then the best trial against the baseline (tuned vs default).
    expect(matches).toHaveLength(6 + 1);
    expect(matches.every((m) => m.status === 'done' && m.aWins + m.bWins + m.ties === 10)).toBe(true);
    expect(await prisma.judgment.count()).toBe(6 * 10 * 2);
    // The two met in the round robin: the confirmation judged nothing new and agrees with that match.
    const confirm = matches.find((m) => m.stage === 'confirm')!;
    const baseline = trials.find((t) => t.isBaseline)!;
    expect(baseline.params).toEqual({ learning_rate: 1e-4, epochs: 1 });
    expect([confirm.trialAId, confirm.trialBId]).toEqual([`demo/${last.best[0]!.trial}`, baseline.id]);
    expect(await prisma.judgment.count({ where: { matchId: confirm.id } })).toBe(0);
    const met = matches.find((m) => m.stage === 'round-robin' && new Set([m.trialAId, m.trialBId, confirm.trialAId, confirm.trialBId]).size === 2)!;
    const [bestWins, baselineWins] = met.trialAId === confirm.trialAId ? [met.aWins, met.bWins] : [met.bWins, met.aWins];
    expect([confirm.aWins, confirm.bWins, confirm.ties]).toEqual([bestWins, baselineWins, met.ties]);
    expect(last.tunedVsDefault).toEqual([expect.objectContaining({ state: 'confirmed', wins: bestWins, losses: baselineWins, ties: met.ties })]);
    expect(run.stdout).toContain('Tuned vs default (toy-7b):');
    expect(await prisma.standing.count()).toBe(4);
    const best = await prisma.bestTrial.findUniqueOrThrow({ where: { sweepId_baseModelId: { sweepId: 'demo', baseModelId: 'toy-7b' } } });
    expect(best.trialId).toBe(`demo/${last.best[0]!.trial}`);
    expect(best.checkpointPath).toBe(last.best[0]!.checkpoint);
    expect((await prisma.sweep.findUniqueOrThrow({ where: { id: 'demo' } })).status).toBe('done');

    // Running the finished sweep again does no new work: no new jobs, judgments or matches.
    const again = await runCli(['run', path.join(repoRoot, 'sweeps/demo.yaml'), '--json', '--worker'], { cwd: os.tmpdir(), env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!).best[0].trial).toBe(last.best[0]!.trial);
    expect(await prisma.job.count()).toBe(8);
    expect(await prisma.judgment.count()).toBe(120);
    expect(await prisma.match.count()).toBe(7);
    expect(await prisma.confirmation.count()).toBe(1);
  });
});
