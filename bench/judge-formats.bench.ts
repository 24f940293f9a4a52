/**
 * Each judge format measured against PandaLM's human labels with one real small model: SmolLM2-135M-
 * Instruct (models/, from scripts/setup.sh) on the llama backend, through `pandasweep judge-eval` on the
 * first `--limit` items of the shipped test set, both orders, the paper's resolution (probability for the
 * formats read in verdict mode). Prints one JSON document with each format's accuracy, macro F1, kappa,
 * order-conflict rate, position bias and time. The figures say how far a 135M model is from a judge,
 * not how good a format is: PandaLM-7B's and GPT-3.5's released verdicts are the yardstick.
 *
 * Usage: tsx bench/judge-formats.bench.ts [--limit 200] [--formats pandalm,custom,judgelm,prometheus,auto-j]
 *        [--max-tokens 96] [--threads 2] [--save-dir DIR]
 * PandaLM's and the custom format's runs use the shipped configs smollm2 and smollm2-custom.
 * JudgeLM's verdict is its first line, so it generates 16 tokens at most; Prometheus and Auto-J decide at
 * the end of their answer and get `--max-tokens`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { smolLM2Path } from '../test/support/real-model.js';

const { values } = parseArgs({
  options: {
    limit: { type: 'string', default: '200' },
    formats: { type: 'string', default: 'pandalm,custom,judgelm,prometheus,auto-j' },
    'max-tokens': { type: 'string', default: '96' },
    threads: { type: 'string', default: '2' },
    'save-dir': { type: 'string' },
  },
});

const repoRoot = path.resolve(import.meta.dirname, '..');
const testset = path.join(repoRoot, 'sweeps/data/pandalm-testset-v1.json');

/** A shipped config (SmolLM2's PandaLM and custom ones), or a format and its keys on SmolLM2. */
interface FormatRun {
  readonly config?: string;
  readonly format?: string;
  readonly keys?: readonly string[];
  readonly flags: readonly string[];
}

const maxTokens = Number(values['max-tokens']);
const runs: Record<string, FormatRun> = {
  pandalm: { config: 'smollm2', flags: ['--resolution', 'probability'] },
  custom: { config: 'smollm2-custom', flags: ['--resolution', 'probability'] },
  judgelm: { format: 'judgelm', keys: ['maxTokens: 16'], flags: ['--full'] },
  prometheus: { format: 'prometheus', keys: [`maxTokens: ${maxTokens}`], flags: ['--full'] },
  'auto-j': { format: 'auto-j', keys: [`maxTokens: ${maxTokens}`], flags: ['--full'] },
};

const dir = await mkdtemp(path.join(tmpdir(), 'pandasweep-judge-formats-'));
const results: Record<string, unknown>[] = [];
try {
  for (const name of values.formats.split(',')) {
    const run = runs[name];
    if (run === undefined) throw new Error(`unknown format ${name}; expected one of ${Object.keys(runs).join(', ')}`);
    const config = run.config ?? path.join(dir, `${name}.yaml`);
    if (run.config === undefined) await writeFile(config, [`backend: llama`, `model: ${smolLM2Path}`, `format: ${run.format}`, `threads: ${values.threads}`, ...(run.keys ?? []), ''].join('\n'));
    const save = values['save-dir'] === undefined ? [] : ['--save', path.join(values['save-dir'], `smollm2-${name}.json`)];
    const started = performance.now();
    const result = await execa('node', [path.join(repoRoot, 'bin/pandasweep.js'), 'judge-eval', '--testset', testset, '--judge', config, '--limit', values.limit, ...run.flags, ...save, '--json'], { cwd: repoRoot, stderr: 'inherit' });
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    results.push({ format: name, flags: run.flags.join(' '), ...pick(report, ['n', 'accuracy', 'macro', 'kappa', 'orderConflictRate', 'positionBias', 'confusion']), seconds: Math.round((performance.now() - started) / 100) / 10 });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ model: path.basename(smolLM2Path), limit: Number(values.limit), results }, null, 2)}\n`);

function pick(report: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((key) => key in report).map((key) => [key, report[key]]));
}
