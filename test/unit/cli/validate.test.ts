import { Command } from 'commander';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliContext } from '../../../cli/command.js';
import { validateCommand, type ValidateReport } from '../../../cli/commands/validate.js';
import { SweepFileError } from '../../../core/errors/sweep-file-error.js';
import { UsageError } from '../../../core/errors/usage-error.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Run {
  readonly code: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

async function validate(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const out = collect();
  const err = collect();
  let code: number | undefined;
  const ctx: CliContext = { stdout: out.stream, stderr: err.stream, env, cwd: repoRoot, setExitCode: (c) => void (code = c) };
  const program = new Command('pandasweep').exitOverride().configureOutput({ writeOut: (s) => out.stream.write(s), writeErr: (s) => err.stream.write(s) });
  validateCommand.register(program, ctx);
  await program.parseAsync(['validate', ...args], { from: 'user' });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('pandasweep validate', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'pandasweep-validate-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reports 80 trials in 4 blocks per base model for the paper preset (--json)', async () => {
    const run = await validate(['sweeps/pandalm-paper.yaml', '--json'], { HF_TOKEN: 'set' });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ValidateReport;
    // The jobs ship with the repository; only what a user must bring can be missing (the file's header
    // says how to get it), and only where that user has not brought it yet.
    const userSupplied = [
      { path: path.join(repoRoot, 'sweeps/data/alpaca_data.json'), neededBy: 'train: --data_path=data/alpaca_data.json' },
      { path: path.join(repoRoot, 'models/pandalm-7b-v1.Q8_0.gguf'), neededBy: 'judge pandalm-7b: model' },
    ].filter((file) => !existsSync(file.path));
    expect(report.missingFiles).toEqual(userSupplied);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim().split(' ')[0])).toEqual(
      userSupplied.map((file) => path.relative(repoRoot, file.path)),
    );
    expect(report.baseModels).toHaveLength(5);
    for (const baseModel of report.baseModels) {
      // The Alpaca baseline is one of the 80 grid points, so no 81st trial is added.
      expect(baseModel.baselineAdded).toBe(false);
      expect(baseModel.trials).toBe(80);
      expect(baseModel.blocks).toEqual([0, 1, 2, 3].map((index) => ({ index, trials: 20 })));
    }
    expect(report.instructions).toBe(170);
    expect(report.judgeCalls).toBe(report.matches * 170 * 2);
    expect(report.commands?.train).toContain('--model_name_or_path=huggyllama/llama-7b');
    expect(report.commands?.train.some((arg) => arg.startsWith('--learning_rate='))).toBe(true);
  });

  it('prints the plan and the first rendered commands as text, noting unset secrets', async () => {
    const run = await validate(['sweeps/pandalm-paper.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sweeps\/pandalm-paper\.yaml is valid/);
    expect(run.stdout).toMatch(/llama-7b +80 trials, baseline among them; 4 blocks \[20, 20, 20, 20\]/);
    expect(run.stdout).toMatch(/Judge calls: [\d,]+ matches x 170 instructions x 2 orders = [\d,]+/);
    expect(run.stdout).toContain("'--output_dir=<state>/runs/pandalm-paper/llama-7b/");
    expect(run.stderr).toContain('HF_TOKEN is a secret');
  });

  it('names a program or data file that does not exist, relative to the job\'s folder', async () => {
    const sweep = path.join(scratch, 'missing-files.yaml');
    writeFileSync(path.join(scratch, 'eval.jsonl'), '{"id": "a", "instruction": "Say hi."}\n');
    writeFileSync(
      sweep,
      [
        'name: missing-files',
        'baseModels: [{id: m}]',
        'parameters: {lr: {values: [1]}}',
        'train: {command: ["./no-such-trainer.sh", "--data=data/none.json", "{{args}}"], gpus: 0}',
        `generate: {command: ["node", "${path.join(repoRoot, 'toy/trainer.mjs')}", "generate"], gpus: 0}`,
        'eval: {file: eval.jsonl}',
        'judge: {config: demo}',
      ].join('\n'),
    );
    const report = JSON.parse((await validate([sweep, '--json'])).stdout) as ValidateReport;
    expect(report.missingFiles).toEqual([
      { path: path.join(scratch, 'no-such-trainer.sh'), neededBy: 'train: the program' },
      { path: path.join(scratch, 'data/none.json'), neededBy: 'train: --data=data/none.json' },
    ]);
  });

  it('previews the evaluation file a run hands the jobs: the copy of the first `limit` items', async () => {
    const report = JSON.parse((await validate(['sweeps/smollm2-lora.yaml', '--json'])).stdout) as ValidateReport;
    expect(report.instructions).toBe(12);
    expect(report.commands?.generate).toContain('--eval_file=<state>/runs/smollm2-lora/eval-first-12.jsonl');
  });

  it('renders the demo sweep with the toy trainer and one round robin', async () => {
    const report = JSON.parse((await validate(['sweeps/demo.yaml', '--json'])).stdout) as ValidateReport;
    expect(report.missingFiles).toEqual([]);
    expect(report.baseModels).toEqual([{ id: 'toy-7b', trials: 4, baselineKey: null, baselineAdded: false, blocks: [{ index: 0, trials: 4 }], matches: 6 }]);
    expect(report.judgeCalls).toBe(6 * 10 * 2);
    expect(report.commands?.train.slice(0, 3)).toEqual(['node', '../toy/trainer.mjs', 'train']);
    expect(report.commands?.train.slice(-2)).toEqual(['--epochs=1', '--learning_rate=0.00002']);
    expect(report.commands?.generate).toContain(path.join(repoRoot, 'sweeps/data/demo-eval.jsonl'));
  });

  it('rejects a missing sweep file with a usage error naming it', async () => {
    await expect(validate(['sweeps/nope.yaml'])).rejects.toThrow(UsageError);
    await expect(validate(['sweeps/nope.yaml'])).rejects.toThrow('Cannot read the sweep file sweeps/nope.yaml: no such file.');
  });

  it('points at eval.file when the evaluation file is missing', async () => {
    const file = path.join(scratch, 'missing-eval.yaml');
    writeFileSync(file, 'name: x\nbaseModels: [{id: m}]\nparameters: {a: {values: [1]}}\ntrain: {command: [t]}\ngenerate: {command: [g]}\neval:\n  file: data/none.jsonl\n');
    const error = await validate([file]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).issues).toEqual([
      { path: ['eval', 'file'], line: 7, column: 9, message: expect.stringMatching(/^cannot read the evaluation file .*data\/none\.jsonl \(no such file\)/) },
    ]);
  });

  it('passes sweep file errors through as SweepFileError', async () => {
    const error = await validate(['test/fixtures/sweeps/invalid/method-typo.yaml']).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).message).toContain('test/fixtures/sweeps/invalid/method-typo.yaml:5:9');
  });

  it('has help with purpose, usage, options and examples', async () => {
    const out = collect();
    const program = new Command('pandasweep').exitOverride().configureOutput({ writeOut: (s) => out.stream.write(s), writeErr: () => undefined });
    validateCommand.register(program, { stdout: out.stream, stderr: out.stream, env: {}, cwd: repoRoot, setExitCode: () => undefined });
    await expect(program.parseAsync(['validate', '--help'], { from: 'user' })).rejects.toThrow();
    expect(out.text()).toMatch(/Usage: pandasweep validate \[options\] <sweep>/);
    expect(out.text()).toContain('--json');
    expect(out.text()).toContain('Examples:');
  });
});
