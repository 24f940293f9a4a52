/**
 * For tests that need something only some machines have (the ../shared PandaLM data, Slurm, Chromium,
 * PostgreSQL's server binaries, the Temporal CLI, a real model): never a silent skip. Under CI, where
 * .ci/run provides all of it, a missing piece is an error; elsewhere the test skips with a
 * `SKIPPING: …` warning on stderr.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './run-cli.js';

/**
 * Passes `null` (nothing missing: run the test) through; otherwise throws under CI, or warns
 * `SKIPPING: reason` and returns the reason so the caller can `describe.skipIf(reason !== null)`.
 */
export function skipLoudly(reason: string | null): string | null {
  if (reason === null) return null;
  if (process.env.CI) throw new Error(`${reason}; under CI the set-up must provide it`);
  console.warn(`SKIPPING: ${reason}`);
  return reason;
}

/** The PandaLM data (released test set, verdicts, golden fixtures) that CI and dev machines mount at ../shared. */
export const pandalmDataDir = path.resolve(repoRoot, '../shared/data/pandalm');

/**
 * `true` when every named file of ../shared/data/pandalm is there; otherwise false after
 * {@link skipLoudly} (which throws under CI). `what` says which test needs them.
 */
export function havePandaLMData(what: string, ...files: string[]): boolean {
  const missing = files.filter((file) => !existsSync(path.join(pandalmDataDir, file)));
  const reason = missing.length === 0 ? null : `${what} needs ${missing.map((file) => path.join(pandalmDataDir, file)).join(', ')} (the ../shared PandaLM data)`;
  return skipLoudly(reason) === null;
}
