/**
 * The whole path on a real LLM, as CI runs it every time: the quick start's sweep (sweeps/smollm2-lora.yaml)
 * cut down to two trials, a few training steps and three instructions, run by the real `pandasweep` CLI
 * against the Temporal dev server and PostgreSQL. The shipped jobs LoRA-tune SmolLM2-135M-Instruct with
 * Hugging Face's Trainer and PEFT as real child processes, generate with transformers, and SmolLM2 judges
 * through node-llama-cpp with PandaLM's prompt. Nothing here is simulated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsPython, realModelMissing, smolLM2Path } from '../support/real-model.js';
import { repoRoot, runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { writeQuickStartSweep } from '../support/quick-start-sweep.js';

const instructions = 3;
const epochs = 2;

/** The quick start's sweep file, reduced to what CI can afford; every job and the judge stay real. */
function writeReducedSweep(dir: string): Promise<string> {
  return writeQuickStartSweep(dir, {
    name: 'smollm2-ci',
    instructions,
    maxNewTokens: 32,
    edit: (sweep) => {
      // Two learning rates a decade apart, high enough that 4 steps visibly lower the loss.
      sweep.parameters.learning_rate = { values: [1e-3, 1e-2] };
      sweep.parameters.num_train_epochs = { value: epochs };
      sweep.parameters.max_train_samples = { value: 8 };
      sweep.parameters.model_max_length = { value: 160 };
      // The baseline stays one of the two trials, so the run ends with tuned vs default at no extra fine-tune.
      sweep.baseline.params = { learning_rate: 1e-3 };
      // Two held-out pairs are enough to score each evaluated trial for real.
      sweep.evaluate.command = (sweep.evaluate.command as string[]).map((arg) => (arg.startsWith('--limit=') ? '--limit=2' : arg));
      // A second opinion on tuned vs default: the same model through another prompt, a judge of its own.
      sweep.confirm = { judges: [{ config: path.join(repoRoot, 'configs/judges/smollm2-custom.yaml'), resolution: 'probability' }] };
    },
  });
}

