/**
 * For tests that need something only some machines have (Slurm, Chromium, PostgreSQL's server binaries,
 * the Temporal CLI, a real model): never a silent skip. Under CI, where .ci/run provides all of it, a
 * missing piece is an error; elsewhere the test skips with a `SKIPPING: …` warning on stderr. (PandaLM's
 * data is not among them: it ships in sweeps/data, see test/support/pandalm-data.ts.)
 */

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
