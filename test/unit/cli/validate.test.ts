import { Command } from 'commander';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { detectGpus } from '../../../activities/jobs/gpu-slots.js';
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

// Only PATH from the test's own environment, so that the secrets a test sets are all there is.
async function validate(args: readonly string[], secrets: NodeJS.ProcessEnv = {}): Promise<Run> {
  const env = { PATH: process.env.PATH, ...secrets };
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
    const gpus = (await detectGpus()).length;
    const expected = [
      { kind: 'file', subject: path.join(repoRoot, 'sweeps/data/alpaca_data.json'), path: ['train', 'command', 3], line: 96 },
      ...(gpus === 0 ? [{ kind: 'gpus', subject: '1', path: ['train', 'gpus'], line: 110 }, { kind: 'gpus', subject: '1', path: ['generate', 'gpus'], line: 130 }] : []),
      { kind: 'judge', subject: path.join(repoRoot, 'models/pandalm-7b-v1.Q8_0.gguf'), path: ['judge', 'config'], line: 138 },
    ].filter((problem) => problem.kind === 'gpus' || !existsSync(problem.subject));
    expect(report.problems.map(({ kind, subject, path: at, line }) => ({ kind, subject, path: at, line }))).toEqual(expected);
    expect(report.ready).toBe(expected.length === 0);
    // The same problems on stderr, one per line, as file:line:column.
    expect(run.stderr.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim().split(' ')[0])).toEqual(
      expected.map((problem) => expect.stringMatching(new RegExp(`^sweeps/pandalm-paper\\.yaml:${problem.line}:\\d+$`))),
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

  it('prints the plan and the first rendered commands as text, naming unset secrets with their lines', async () => {
    const run = await validate(['sweeps/pandalm-paper.yaml']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^sweeps\/pandalm-paper\.yaml is valid/);
    expect(run.stdout).toMatch(/llama-7b +80 trials, baseline among them; 4 blocks \[20, 20, 20, 20\]/);
    expect(run.stdout).toMatch(/Judge calls: [\d,]+ matches x 170 instructions x 2 orders = [\d,]+/);
    expect(run.stdout).toContain("'--output_dir=<state>/runs/pandalm-paper/llama-7b/");
    expect(run.stderr).toMatch(/^  sweeps\/pandalm-paper\.yaml:108:15  train\.env\.HF_TOKEN: the secret HF_TOKEN is not set in this environment/m);
    expect(run.stderr).toMatch(/^  sweeps\/pandalm-paper\.yaml:129:15  generate\.env\.HF_TOKEN: the secret HF_TOKEN is not set/m);
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
    expect(report.ready).toBe(false);
    expect(report.problems).toEqual([
      { kind: 'program', subject: path.join(scratch, 'no-such-trainer.sh'), path: ['train', 'command', 0], line: 4, column: 19, message: expect.stringContaining('the program ./no-such-trainer.sh does not exist') },
      { kind: 'file', subject: path.join(scratch, 'data/none.json'), path: ['train', 'command', 1], line: 4, column: 43, message: expect.stringContaining('--data=data/none.json names') },
    ]);
  });

  it('names a program that is not on PATH, an unset secret, too many GPUs and a judge model that is no GGUF file', async () => {
    const sweep = path.join(scratch, 'machine.yaml');
    writeFileSync(path.join(scratch, 'eval.jsonl'), '{"id": "a", "instruction": "Say hi."}\n');
    writeFileSync(path.join(scratch, 'not-a-model.gguf'), '<html>404</html>');
    writeFileSync(path.join(scratch, 'judge.yaml'), 'backend: llama\nmodel: not-a-model.gguf\n');
    writeFileSync(
      sweep,
      [
        'name: machine',
        'baseModels: [{id: m}]',
        'parameters: {lr: {values: [1, 2]}}',
        'train:',
        '  command: ["pandasweep-no-such-program", "{{args}}"]',
        '  gpus: 64',
        '  env: {PANDASWEEP_TEST_UNSET_SECRET: {secret: true}}',
        `generate: {command: ["node", "${path.join(repoRoot, 'toy/trainer.mjs')}", "generate"], gpus: 0}`,
        'eval: {file: eval.jsonl}',
        'judge: {config: judge.yaml}',
      ].join('\n'),
    );
    const run = await validate([sweep, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ValidateReport;
    // One problem each, though two trials render the same program.
    expect(report.problems.map(({ kind, path: at, line }) => ({ kind, path: at, line }))).toEqual([
      { kind: 'program', path: ['train', 'command', 0], line: 5 },
      { kind: 'gpus', path: ['train', 'gpus'], line: 6 },
      { kind: 'secret', path: ['train', 'env', 'PANDASWEEP_TEST_UNSET_SECRET'], line: 7 },
      { kind: 'judge', path: ['judge', 'config'], line: 10 },
    ]);
    expect(report.problems[0]?.message).toBe('the program "pandasweep-no-such-program" is not on PATH; install it, or give its path relative to the job folder');
    expect(report.problems[1]?.message).toMatch(/^each train job needs 64 GPUs, this machine has /);
    expect(report.problems[3]?.message).toMatch(/not-a-model\.gguf, which is not a GGUF file/);
    // With the secret set and a real program, those two problems go away.
    const fixed = JSON.parse((await validate([sweep, '--json'], { PANDASWEEP_TEST_UNSET_SECRET: 'x' })).stdout) as ValidateReport;
    expect(fixed.problems.map((problem) => problem.kind)).toEqual(['program', 'gpus', 'judge']);
  });

  it('previews the evaluation file a run hands the jobs: the copy of the first `limit` items', async () => {
    const report = JSON.parse((await validate(['sweeps/smollm2-lora.yaml', '--json'])).stdout) as ValidateReport;
    expect(report.instructions).toBe(12);
    expect(report.commands?.generate).toContain('--eval_file=<state>/runs/smollm2-lora/eval-first-12.jsonl');
  });

  it('renders the demo sweep with the toy trainer, one round robin and the best trial against the baseline', async () => {
    const report = JSON.parse((await validate(['sweeps/demo.yaml', '--json'])).stdout) as ValidateReport;
    expect(report.problems).toEqual([]);
    expect(report.ready).toBe(true);
    expect(report.baseModels).toEqual([{ id: 'toy-7b', trials: 4, baselineKey: expect.any(String), baselineAdded: false, blocks: [{ index: 0, trials: 4 }], matches: 6 + 1 }]);
    expect(report.matchesByStage).toEqual({ 'round-robin': 6, confirm: 1 });
    expect(report.judgeCalls).toBe(7 * 10 * 2);
    expect(report.confirmJudges).toEqual([]);
    expect(report.commands?.train.slice(0, 3)).toEqual(['node', '../toy/trainer.mjs', 'train']);
    expect(report.commands?.train.slice(-2)).toEqual(['--epochs=1', '--learning_rate=0.00002']);
    expect(report.commands?.generate).toContain(path.join(repoRoot, 'sweeps/data/demo-eval.jsonl'));
  });

  it('prints early termination\'s rungs, the checkpoints reaching each and the epochs it can spend, in text and --json', async () => {
    const report = JSON.parse((await validate(['sweeps/demo-early-stop.yaml', '--json'])).stdout) as ValidateReport;
    expect(report.earlyTerminate).toMatchObject({ type: 'asha', minEpochs: 1, eta: 3, epochsParameter: 'epochs', rungs: [1, 3] });
    expect(report.baseModels[0]!.earlyTermination).toMatchObject({ fullEpochs: 27, maxEpochs: 16, rungs: [{ epoch: 1, trials: 9, promoted: 3 }, { epoch: 3, trials: 3, promoted: 1 }] });
    // The first stop of the first trial: the first rung.
    expect(report.commands?.train).toEqual(expect.arrayContaining(['--stop-at-epoch', '1']));
    const text = (await validate(['sweeps/demo-early-stop.yaml'])).stdout;
    expect(text).toContain('early stop    asha: rungs at 1, 3 epochs (of epochs), the better 1/3 of each goes on;');
    expect(text).toContain('rungs 9 at 1 -> 3 at 3; at most 16 of the full grid\'s 27 training epochs (59%);');
    expect(text).not.toContain('block');
  });

  it('counts second-opinion judges (confirm.judges) apart, and refuses them without a baseline', async () => {
    const demo = readFileSync(path.join(repoRoot, 'sweeps/demo.yaml'), 'utf8');
    const withJudges = demo.replaceAll('../toy/', `${repoRoot}/toy/`).replace('data/demo-eval.jsonl', path.join(repoRoot, 'sweeps/data/demo-eval.jsonl'));
    const file = path.join(scratch, 'second.yaml');
    writeFileSync(file, `${withJudges}\nconfirm:\n  judges:\n    - config: ${path.join(repoRoot, 'test/fixtures/judges/second-opinion.yaml')}\n      swap: false\n`);
    const text = (await validate([file])).stdout;
    expect(text).toContain('Matches: 8 (round-robin 6, confirm 2)');
    expect(text).toContain('by the tournament judge and again by second-opinion (confirm.judges)');
    // The second opinion judges one order (swap: false): 10 calls on top of the tournament judge's 7 x 20.
    expect(text).toContain('Judge calls: 7 matches x 10 instructions x 2 orders = 140 + 10 by confirm.judges = 150');
    const report = JSON.parse((await validate([file, '--json'])).stdout) as ValidateReport;
    expect(report.judgeCalls).toBe(150);
    expect(report.confirmJudges).toEqual([path.join(repoRoot, 'test/fixtures/judges/second-opinion.yaml')]);

    const noBaseline = withJudges.replace(/^baseline:\n(  .*\n)+/m, '');
    writeFileSync(file, `${noBaseline}\nconfirm:\n  judges:\n    - config: demo\n`);
    const refused = await validate([file]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SweepFileError);
    expect((refused as SweepFileError).message).toMatch(/second\.yaml:\d+:\d+.*confirm\.judges.*judge the best trial against the baseline, but the sweep has no `baseline` section/s);
  });

  it('prints the adaptive budget: the match cap, the levels with their matches\' length and the final, in text and --json', async () => {
    const file = 'test/fixtures/sweeps/adaptive-small.yaml';
    const report = JSON.parse((await validate([file, '--json'])).stdout) as ValidateReport;
    // 16 trials, 60 instructions and `budget: 20`: one Swiss round per level (8, 5, 3, 2 and 1 matches of
    // at most 16, 28, 56, 60 and 60 instructions), then a final of 2 (1 match of all 60).
    expect(report.baseModels[0]!.adaptive).toEqual({
      budget: 20,
      cap: 20,
      levels: [
        { size: 16, rounds: 1, instructions: 16 },
        { size: 10, rounds: 1, instructions: 28 },
        { size: 6, rounds: 1, instructions: 56 },
        { size: 4, rounds: 1, instructions: 60 },
        { size: 3, rounds: 1, instructions: 60 },
      ],
      finalSize: 2,
      matches: 20,
      instructionsJudged: 8 * 16 + 5 * 28 + 3 * 56 + 2 * 60 + 1 * 60 + 1 * 60,
      shareOfRoundRobin: 20 / 120,
      truncated: false,
    });
    expect(report.matches).toBe(20);
    expect(report.judgeCalls).toBe((8 * 16 + 5 * 28 + 3 * 56 + 2 * 60 + 1 * 60 + 1 * 60) * 2);
    const text = (await validate([file])).stdout;
    expect(text).toContain('adaptive budget 20: at most 20 matches, 16.7% of a round robin;');
    expect(text).toContain('Swiss rounds by field (instructions per match) 16 (1 round of 16) -> 10 (1 round of 28) -> 6 (1 round of 56) -> 4 (1 round of 60) -> 3 (1 round of 60), final of 2');
    expect(text).toMatch(/Judge calls: 676 instructions over 20 matches .* x 2 orders = 1,352 at most \(matches stop early once decided\)/);
    // `schedule: halving` is planned as such: half go on, and every match may judge all 60 instructions.
    const halving = path.join(scratch, 'halving.yaml');
    writeFileSync(halving, readFileSync(file, 'utf8').replaceAll('../../../', `${repoRoot}/`).replace('  strategy: adaptive\n', '  strategy: adaptive\n  schedule: halving\n'));
    const halvingLevels = (JSON.parse((await validate([halving, '--json'])).stdout) as ValidateReport).baseModels[0]!.adaptive!.levels;
    expect(halvingLevels).toEqual([{ size: 16, rounds: 1, instructions: 60 }, { size: 8, rounds: 1, instructions: 60 }]);
    // Other strategies have no adaptive plan.
    expect((JSON.parse((await validate(['sweeps/demo.yaml', '--json'])).stdout) as ValidateReport).baseModels[0]).not.toHaveProperty('adaptive');
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

  it('a judge whose format cannot be read in verdict mode is an error at the sweep\'s judge line, saying to judge in full mode', async () => {
    const sweep = path.join(scratch, 'judgelm-verdict.yaml');
    writeFileSync(path.join(scratch, 'eval.jsonl'), '{"id": "a", "instruction": "Say hi."}\n');
    writeFileSync(path.join(scratch, 'judgelm.yaml'), 'backend: llama\nmodel: any.gguf\nformat: judgelm\n');
    const lines = [
      'name: judgelm-verdict',
      'baseModels: [{id: m}]',
      'parameters: {lr: {values: [1, 2]}}',
      `train: {command: ["node", "${path.join(repoRoot, 'toy/trainer.mjs')}", "train"]}`,
      `generate: {command: ["node", "${path.join(repoRoot, 'toy/trainer.mjs')}", "generate"]}`,
      'eval: {file: eval.jsonl}',
      'judge:',
      '  config: judgelm.yaml',
    ];
    writeFileSync(sweep, lines.join('\n'));
    const error = await validate([sweep]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).issues).toEqual([
      expect.objectContaining({ path: ['judge', 'mode'], line: 8, message: expect.stringContaining("the judgelm format's answer does not start with a verdict label") }),
    ]);
    expect((error as Error).message).toContain("judge it in full mode (the sweep's judge.mode: full");
    writeFileSync(sweep, [...lines, '  mode: full'].join('\n'));
    expect((await validate([sweep])).code).toBe(0);
  });
});

