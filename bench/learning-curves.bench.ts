/**
 * Learning curves of real SmolLM2 LoRA fine-tunes, the calibration of the early-termination simulation
 * (bench/early-termination.bench.ts): how well a configuration's held-out reference-answer loss after a
 * few epochs predicts its rank after its last epoch.
 *
 * Each configuration (learning rate x epochs, the paper's 2 to 5 epochs) is trained once by
 * trainers/finetune.py with its full learning-rate schedule and checkpoints along the way (two per epoch
 * by default: what an early-terminated trial stops and resumes at), and every checkpoint is scored by
 * trainers/evaluate.py on held-out pairs no trial trained on. Prints one JSON document: every loss, and the Spearman rank
 * correlation between the loss at each checkpoint (by epochs trained, and as a fraction of the trial's own epochs) and
 * the final loss, over the configurations that train past it. `--save` writes it to
 * bench/early-termination/smollm2-learning-curves.json, which the simulation reads.
 *
 *   npx tsx bench/learning-curves.bench.ts [--learning-rates 5e-5,2e-4,8e-4,3.2e-3] [--epochs 2,3,4,5]
 *       [--samples 32] [--heldout-skip 80] [--heldout-limit 32] [--checkpoints-per-epoch 2] [--workers 2] [--save]
 *
 * About an hour on 2 cores for the default 16 configurations.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { spearman } from '../core/early-termination/rank-correlation.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const python = path.join(repoRoot, 'trainers', 'python');
const model = path.join(repoRoot, 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf');
const data = path.join(repoRoot, 'sweeps', 'data', 'tuning-train.json');

const { values } = parseArgs({
  options: {
    'learning-rates': { type: 'string', default: '5e-5,2e-4,8e-4,3.2e-3' },
    epochs: { type: 'string', default: '2,3,4,5' },
    samples: { type: 'string', default: '32' },
    'heldout-skip': { type: 'string', default: '80' },
    'heldout-limit': { type: 'string', default: '32' },
    workers: { type: 'string', default: '2' },
    'checkpoints-per-epoch': { type: 'string', default: '2' },
    save: { type: 'boolean', default: false },
  },
});

interface Config {
  readonly learningRate: string;
  readonly epochs: number;
}

/** One configuration's held-out loss at each checkpoint (`epochs[i]` epochs trained). */
interface Curve extends Config {
  readonly checkpoints: number[];
  readonly losses: number[];
  readonly trainSeconds: number;
}

const batchSize = 4;
const stepsPerEpoch = Math.ceil(Number(values.samples) / batchSize);
const saveSteps = Math.max(1, Math.round(stepsPerEpoch / Number(values['checkpoints-per-epoch'])));

const configs: Config[] = values['learning-rates'].split(',').flatMap((learningRate) => values.epochs.split(',').map((e) => ({ learningRate, epochs: Number(e) })));
const env = { OMP_NUM_THREADS: '1', TOKENIZERS_PARALLELISM: 'false' };

