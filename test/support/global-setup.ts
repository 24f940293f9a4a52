/**
 * Vitest global set-up for the suites that need Temporal: uses the dev server `.ci/run` started
 * (PANDASWEEP_TEST_TEMPORAL_ADDRESS), else starts one itself on a test port with a throw-away history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTemporalDevServer, type TemporalServerHandle } from '../../services/temporal-server.js';

let server: TemporalServerHandle | undefined;
let stateDir: string | undefined;

export async function setup(): Promise<void> {
  if (process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS) return;
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-test-temporal-'));
  server = await startTemporalDevServer({ stateDir, env: process.env, port: 7399, uiPort: 8399, startTimeoutMs: 120_000 });
  process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS = server.address;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
}
