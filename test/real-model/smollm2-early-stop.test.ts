/**
 * Early termination on a real LLM, as CI runs it every time: the quick start's sweep reduced to three
 * learning rates x 2 epochs with `earlyTerminate` (one rung at epoch 1, eta 3), run by the real
 * `pandasweep` CLI against the Temporal dev server and PostgreSQL. Each trial LoRA-tunes
 * SmolLM2-135M-Instruct with Hugging Face's Trainer (trainers/finetune.py --stop_at_epoch) as a real
 * child process, its epoch-1 checkpoint answers with transformers and SmolLM2 judges the rung through
 * node-llama-cpp; the one promoted trial resumes from that checkpoint. Nothing here is simulated.
 */
import { existsSync } from 'node:fs';
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
/** 8 examples in batches of 4: 2 optimizer steps per epoch. */
const stepsPerEpoch = 2;

/** The quick start's sweep with early termination, cut to what CI can afford; every job and the judge stay real. */
function writeEarlyStopSweep(dir: string): Promise<string> {
  return writeQuickStartSweep(dir, {
    name: 'smollm2-ci-early-stop',
    instructions,
    maxNewTokens: 24,
    edit: (sweep) => {
      sweep.parameters.learning_rate = { values: [1e-5, 1e-3, 1e-2] };
      sweep.parameters.num_train_epochs = { value: 2 };
      sweep.parameters.max_train_samples = { value: 8 };
      sweep.parameters.model_max_length = { value: 160 };
      sweep.earlyTerminate = { type: 'asha', minEpochs: 1, instructions };
      sweep.train.command = [...(sweep.train.command as string[]), '--stop_at_epoch={{trial.stopEpoch}}'];
      delete sweep.baseline;
      delete sweep.evaluate;
      sweep.concurrency = { trials: 2, matches: 1 };
    },
  });
}

describe.skipIf(realModelMissing({ python: true }) !== null)('a real LoRA sweep with early termination on SmolLM2-135M-Instruct', () => {
  let db: TestDatabase;
  let dir: string;
  let run: { exitCode: number; stdout: string; stderr: string };
  let summary: { best: { trial: string; epoch: number | null; checkpoint: string }[]; trials: { done: number; failed: number; stopped: number } };

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-real-early-'));
    const sweepFile = await writeEarlyStopSweep(dir);
    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') };
    run = await runCli(['run', sweepFile, '--json', '--worker'], { env, timeoutMs: 540_000 });
    summary = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}');
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops two of the three trials at the rung, after one epoch of their two', async () => {
    expect(run.exitCode, run.stderr).toBe(0);
    const trials = await db.prisma.trial.findMany();
    expect(trials.map((t) => t.status).sort()).toEqual(['done', 'stopped', 'stopped']);
    expect(summary.trials).toEqual({ done: 1, failed: 0, stopped: 2 });
    for (const t of trials.filter((t) => t.status === 'stopped')) {
      expect(t.epochsTrained).toBe(1);
      // Its rung checkpoint is kept and answered every instruction.
      const [checkpoint] = await db.prisma.checkpoint.findMany({ where: { trialId: t.id } });
      expect(checkpoint).toMatchObject({ epoch: 1, rung: 0 });
      expect(path.basename(checkpoint!.path)).toBe(`checkpoint-${stepsPerEpoch}`);
      expect(existsSync(path.join(checkpoint!.path, 'adapter_model.safetensors'))).toBe(true);
      expect(await db.prisma.response.count({ where: { trialId: t.id, epoch: 1 } })).toBe(instructions);
    }
    // Every rung checkpoint was judged by the real model, in both orders.
    const rungMatches = await db.prisma.match.findMany({ where: { stage: 'rung-1' }, include: { judgments: true } });
    expect(rungMatches.length).toBeGreaterThan(0);
    for (const m of rungMatches) expect(m.judgments.length).toBe(2 * instructions);
  });

  it('resumes the promoted trial from its rung checkpoint: step numbers and the learning-rate schedule go on', async () => {
    const promoted = await db.prisma.trial.findFirstOrThrow({ where: { status: 'done' } });
    expect(promoted.epochsTrained).toBe(2);
    const jobs = await db.prisma.job.findMany({ where: { trialId: promoted.id, kind: 'train' }, orderBy: { attempt: 'asc' } });
    expect(jobs.map((j) => [j.stopEpoch, j.exitCode])).toEqual([[1, 0], [2, 0]]);
    const checkpoints = await db.prisma.checkpoint.findMany({ where: { trialId: promoted.id }, orderBy: { epoch: 'asc' } });
    expect(checkpoints.map((c) => [c.epoch, c.rung, path.basename(c.path)])).toEqual([[1, 0, `checkpoint-${stepsPerEpoch}`], [2, null, `checkpoint-${2 * stepsPerEpoch}`]]);
    const loss = await db.prisma.metric.findMany({ where: { trialId: promoted.id, name: 'loss' }, orderBy: { step: 'asc' } });
    expect(loss.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    // Cosine over both epochs, not restarted at the resume: every step's rate is below the one before.
    const rates = (await db.prisma.metric.findMany({ where: { trialId: promoted.id, name: 'learning_rate' }, orderBy: { step: 'asc' } })).map((p) => p.value);
    expect(rates).toHaveLength(4);
    for (let i = 1; i < rates.length; i++) expect(rates[i]).toBeLessThan(rates[i - 1]!);
  });

  it('picks a checkpoint, a trial and an epoch, that loads and answers', async () => {
    const best = await db.prisma.bestTrial.findFirstOrThrow();
    const promoted = await db.prisma.trial.findFirstOrThrow({ where: { status: 'done' } });
    // The final ranks the finalist's two checkpoints; on 3 instructions its epoch-1 checkpoint cannot lead
    // the last by the margin an earlier checkpoint needs (core/early-termination/checkpoint-selection.ts).
    expect(best.trialId).toBe(promoted.id);
    expect(best.epoch).toBe(2);
    expect(await db.prisma.match.count({ where: { stage: 'round-robin' } })).toBe(1);
    expect(summary.best).toEqual([expect.objectContaining({ trial: promoted.key, epoch: best.epoch, checkpoint: best.checkpointPath })]);
    expect(run.stdout).toContain(`at epoch ${best.epoch}`);
    const answer = await execa(jobsPython, ['trainers/generate.py', `--base_model=${smolLM2Path}`, `--checkpoint=${best.checkpointPath}`, '--instruction=Name the capital of France.', '--max_new_tokens=16'], {
      cwd: repoRoot,
      env: { OMP_NUM_THREADS: '1', CUDA_VISIBLE_DEVICES: '' },
    });
    expect(answer.stdout.trim().length).toBeGreaterThan(0);
    // No GPU on this machine: the job chose the CPU, in float32, and its log says so (trainers/devices.py).
    expect(answer.stderr).toContain('generate: device cpu, dtype float32');
  });
});
