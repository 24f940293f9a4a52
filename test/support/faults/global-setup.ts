/**
 * Vitest global set-up of the fault suite (after test/support/global-setup.ts, which provides the shared
 * Temporal dev server): one PANDASWEEP_HOME for every process the suite starts, with the workflow bundle
 * built once up front, so the many workers the tests start and kill load it at once instead of each
 * spending ~10 s in webpack.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadWorkflowBundle } from '../../../worker.js';

let home: string | undefined;

export async function setup(): Promise<void> {
  if (process.env.PANDASWEEP_FAULTS_HOME) return;
  home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-'));
  await loadWorkflowBundle(home);
  process.env.PANDASWEEP_FAULTS_HOME = home;
}

export async function teardown(): Promise<void> {
  if (home) await rm(home, { recursive: true, force: true });
}
