/**
 * Sweeps that cannot work, through the real CLI on the Temporal dev server and PostgreSQL. On the
 * embedded default, `run` refuses before anything starts (the preflight). With TEMPORAL_ADDRESS set,
 * workers may run elsewhere, so the preflight only notes the problem; then a training program that does
 * not exist, a secret that is not set, more GPUs than the worker has, and a job that exits 2 (bad input)
 * or 3 (out of memory) fail every trial at once (no retries), and `status` says why, naming the program,
 * the secret or the job's own error line in full, and exits 1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepStatusReport } from '../../../cli/commands/status.js';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

function sweepYaml(name: string, train: string, env = '', gpus = 0): string {
  return [
    `name: ${name}`,
    'baseModels: [{id: m}]',
    'parameters: {lr: {values: [1, 2]}}',
    `train: {command: ${train}, gpus: ${gpus}, retries: 3${env}}`,
    `generate: {command: ["node", "${path.join(repoRoot, 'toy/trainer.mjs')}", "generate", "--checkpoint", "{{trial.checkpoint}}", "--eval", "{{eval.file}}", "--output", "{{trial.dir}}/responses.jsonl"], gpus: 0}`,
    `eval: {file: ${path.join(repoRoot, 'sweeps/data/demo-eval.jsonl')}, limit: 2}`,
    'judge: {config: demo}',
    'tournament: {strategy: round-robin}',
  ].join('\n');
}

describe('sweeps whose every trial fails for a deterministic reason', () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-failed-'));
    env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') };
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('on the embedded default, run refuses at once with the sweep file\'s lines and starts nothing (exit 2)', async () => {
    const file = path.join(dir, 'refused.yaml');
    await writeFile(file, sweepYaml('refused', '["./no-such-trainer.sh", "{{args}}"]', ', env: {PANDASWEEP_TEST_NEVER_SET: {secret: true}}'));
    const home = path.join(dir, 'embedded-home');
    // No TEMPORAL_ADDRESS, no DATABASE_URL: this process would be the only worker.
    const run = await runCli(['run', file], { env: { PANDASWEEP_HOME: home } });
    expect(run.exitCode, run.stderr).toBe(2);
    expect(run.stderr).toContain(`This machine cannot run ${file} (2 problems); nothing was started:`);
    expect(run.stderr).toContain(`${file}:4:19  train.command.0: the program ./no-such-trainer.sh does not exist`);
    expect(run.stderr).toMatch(new RegExp(`${file}:4:\\d+  train\\.env\\.PANDASWEEP_TEST_NEVER_SET: the secret PANDASWEEP_TEST_NEVER_SET is not set`));
    expect(run.stderr).toContain('--no-preflight');
    expect(run.stderr).not.toContain('Starting the local Temporal dev server');
    expect(existsSync(home)).toBe(false);
  });

  const badInputLine = 'finetune: error: /datasets/alpaca/cleaned/v2/alpaca_data_cleaned_and_deduplicated_for_pandasweep.json: no such file';
  const oomLine = 'finetune: error: out of memory (CUDA out of memory. Tried to allocate 2.00 GiB); lower per_device_train_batch_size or model_max_length';
  /** A training program that prints `line` on stderr and exits `code`, as the shipped jobs do. */
  const failingTrain = (code: number, line: string) => JSON.stringify(['node', '-e', `console.error(${JSON.stringify(line)}); process.exit(${code})`, '--', '{{args}}']);
  const toyTrain = `["node", "${path.join(repoRoot, 'toy/trainer.mjs')}", "train", "--output-dir", "{{trial.checkpoint}}", "{{args}}"]`;
  it.each([
    { name: 'missing-program', train: '["./no-such-trainer.sh", "{{args}}"]', env: '', gpus: 0, type: 'JobCannotStart', cause: /cannot start \.\/no-such-trainer\.sh: no such program/ },
    {
      name: 'missing-secret',
      train: toyTrain,
      env: ', env: {PANDASWEEP_TEST_NEVER_SET: {secret: true}}',
      gpus: 0,
      type: 'SecretMissing',
      cause: /secret environment variable PANDASWEEP_TEST_NEVER_SET is not set on worker/,
    },
    // The in-process worker has the GPUs nvidia-smi finds: none here, never 64.
    { name: 'too-many-gpus', train: toyTrain, env: '', gpus: 64, type: 'NotEnoughGpus', cause: /train job for \w+ needs 64 GPUs but worker .* has \d+/ },
    // The shipped jobs' exit codes (trainers/job_errors.py): 2 for bad input, 3 for out of memory.
    { name: 'bad-input', train: failingTrain(2, badInputLine), env: '', gpus: 0, type: 'JobBadInput', cause: /rejected its input \(exit 2\): finetune: error: \/datasets\/.*\.json: no such file \(not retried/, preflightSees: false },
    { name: 'out-of-memory', train: failingTrain(3, oomLine), env: '', gpus: 0, type: 'JobOutOfMemory', cause: /ran out of memory \(exit 3\): finetune: error: out of memory \(CUDA out of memory/, preflightSees: false },
  ])('$name: fails at once with one attempt per trial, and status and the report name the cause (exit 1)', async ({ name, train, env: jobEnv, gpus, type, cause, preflightSees = true }) => {
    const file = path.join(dir, `${name}.yaml`);
    await writeFile(file, sweepYaml(name, train, jobEnv, gpus));
    const started = Date.now();
    const run = await runCli(['run', file, '--json', '--worker'], { env });
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(run.exitCode, run.stderr).toBe(1);
    // The preflight saw it coming, and said where in the file (a program's exit code it cannot foresee).
    if (preflightSees) expect(run.stderr).toMatch(new RegExp(`^Note: this machine lacks what the jobs need \\(1 problem\\)[^\\n]*\\n  ${file.replace(/[.]/g, '\\.')}:4:\\d+  train\\.`, 'm'));
    // One short line per failed attempt, no SDK dump with stack traces.
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr.split('\n').filter((line) => line.startsWith('[WARN] runJob failed'))).toHaveLength(2);
    expect(run.stdout).toMatch(new RegExp(`2 trials  ${type}: `));

    const jobs = await db.prisma.job.findMany({ where: { trial: { sweepId: name } } });
    // Retries would not help, so none were made, though the sweep allows 3.
    expect(jobs.every((job) => job.attempt === 1)).toBe(true);

    const status = await runCli(['status', name, '--json'], { env });
    expect(status.exitCode).toBe(1);
    const report = JSON.parse(status.stdout) as SweepStatusReport;
    expect(report.baseModelsWithoutBest).toEqual(['m']);
    expect(report.failedTrials).toHaveLength(2);
    for (const failed of report.failedTrials) {
      expect(failed.type).toBe(type);
      expect(failed.cause).toMatch(cause);
    }
    const text = await runCli(['status', name], { env });
    expect(text.stdout).toMatch(new RegExp(`failed   m/\\w{8}  ${type}: `));
    // The whole cause, however long, wrapped under the line rather than cut off (the log paths after
    // `logs:` may be broken inside a word, so only the text before them is compared whole).
    for (const failed of report.failedTrials) expect(text.stdout.replace(/\n {11}/g, ' ')).toContain(failed.cause.split('; logs:')[0]!.split(' (attempt')[0]!);
    expect(text.stdout).not.toContain('…');
    expect(text.stdout).toContain('m: none — every trial failed');

    const html = path.join(dir, `${name}.html`);
    const rendered = await runCli(['report', name, '-o', html], { env });
    expect(rendered.exitCode, rendered.stderr).toBe(0);
    const page = await readFile(html, 'utf8');
    expect(page).toContain('Failed trials');
    expect(page).toMatch(new RegExp(`<td>${type}</td><td class="cause">[^<]*`));
    for (const output of [run, status, text, rendered]) expect(output.stdout + output.stderr).not.toMatch(/^\s+at /m);
  });
});
