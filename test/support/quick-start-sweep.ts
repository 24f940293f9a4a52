/**
 * The quick start's sweep (sweeps/smollm2-lora.yaml) cut down for a test or a benchmark: every job and
 * the judge stay real, paths are made absolute so the file can live in a scratch folder, and the caller
 * changes what its case needs.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { repoRoot } from './run-cli.js';

const sweepsDir = path.join(repoRoot, 'sweeps');

/** The quick start's sweep as an editable YAML document. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a YAML document edited in place
export type QuickStartSweep = Record<string, any>;

/** What every reduced quick-start sweep sets. */
export interface QuickStartOptions {
  readonly name: string;
  /** Evaluation instructions answered and judged. */
  readonly instructions: number;
  /** Longest generated answer, in tokens. */
  readonly maxNewTokens: number;
  /** The case's own changes (parameters, sections), applied last. */
  readonly edit: (sweep: QuickStartSweep) => void;
}

/** Writes `<dir>/<name>.yaml` and returns its path. */
export async function writeQuickStartSweep(dir: string, options: QuickStartOptions): Promise<string> {
  const sweep = parse(await readFile(path.join(sweepsDir, 'smollm2-lora.yaml'), 'utf8')) as QuickStartSweep;
  sweep.name = options.name;
  // The jobs' relative paths (trainers/, models/, data/) resolve against the shipped sweeps folder.
  for (const job of [sweep.train, sweep.generate, sweep.evaluate]) if (job !== undefined) job.workdir = sweepsDir;
  sweep.generate.command = (sweep.generate.command as string[]).map((arg) => (arg.startsWith('--max_new_tokens=') ? `--max_new_tokens=${options.maxNewTokens}` : arg));
  sweep.eval = { file: path.join(sweepsDir, sweep.eval.file as string), limit: options.instructions };
  sweep.judge.config = path.join(repoRoot, 'configs/judges/smollm2.yaml');
  options.edit(sweep);
  const file = path.join(dir, `${options.name}.yaml`);
  await writeFile(file, stringify(sweep));
  return file;
}