describe.skipIf(realModelMissing({ python: true }) !== null)('a real LoRA sweep on SmolLM2-135M-Instruct', () => {
  let db: TestDatabase;
  let dir: string;
  let run: { exitCode: number; stdout: string; stderr: string };
  let summary: {
    sweepId: string;
    best: { baseModel: string; trial: string | null; checkpoint: string | null }[];
    tunedVsDefault: {
      state: string;
      best: string | null;
      baseline: string | null;
      wins: number | null;
      losses: number | null;
      ties: number | null;
      secondOpinions: { judge: string; judgeId: string; wins: number; ties: number; losses: number; shared: number | null }[];
    }[];
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-real-'));
    const sweepFile = await writeReducedSweep(dir);
    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') };
    run = await runCli(['run', sweepFile, '--json', '--worker'], { env, timeoutMs: 540_000 });
    summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs to the end and records a best trial with its checkpoint', async () => {
    expect(run.exitCode, run.stderr).toBe(0);
    const trials = await db.prisma.trial.findMany();
    expect(trials.map((t) => t.status)).toEqual(['done', 'done']);
    const best = await db.prisma.bestTrial.findFirstOrThrow();
    const bestTrial = trials.find((t) => t.id === best.trialId)!;
    expect(best.checkpointPath).toBe(bestTrial.checkpointPath);
    expect(summary.best).toEqual([{ baseModel: 'smollm2-135m', trial: bestTrial.key, epoch: null, checkpoint: best.checkpointPath, params: expect.any(Object) }]);
  });

  it('saved a LoRA adapter per trial, with the final metrics the trainer wrote', async () => {
    for (const trial of await db.prisma.trial.findMany()) {
      const checkpoint = trial.checkpointPath!;
      const adapter = JSON.parse(readFileSync(path.join(checkpoint, 'adapter_config.json'), 'utf8'));
      expect(adapter.peft_type).toBe('LORA');
      expect([...adapter.target_modules].sort()).toEqual(['q_proj', 'v_proj']);
      expect(existsSync(path.join(checkpoint, 'adapter_model.safetensors'))).toBe(true);
      const metrics = trial.finalMetrics as Record<string, number>;
      expect(metrics.train_steps).toBe(epochs * 2);
      expect(metrics.train_loss).toBeGreaterThan(0);
    }
  });

  it('stored training curves in which the loss went down', async () => {
    for (const trial of await db.prisma.trial.findMany()) {
      const points = await db.prisma.metric.findMany({ where: { trialId: trial.id }, orderBy: { step: 'asc' } });
      const loss = points.filter((p) => p.name === 'loss');
      expect(loss.map((p) => p.step)).toEqual([1, 2, 3, 4]);
      expect(points.some((p) => p.name === 'learning_rate')).toBe(true);
      expect(points.some((p) => p.name === 'grad_norm')).toBe(true);
      // The same 8 examples each epoch (2 steps of 4): the second epoch's mean loss is the lower one.
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const [first, second] = [mean(loss.slice(0, 2).map((p) => p.value)), mean(loss.slice(2).map((p) => p.value))];
      expect(second, `loss per step: ${loss.map((p) => p.value.toFixed(3)).join(', ')}`).toBeLessThan(first);
      // The summary line Trainer logs at the last step sits beside that step's loss, not over it.
      expect(points.some((p) => p.step === 4 && p.name === 'train_loss')).toBe(true);
    }
  });

  it('generated answers that differ between the two tuned models', async () => {
    const responses = await db.prisma.response.findMany({ orderBy: [{ trialId: 'asc' }, { instructionId: 'asc' }] });
    expect(responses).toHaveLength(2 * instructions);
    const [a, b] = [...new Set(responses.map((r) => r.trialId))].map((trialId) => responses.filter((r) => r.trialId === trialId).map((r) => r.text));
    expect(a!.some((text) => text.trim().length > 0)).toBe(true);
    expect(a).not.toEqual(b);
  });

  it('judged the match in both orders with first-token probabilities from the real model', async () => {
    const judgments = await db.prisma.judgment.findMany({ where: { judgeId: `llama:pandalm:${smolLM2Path}` } });
    expect(judgments).toHaveLength(instructions * 2);
    for (const j of judgments) {
      expect(j.judgeId).toBe(`llama:pandalm:${smolLM2Path}`);
      const p = [j.probTie!, j.probOne!, j.probTwo!];
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 5);
      expect(p.indexOf(Math.max(...p))).toBe(j.verdict);
    }
    // A real model's probabilities vary with the answers; identical triples would mean a fixed output.
    expect(new Set(judgments.map((j) => j.probOne!.toFixed(6))).size).toBeGreaterThan(1);
    // Every judgment counts its prompt tokens. Judged in prefix order, every prompt after the first reuses
    // at least the cached header, and each instruction's second order also the instruction.
    for (const j of judgments) {
      expect(j.evaluatedTokens).toBeGreaterThan(0);
      expect(j.evaluatedTokens).toBeLessThanOrEqual(j.promptTokens!);
    }
    expect(judgments.filter((j) => j.evaluatedTokens === j.promptTokens)).toHaveLength(1);
  });

  it('ends with the best trial against the baseline, from the judgments of their match', async () => {
    const baseline = await db.prisma.trial.findFirstOrThrow({ where: { isBaseline: true } });
    expect(baseline.params).toMatchObject({ learning_rate: 1e-3 });
    const [tuned] = summary.tunedVsDefault;
    const printed = run.stdout.replace(/\n/g, ' ');
    // Which trial wins is the real judge's call on three instructions; each outcome has its own checks.
    if (summary.best[0]!.trial === baseline.key) {
      // The defaults won the tournament: nothing to confirm, and the run says so.
      expect(tuned).toMatchObject({ state: 'baseline-best', baseline: baseline.key });
      expect(printed).toContain('won the tournament: no configuration beat the defaults');
      expect(await db.prisma.match.count({ where: { stage: 'confirm' } })).toBe(0);
      return;
    }
    // The two met in the round robin: the confirmation judged nothing new and agrees with that match.
    const confirm = await db.prisma.match.findFirstOrThrow({ where: { stage: 'confirm' } });
    const met = await db.prisma.match.findFirstOrThrow({ where: { stage: 'round-robin' } });
    expect(await db.prisma.judgment.count({ where: { matchId: confirm.id } })).toBe(0);
    const [bestWins, baselineWins] = met.trialAId === confirm.trialAId ? [met.aWins, met.bWins] : [met.bWins, met.aWins];
    expect(tuned).toMatchObject({ state: 'confirmed', best: summary.best[0]!.trial, baseline: baseline.key, wins: bestWins, losses: baselineWins, ties: met.ties });
    expect(printed).toContain('Tuned vs default (smollm2-135m): best');
    // The second opinion judged the pairing itself, in both orders, with its own prompt.
    const second = await db.prisma.judgment.findMany({ where: { judgeId: `llama:custom:${smolLM2Path}` } });
    expect(second).toHaveLength(instructions * 2);
    expect(new Set(second.map((j) => j.matchId)).size).toBe(1);
    expect(tuned!.secondOpinions).toEqual([expect.objectContaining({ judge: 'smollm2-custom', judgeId: `llama:custom:${smolLM2Path}`, shared: instructions })]);
    expect(tuned!.secondOpinions[0]!.wins + tuned!.secondOpinions[0]!.ties + tuned!.secondOpinions[0]!.losses).toBe(instructions);
    expect(printed).toContain('Second opinion by smollm2-custom:');
  });

  it('scored the best trial and the baseline downstream on held-out pairs, with the real model', async () => {
    const evaluated = await db.prisma.trial.findMany({ where: { evaluationStatus: { not: null } }, include: { evaluationMetrics: true } });
    const baseline = await db.prisma.trial.findFirstOrThrow({ where: { isBaseline: true } });
    // The best trial and the baseline: one trial when the baseline won.
    expect(evaluated.map((t) => t.key).sort()).toEqual([...new Set([summary.best[0]!.trial!, baseline.key])].sort());
    for (const trial of evaluated) {
      expect(trial.evaluationStatus, trial.evaluationError ?? '').toBe('done');
      const value = (name: string) => trial.evaluationMetrics.find((m) => m.name === name)?.value;
      const loss = value('heldout/loss')!;
      expect(loss).toBeGreaterThan(0);
      expect(value('heldout/perplexity')).toBeCloseTo(Math.exp(loss), 6);
      expect(value('heldout/token_accuracy')).toBeGreaterThan(0);
      expect(value('heldout/token_accuracy')).toBeLessThan(1);
      // The job's metric line counts the answer tokens it scored.
      expect(Number.isInteger(value('heldout_answer_tokens'))).toBe(true);
      expect(value('heldout_answer_tokens')).toBeGreaterThan(0);
    }
    // Two tuned models predict the references differently.
    if (evaluated.length === 2) expect(evaluated[0]!.evaluationMetrics.find((m) => m.name === 'heldout/loss')!.value).not.toBe(evaluated[1]!.evaluationMetrics.find((m) => m.name === 'heldout/loss')!.value);
    expect(run.stdout).toContain('Downstream evaluation (smollm2-135m):');
  });

  it('prints a best checkpoint that loads and answers, as the README shows', async () => {
    const checkpoint = summary.best[0]!.checkpoint!;
    const answer = await execa(jobsPython, ['trainers/generate.py', `--base_model=${smolLM2Path}`, `--checkpoint=${checkpoint}`, '--instruction=Name the capital of France.', '--max_new_tokens=24'], {
      cwd: repoRoot,
      reject: false,
      env: { OMP_NUM_THREADS: '2' },
    });
    expect(answer.exitCode, String(answer.stderr)).toBe(0);
    expect(String(answer.stdout).trim().length, String(answer.stderr)).toBeGreaterThan(0);
  });
});
