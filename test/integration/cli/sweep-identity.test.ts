/**
 * A sweep's id is its own: two names with the same id ("Sweep ☃ 日本" and "Sweep ✈ 中国" are both
 * `sweep`) never share one sweep. The second run is refused before it starts a workflow (so it cannot
 * join the first one's), naming the other sweep, and the first sweep's rows stay as they were. Toy
 * trainer and simulated judge (machinery only), real Temporal dev server and PostgreSQL.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const toy = path.join(repoRoot, 'toy/trainer.mjs');
const sweepYaml = (name: string) =>
  [
    `name: "${name}"`,
    'baseModels: [{id: m}]',
    'parameters: {learning_rate: {values: [2e-5, 1e-4]}}',
    `train: {command: [node, ${toy}, train, --output-dir, "{{trial.checkpoint}}", "{{args}}"], gpus: 0}`,
    `generate: {command: [node, ${toy}, generate, --checkpoint, "{{trial.checkpoint}}", --eval, "{{eval.file}}", --output, "{{trial.dir}}/responses.jsonl"], gpus: 0}`,
    `eval: {file: ${path.join(repoRoot, 'sweeps/data/demo-eval.jsonl')}, limit: 2}`,
    'judge: {config: demo}',
    'tournament: {strategy: round-robin}',
  ].join('\n');

describe('sweep ids', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-identity-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second name whose id another sweep has, naming it, and leaves that sweep alone (exit 2)', async () => {
    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') };
    const first = path.join(dir, 'first.yaml');
    const second = path.join(dir, 'second.yaml');
    await writeFile(first, sweepYaml('Sweep ☃ 日本'));
    await writeFile(second, sweepYaml('Sweep ✈ 中国'));
    const run = await runCli(['run', first, '--json', '--worker'], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    const before = await db.prisma.sweep.findUniqueOrThrow({ where: { id: 'sweep' }, include: { bestTrials: true } });

    const clash = await runCli(['run', second, '--json', '--worker'], { env });
    expect(clash.exitCode, clash.stderr).toBe(2);
    expect(clash.stderr).toContain(`Cannot run ${second}: the sweep name "Sweep ✈ 中国" has the id "sweep", which the sweep "Sweep ☃ 日本" (${first}) already has`);
    expect(clash.stderr).toContain('Change `name:`');

    const after = await db.prisma.sweep.findUniqueOrThrow({ where: { id: 'sweep' }, include: { bestTrials: true } });
    expect(after).toEqual(before);
    // Rerunning the first one by its own name is no clash.
    const again = await runCli(['run', first, '--json', '--worker'], { env });
    expect(again.exitCode, again.stderr).toBe(0);
  });
});