async function runConfig(config: Config, work: string): Promise<Curve> {
  const out = path.join(work, `lr${config.learningRate}-e${config.epochs}`);
  await mkdir(out, { recursive: true });
  const started = performance.now();
  await execa(python, [
    path.join(repoRoot, 'trainers', 'finetune.py'),
    `--model_name_or_path=${model}`, `--data_path=${data}`, `--output_dir=${out}`,
    `--learning_rate=${config.learningRate}`, `--num_train_epochs=${config.epochs}`,
    `--per_device_train_batch_size=${batchSize}`, `--max_train_samples=${values.samples}`, '--model_max_length=256',
    '--lr_scheduler_type=cosine', '--logging_steps=1', '--save_strategy=steps', `--save_steps=${saveSteps}`, '--seed=42', '--disable_tqdm=true',
  ], { env, cwd: repoRoot });
  const trainSeconds = (performance.now() - started) / 1000;
  const checkpoints = (await readdir(out)).filter((name) => /^checkpoint-\d+$/.test(name)).sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
  const losses: number[] = [];
  const epochsAt = checkpoints.map((name) => Math.round((Number(name.slice(11)) / stepsPerEpoch) * 1000) / 1000);
  for (const checkpoint of checkpoints) {
    const result = path.join(out, checkpoint, 'heldout.json');
    await execa(python, [
      path.join(repoRoot, 'trainers', 'evaluate.py'),
      `--base_model=${model}`, `--checkpoint=${path.join(out, checkpoint)}`, `--data_path=${data}`,
      `--skip=${values['heldout-skip']}`, `--limit=${values['heldout-limit']}`, '--model_max_length=256', `--output=${result}`,
    ], { env, cwd: repoRoot });
    losses.push((JSON.parse(await readFile(result, 'utf8')) as { results: { heldout: { loss: number } } }).results.heldout.loss);
  }
  process.stderr.write(`lr ${config.learningRate}, ${config.epochs} epochs: ${losses.map((l, i) => `${epochsAt[i]}:${l.toFixed(3)}`).join(' ')} (${trainSeconds.toFixed(0)} s training)\n`);
  return { ...config, checkpoints: epochsAt, losses, trainSeconds };
}

const work = await mkdtemp(path.join(tmpdir(), 'pandasweep-curves-'));
const curves: Curve[] = [];
try {
  const queue = [...configs];
  await Promise.all(Array.from({ length: Number(values.workers) }, async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) curves.push(await runConfig(next, work));
  }));
} finally {
  await rm(work, { recursive: true, force: true });
}
curves.sort((x, y) => Number(x.learningRate) - Number(y.learningRate) || x.epochs - y.epochs);

const finalLoss = (c: Curve) => c.losses[c.losses.length - 1] ?? Number.NaN;
const lossAt = (c: Curve, epoch: number) => c.losses[c.checkpoints.indexOf(epoch)] ?? Number.NaN;
// Rank correlation of the loss after `epoch` epochs with the final loss, over the curves that train past it.
const epochsSeen = [...new Set(curves.flatMap((c) => c.checkpoints.filter((e) => e < c.epochs)))].sort((a, b) => a - b);
const byEpoch = epochsSeen.map((epoch) => {
  const past = curves.filter((c) => c.epochs > epoch);
  return { epoch, configurations: past.length, spearman: past.length < 3 ? null : spearman(past.map((c) => lossAt(c, epoch)), past.map(finalLoss)) };
});
// The same by the fraction of each trial's own epochs, pooling e.g. epoch 1 of 2 with epoch 2 of 4.
const fractionOf = (c: Curve, epoch: number) => Math.round((epoch / c.epochs) * 100) / 100;
const fractions = [...new Set(curves.flatMap((c) => c.checkpoints.filter((e) => e < c.epochs).map((e) => fractionOf(c, e))))].sort((a, b) => a - b);
const byFraction = fractions.map((fraction) => {
  const points = curves.flatMap((c) => c.checkpoints.flatMap((e, i) => (e < c.epochs && fractionOf(c, e) === fraction ? [{ loss: c.losses[i]!, final: finalLoss(c) }] : [])));
  return { fraction, configurations: points.length, spearman: points.length < 3 ? null : spearman(points.map((p) => p.loss), points.map((p) => p.final)) };
});
const document = {
  measuredAt: new Date().toISOString(),
  model: path.relative(repoRoot, model),
  setup: { trainingPairs: Number(values.samples), heldout: { skip: Number(values['heldout-skip']), limit: Number(values['heldout-limit']) }, batchSize, checkpointsPerEpoch: Number(values['checkpoints-per-epoch']), schedule: 'cosine', lora: 'r 8 on q_proj,v_proj' },
  curves,
  spearmanByEpoch: byEpoch,
  spearmanByFraction: byFraction,
};
if (values.save) {
  const file = path.join(repoRoot, 'bench', 'early-termination', 'smollm2-learning-curves.json');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
}
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
