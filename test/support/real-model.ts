/**
 * Where the real-model tests find SmolLM2-135M-Instruct and the jobs' Python environment, both made by
 * `bash scripts/setup.sh` (which .ci/run runs). Missing either is a failure under CI and a loud skip
 * elsewhere, never a silent one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './run-cli.js';
import { skipLoudly } from './skip-loudly.js';

/** The GGUF that scripts/fetch-smollm2.sh puts in models/. */
export const smolLM2Path = path.join(repoRoot, 'models', 'SmolLM2-135M-Instruct.Q4_1.gguf');
/** The launcher that runs the shipped jobs with the project's Python (trainers/python). */
export const jobsPython = path.join(repoRoot, 'trainers', 'python');

/**
 * Returns why the real-model tests cannot run here, or `null` when they can. Throws under CI, where the
 * set-up always provides both.
 */
export function realModelMissing(needs: { python: boolean }): string | null {
  const missing = [
    ...(existsSync(smolLM2Path) ? [] : [`${path.relative(repoRoot, smolLM2Path)} (run: bash scripts/fetch-smollm2.sh)`]),
    ...(!needs.python || existsSync(path.join(repoRoot, '.venv', 'bin', 'python')) || process.env.PANDASWEEP_PYTHON
      ? []
      : ['the jobs\' Python environment .venv (run: bash scripts/setup-python.sh)']),
  ];
  return skipLoudly(missing.length === 0 ? null : `real-model tests need ${missing.join(' and ')}`);
}
