/**
 * The shipped jobs on a GPU (issue 30): one short LoRA fine-tune (trainers/finetune.py) and one generation
 * (trainers/generate.py) of SmolLM2-135M-Instruct, each timed, with the device and precision each job
 * says it chose (its `device ...` log line), so a GPU machine shows at once whether the jobs used the GPU.
 * Prints one JSON document. Needs a Python whose torch has CUDA (PANDASWEEP_PYTHON, else the jobs' .venv);
 * without one it says so in the JSON instead of timing a CPU run.
 *
 * Usage: tsx bench/gpu/jobs-gpu.bench.ts [--model models/SmolLM2-135M-Instruct.Q4_1.gguf] [--steps 20] [--instructions 8]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { repoRoot } from '../../test/support/run-cli.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: path.join(repoRoot, 'models/SmolLM2-135M-Instruct.Q4_1.gguf') },
    steps: { type: 'string', default: '20' },
    instructions: { type: 'string', default: '8' },
  },
});
const python = process.env.PANDASWEEP_PYTHON ?? path.join(repoRoot, '.venv/bin/python');

/** Runs a job script and returns its wall time, exit code and the `device ...` line it printed. */
async function job(script: string, args: readonly string[]) {
  const started = performance.now();
  const run = await execa(python, [path.join(repoRoot, 'trainers', script), ...args], { cwd: repoRoot, reject: false, all: true, env: { TOKENIZERS_PARALLELISM: 'false' } });
  const output = String(run.all ?? '');
  return {
    seconds: Math.round(performance.now() - started) / 1000,
    exitCode: run.exitCode ?? null,
    device: output.split('\n').find((line) => / device /.test(line))?.trim() ?? null,
    tail: run.exitCode === 0 ? undefined : output.trim().split('\n').slice(-5),
  };
}

const probe = await execa(python, ['-c', 'import json, torch; print(json.dumps({"torch": torch.__version__, "cuda": torch.cuda.is_available(), "gpus": torch.cuda.device_count(), "bf16": torch.cuda.is_available() and torch.cuda.is_bf16_supported(), "name": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None}))'], { reject: false });
const torch = probe.exitCode === 0 ? (JSON.parse(String(probe.stdout)) as { torch: string; cuda: boolean; gpus: number; bf16: boolean; name: string | null }) : null;
if (torch === null || !torch.cuda) {
  process.stdout.write(`${JSON.stringify({ bench: 'jobs-gpu', python, torch, skipped: torch === null ? `no torch in ${python}: ${String(probe.stderr).trim().split('\n').at(-1)}` : 'this torch has no CUDA device: set PANDASWEEP_PYTHON to a Python with a CUDA build of torch' }, null, 2)}\n`);
} else {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-gpu-jobs-'));
  try {
    const checkpoint = path.join(dir, 'checkpoint');
    const precision = torch.bf16 ? '--bf16=true' : '--fp16=true';
    const train = await job('finetune.py', [
      `--model_name_or_path=${values.model}`,
      '--data_path=sweeps/data/tuning-train.json',
      `--output_dir=${checkpoint}`,
      '--lora_target_modules=q_proj,v_proj',
      `--max_steps=${values.steps}`,
      '--per_device_train_batch_size=8',
      '--model_max_length=256',
      '--logging_steps=5',
      '--save_strategy=no',
      '--disable_tqdm=true',
      precision,
    ]);
    const generate = await job('generate.py', [
      `--base_model=${values.model}`,
      `--checkpoint=${checkpoint}`,
      '--eval_file=sweeps/data/demo-eval.jsonl',
      `--limit=${values.instructions}`,
      `--output=${path.join(dir, 'responses.jsonl')}`,
      '--max_new_tokens=128',
      '--num_beams=4',
    ]);
    const onGpu = [train.device, generate.device].every((line) => line !== null && /cuda/.test(line));
    process.stdout.write(`${JSON.stringify({ bench: 'jobs-gpu', python, torch, model: values.model, train: { steps: Number(values.steps), precision, ...train }, generate: { instructions: Number(values.instructions), beams: 4, ...generate }, goal: 'both jobs exit 0 on the GPU', goalMet: onGpu && train.exitCode === 0 && generate.exitCode === 0 }, null, 2)}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
