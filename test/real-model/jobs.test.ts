/**
 * The shipped jobs (trainers/finetune.py, trainers/generate.py) run as real programs with the project's
 * Python: how they fail on bad input (one line, exit code 2, before minutes of model loading), where they
 * put the model (the visible GPUs, else the CPU), and how a retried training job resumes from the checkpoint its earlier attempt saved, on SmolLM2-135M-Instruct.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobsPython, realModelMissing, smolLM2Path } from '../support/real-model.js';
import { repoRoot } from '../support/run-cli.js';

const trainData = path.join(repoRoot, 'sweeps/data/tuning-train.json');

async function job(script: 'finetune' | 'generate', args: readonly string[]) {
  const result = await execa(jobsPython, [path.join(repoRoot, 'trainers', `${script}.py`), ...args], {
    cwd: repoRoot,
    reject: false,
    // Offline by construction, so an unknown hub id fails the same way everywhere.
    env: { OMP_NUM_THREADS: '2', HF_HUB_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' },
  });
  return { exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The last line a job printed on stderr: the one a user (and pandasweep's log tail) sees. */
const lastLine = (stderr: string): string => stderr.trim().split('\n').at(-1) ?? '';

describe.skipIf(realModelMissing({ python: true }) !== null)('the shipped training and generation jobs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-jobs-real-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const finetuneArgs = (data: string, model = smolLM2Path) => [`--model_name_or_path=${model}`, `--data_path=${data}`, `--output_dir=${path.join(dir, 'out')}`];

  it('names a missing data file in one line and exits 2', async () => {
    const missing = path.join(dir, 'nope.json');
    const run = await job('finetune', finetuneArgs(missing));
    expect(run.exitCode).toBe(2);
    expect(lastLine(run.stderr)).toBe(`finetune: error: ${missing}: no such file`);
  });

  it('names the line and column of invalid JSON', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '[\n  {"instruction": "a", "output": "b"},\n  {"instruction": \n]\n');
    const run = await job('finetune', finetuneArgs(bad));
    expect(run.exitCode).toBe(2);
    expect(lastLine(run.stderr)).toMatch(new RegExp(`^finetune: error: ${bad}:4:1: invalid JSON: `));
  });

  it('names the item and the field an example lacks', async () => {
    const noOutput = path.join(dir, 'no-output.jsonl');
    await writeFile(noOutput, '{"instruction": "a", "output": "b"}\n{"instruction": "c", "input": "d"}\n');
    const run = await job('finetune', finetuneArgs(noOutput));
    expect(run.exitCode).toBe(2);
    expect(lastLine(run.stderr)).toBe(`finetune: error: ${noOutput}:2: expected \`output\` to be a non-empty string, got null`);
  });

  it('says which model it cannot load: a hub id it cannot reach, a folder that is not there', async () => {
    const hub = await job('finetune', finetuneArgs(trainData, 'no-such-org/no-such-model'));
    expect(hub.exitCode).toBe(2);
    expect(lastLine(hub.stderr)).toMatch(/^finetune: error: cannot load the tokenizer of no-such-org\/no-such-model: .*\(a Hugging Face id needs the hub or a local copy/);
    const folder = path.join(dir, 'no-model-here');
    const local = await job('finetune', finetuneArgs(trainData, folder));
    expect(local.exitCode).toBe(2);
    expect(lastLine(local.stderr)).toBe(`finetune: error: model ${folder}: no such folder`);
  });

  it('refuses an evaluation line without an id, as pandasweep does', async () => {
    const evalFile = path.join(dir, 'eval.jsonl');
    await writeFile(evalFile, '{"id": "a", "instruction": "Say hi."}\n{"instruction": "Say bye."}\n');
    const run = await job('generate', [`--base_model=${smolLM2Path}`, `--eval_file=${evalFile}`, `--output=${path.join(dir, 'r.jsonl')}`]);
    expect(run.exitCode).toBe(2);
    expect(lastLine(run.stderr)).toBe(`generate: error: ${evalFile}:2: expected \`id\` to be a string or an integer, got null`);
  });

  it('reports running out of memory in one line with what to change, exit code 3', async () => {
    const run = await execa(jobsPython, ['-c', 'from job_errors import run_job\ndef main():\n    raise MemoryError("cannot allocate 96 GiB")\nrun_job(main, "finetune")'], {
      cwd: path.join(repoRoot, 'trainers'),
      reject: false,
    });
    expect(run.exitCode).toBe(3);
    expect(lastLine(String(run.stderr))).toMatch(/^finetune: error: out of memory \(cannot allocate 96 GiB\); lower per_device_train_batch_size/);
  });

  it('puts a model on the visible GPU(s) in bfloat16 or float16 when there are any, on the CPU in float32 otherwise', async () => {
    // The choice itself (trainers/devices.py), for the machines this one is not: no GPU here.
    const script = [
      'import json',
      'from devices import choose_placement',
      'from job_errors import JobInputError',
      'def place(device, dtype, gpus, bf16):',
      '    try:',
      '        p = choose_placement(device, dtype, visible_gpus=gpus, bf16_supported=bf16, cuda_visible_devices="0,1"[: 2 * gpus - 1] if gpus else "", gpu_name="H100" if gpus else None)',
      '        return {"device": p.device, "dtype": p.dtype, "gpus": p.gpus, "describe": p.describe()}',
      '    except JobInputError as error:',
      '        return {"error": str(error)}',
      'print(json.dumps([place("auto", "auto", 0, False), place("auto", "auto", 1, True), place("auto", "auto", 1, False), place("auto", "auto", 2, True), place("cpu", "auto", 1, True), place("auto", "float32", 1, True), place("cuda", "auto", 0, False)]))',
    ].join('\n');
    const run = await execa(jobsPython, ['-c', script], { cwd: path.join(repoRoot, 'trainers') });
    const [cpu, bf16, fp16, sharded, forcedCpu, forcedFp32, noGpu] = JSON.parse(String(run.stdout)) as Record<string, unknown>[];
    expect(cpu).toEqual({ device: 'cpu', dtype: 'float32', gpus: 0, describe: 'device cpu, dtype float32' });
    expect(bf16).toEqual({ device: 'cuda:0', dtype: 'bfloat16', gpus: 1, describe: 'device cuda:0 (H100), dtype bfloat16' });
    expect(fp16).toMatchObject({ device: 'cuda:0', dtype: 'float16' });
    expect(sharded).toMatchObject({ device: 'cuda:0', gpus: 2, describe: 'device cuda:0 (H100), sharded over 2 GPUs, dtype bfloat16' });
    expect(forcedCpu).toMatchObject({ device: 'cpu', dtype: 'float32', gpus: 0 });
    expect(forcedFp32).toMatchObject({ device: 'cuda:0', dtype: 'float32' });
    expect(noGpu!.error).toMatch(/^--device=cuda: no GPU is visible to this job \(CUDA_VISIBLE_DEVICES="".*pass --device=auto to run on the CPU$/);
  });

  it('on this machine (no GPU): --device=cuda is bad input before the model loads', async () => {
    const forced = await execa(jobsPython, [path.join(repoRoot, 'trainers/generate.py'), `--base_model=${smolLM2Path}`, '--instruction=Say hi.', '--device=cuda'], {
      cwd: repoRoot,
      reject: false,
      env: { CUDA_VISIBLE_DEVICES: '' },
    });
    expect(forced.exitCode).toBe(2);
    expect(lastLine(String(forced.stderr))).toMatch(/^generate: error: --device=cuda: no GPU is visible to this job \(CUDA_VISIBLE_DEVICES=""/);
    // That auto runs on the CPU here, and says so in the job log, the early-termination real-model test checks.
  });

  it('resumes a retried training job from the newest checkpoint in its output folder', async () => {
    const output = path.join(dir, 'resume');
    const common = [
      `--model_name_or_path=${smolLM2Path}`,
      `--data_path=${trainData}`,
      `--output_dir=${output}`,
      '--max_train_samples=4',
      '--per_device_train_batch_size=2',
      '--model_max_length=256',
      '--logging_steps=1',
      '--save_strategy=epoch',
      '--learning_rate=1e-3',
      '--disable_tqdm=true',
    ];
    // The first attempt gets through one epoch (steps 1-2, checkpoint-2) and stops.
    const first = await job('finetune', [...common, '--num_train_epochs=1']);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toContain(`PANDASWEEP_CHECKPOINT {"step": 2, "path": "${path.join(output, 'checkpoint-2')}"}`);
    // The retry asks for two epochs: it starts at step 3 from checkpoint-2 instead of at step 1.
    const retry = await job('finetune', [...common, '--num_train_epochs=2']);
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(retry.stdout).toContain(`finetune: resuming from ${path.join(output, 'checkpoint-2')}`);
    const steps = retry.stdout
      .split('\n')
      .filter((line) => line.startsWith('PANDASWEEP_METRIC ') && line.includes('"loss"'))
      .map((line) => (JSON.parse(line.slice('PANDASWEEP_METRIC '.length)) as { step: number }).step);
    expect(steps).toEqual([3, 4]);
    expect((await readdir(output)).filter((name) => name.startsWith('checkpoint-')).sort()).toEqual(['checkpoint-2', 'checkpoint-4']);
  });
});
