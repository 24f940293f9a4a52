/**
 * The paper's block tournament through the real workflows: 16 toy-trained trials in 4 blocks, a round
 * robin in each block, a cross-block final, judged by the `simulated` judge whose preferences are known
 * (it prefers the toy trainer's higher quality), on the real Temporal dev server and PostgreSQL; then the
 * best trial against the baseline (tuned vs default), which it never met in the tournament.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMatch } from '../../../core/judging/resolve-match.js';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('blocks tournament at small scale', () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-paper-small-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('plays every block round robin and the final, and picks the best configuration', async () => {
    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: home };
    const run = await runCli(['run', path.join(repoRoot, 'test/fixtures/sweeps/paper-small.yaml'), '--json', '--worker'], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    // toy/trainer.mjs: quality peaks at learning_rate 2e-5 and 3 epochs; the next best is 0.19 lower.
    expect(summary.best[0].params).toEqual({ learning_rate: 2e-5, epochs: 3 });

    const { prisma } = db;
    const trials = await prisma.trial.findMany({ where: { sweepId: 'paper-small' } });
    expect(trials).toHaveLength(16);
    const blocks = new Map<number, number>();
    for (const t of trials) blocks.set(t.block!, (blocks.get(t.block!) ?? 0) + 1);
    expect([...blocks.values()]).toEqual([4, 4, 4, 4]);

    const all = await prisma.match.findMany({ where: { sweepId: 'paper-small' } });
    const matches = all.filter((m) => m.stage !== 'confirm');
    const blockMatches = matches.filter((m) => m.stage === 'block');
    const finalMatches = matches.filter((m) => m.stage === 'final');
    expect(blockMatches).toHaveLength(4 * 6);
    expect(finalMatches).toHaveLength(6);
    // Every block match pairs two trials of that block, and the final pairs the four block winners.
    const blockOf = new Map(trials.map((t) => [t.id, t.block]));
    for (const m of blockMatches) expect(blockOf.get(m.trialAId)).toBe(blockOf.get(m.trialBId));
    const finalists = new Set(finalMatches.flatMap((m) => [m.trialAId, m.trialBId]));
    expect(finalists.size).toBe(4);
    expect(new Set([...finalists].map((id) => blockOf.get(id))).size).toBe(4);
    expect(finalists.has(`paper-small/${summary.best[0].trial}`)).toBe(true);

    // Tuned vs default: one confirmation match, best (A) against the baseline (B), judged on every
    // instruction in both orders because the two never met (the baseline cannot win its block).
    const baseline = trials.find((t) => t.isBaseline)!;
    expect(baseline.params).toEqual({ learning_rate: 2e-3, epochs: 10 });
    const bestId = `paper-small/${summary.best[0].trial}`;
    expect(matches.some((m) => new Set([m.trialAId, m.trialBId]).has(bestId) && new Set([m.trialAId, m.trialBId]).has(baseline.id))).toBe(false);
    const confirm = all.filter((m) => m.stage === 'confirm' && m.judgeId === 'simulated:seed=7,scale=10');
    expect(confirm).toHaveLength(1);
    expect([confirm[0]!.trialAId, confirm[0]!.trialBId]).toEqual([bestId, baseline.id]);
    const judged = await prisma.judgment.findMany({ where: { matchId: confirm[0]!.id } });
    expect(judged).toHaveLength(20 * 2);
    // The recorded counts are what the stored judgments resolve to under the paper's rule.
    const resolved = resolveMatch(judged.map((j) => ({ instructionId: j.instructionId, order: j.order === 2 ? 2 : 1, verdict: j.verdict as 0 | 1 | 2 })), 'paper');
    const recorded = await prisma.confirmation.findUniqueOrThrow({ where: { matchId: confirm[0]!.id } });
    expect(recorded).toMatchObject({ wins: resolved.aWins, losses: resolved.bWins, ties: resolved.ties, bestTrialId: bestId, baselineTrialId: baseline.id, judge: 'tournament' });
    expect(confirm[0]).toMatchObject({ aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties, status: 'done' });
    expect(recorded.winRate).toBeCloseTo((resolved.aWins + resolved.ties / 2) / 20, 10);
    expect(recorded.ciLow).toBeLessThanOrEqual(recorded.winRate);
    expect(recorded.ciHigh).toBeGreaterThanOrEqual(recorded.winRate);
    // The best configuration is far better than the worst: the judge prefers it on most instructions.
    expect(recorded.winRate).toBeGreaterThan(0.5);
    expect(summary.tunedVsDefault).toEqual([
      expect.objectContaining({ baseModel: 'toy-7b', state: 'confirmed', best: summary.best[0].trial, baseline: baseline.key, wins: resolved.aWins, losses: resolved.bWins, ties: resolved.ties }),
    ]);
    expect(run.stdout.replace(/\n/g, ' ')).toContain(`Tuned vs default (toy-7b): best ${summary.best[0].trial.slice(0, 8)} vs baseline ${baseline.key.slice(0, 8)} over 20 instructions`);

    // The second opinion (confirm.judges): the same pairing judged apart by another judge, whose agreement
    // with the tournament judge is counted per instruction.
    const other = all.filter((m) => m.stage === 'confirm' && m.id !== confirm[0]!.id);
    expect(other).toHaveLength(1);
    expect(other[0]).toMatchObject({ trialAId: bestId, trialBId: baseline.id, judgeId: 'simulated:seed=11,scale=4', status: 'done' });
    const theirs = await prisma.judgment.findMany({ where: { matchId: other[0]!.id } });
    expect(theirs).toHaveLength(20 * 2);
    const second = resolveMatch(theirs.map((j) => ({ instructionId: j.instructionId, order: j.order === 2 ? 2 : 1, verdict: j.verdict as 0 | 1 | 2 })), 'paper');
    const ours = new Map(resolved.perInstruction.map((o) => [o.instructionId, o.scoreA]));
    const agreed = second.perInstruction.filter((o) => ours.get(o.instructionId) === o.scoreA).length;
    const secondRow = await prisma.confirmation.findUniqueOrThrow({ where: { matchId: other[0]!.id } });
    expect(secondRow).toMatchObject({ judge: 'second-opinion', wins: second.aWins, losses: second.bWins, ties: second.ties, agreed, shared: 20 });
    expect(summary.tunedVsDefault[0].secondOpinions).toEqual([expect.objectContaining({ judge: 'second-opinion', wins: second.aWins, agreed, shared: 20 })]);
    expect(run.stdout.replace(/\n/g, ' ')).toContain(`agrees with the tournament judge on ${agreed} of 20 instructions`);

    expect(await prisma.judgment.count()).toBe(30 * 20 * 2 + 2 * 20 * 2);
    const standings = await prisma.standing.findMany({ where: { sweepId: 'paper-small' }, orderBy: { rank: 'asc' } });
    expect(standings).toHaveLength(16);
    expect(standings[0]!.trialId).toBe(`paper-small/${summary.best[0].trial}`);
    // The confirmation is not part of the tournament's standings: each match counts twice (A and B).
    expect(standings.reduce((n, s) => n + s.matches, 0)).toBe(2 * 30);

    // Downstream evaluation (the `evaluate` job, a stand-in for the lm-evaluation-harness): the best two
    // by rank and the baseline, each once, with the job's metric line and its JSON file's numbers stored.
    const evaluated = standings.slice(0, 2).map((s) => s.trialId).concat(baseline.id);
    const evaluateJobs = await prisma.job.findMany({ where: { kind: 'evaluate' } });
    expect(evaluateJobs.map((j) => j.trialId).sort()).toEqual([...evaluated].sort());
    expect(evaluateJobs.every((j) => j.exitCode === 0)).toBe(true);
    for (const trialId of evaluated) {
      const trial = trials.find((t) => t.id === trialId)!;
      const quality = (trial.finalMetrics as { quality: number }).quality;
      const rows = await prisma.evaluationMetric.findMany({ where: { trialId }, orderBy: { name: 'asc' } });
      expect(rows.map((r) => [r.name, r.value])).toEqual([['toy_loss', Math.round((1.2 - quality) * 1e6) / 1e6], ['toy_task/acc', quality], ['toy_task/acc_stderr', 0.01]]);
      expect((await prisma.trial.findUniqueOrThrow({ where: { id: trialId } })).evaluationStatus).toBe('done');
    }
    // The other trials were not evaluated, and training curves hold no evaluation numbers.
    expect(await prisma.trial.count({ where: { sweepId: 'paper-small', evaluationStatus: { not: null } } })).toBe(3);
    expect(await prisma.metric.count({ where: { name: { startsWith: 'toy_' } } })).toBe(0);
    expect(summary.evaluations[0].trials.map((t: { trialKey: string; role: string }) => t.role)).toEqual(['#1', '#2', `#${standings.find((s) => s.trialId === baseline.id)!.rank} baseline`]);
    expect(run.stdout).toContain('Downstream evaluation (toy-7b):');

    // Running the finished sweep again does no new work: no new jobs (evaluations included) or judgments.
    const again = await runCli(['run', path.join(repoRoot, 'test/fixtures/sweeps/paper-small.yaml'), '--json', '--worker'], { env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(await prisma.job.count()).toBe(16 * 2 + 3);
    expect(await prisma.judgment.count()).toBe(30 * 20 * 2 + 2 * 20 * 2);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!).evaluations).toEqual(summary.evaluations);

    // An edited evaluate job (here its env) evaluates the same trials again, and nothing else runs again.
    // The edited copy sits beside the fixture so that every other path in it, and so every other digest, stays the same.
    const before = (await prisma.trial.findMany({ where: { id: { in: evaluated } }, select: { evaluationJob: true } })).map((t) => t.evaluationJob);
    const editedAt = new Date();
    const fixtureDir = path.join(repoRoot, 'test/fixtures/sweeps');
    const editedFile = path.join(fixtureDir, `.paper-small-edited-${process.pid}.yaml`);
    await writeFile(editedFile, (await readFile(path.join(fixtureDir, 'paper-small.yaml'), 'utf8')).replace('  top: 2\n', '  top: 2\n  env:\n    EVAL_VARIANT: "2"\n'));
    const third = await runCli(['run', editedFile, '--json', '--worker'], { env }).finally(() => rm(editedFile, { force: true }));
    expect(third.exitCode, third.stderr).toBe(0);
    // Each evaluation ran again, as a new attempt after the earlier run's, whose rows stay as they were.
    const after = await prisma.trial.findMany({ where: { id: { in: evaluated } }, select: { evaluationJob: true, evaluationStatus: true } });
    expect(after.every((t) => t.evaluationStatus === 'done' && t.evaluationJob !== null && !before.includes(t.evaluationJob))).toBe(true);
    const rerun = await prisma.job.findMany({ where: { kind: 'evaluate' }, orderBy: { attempt: 'asc' } });
    for (const trialId of evaluated) {
      const attempts = rerun.filter((j) => j.trialId === trialId);
      expect(attempts.map((j) => [j.attempt, j.exitCode])).toEqual([[1, 0], [2, 0]]);
      expect(attempts[0]!.finishedAt! < editedAt && attempts[1]!.startedAt > editedAt).toBe(true);
    }
    expect(await prisma.job.count()).toBe(16 * 2 + 3 * 2);
    expect((await prisma.job.findMany({ where: { kind: { not: 'evaluate' } } })).every((j) => j.finishedAt! < editedAt)).toBe(true);
    expect(await prisma.judgment.count()).toBe(30 * 20 * 2 + 2 * 20 * 2);
    expect(JSON.parse(third.stdout.trim().split('\n').at(-1)!).evaluations).toEqual(summary.evaluations);
    for (const s of standings) {
      expect(s.ciLow).toBeLessThanOrEqual(s.rating);
      expect(s.ciHigh).toBeGreaterThanOrEqual(s.rating);
    }
  });
});
