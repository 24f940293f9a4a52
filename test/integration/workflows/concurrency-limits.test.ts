/**
 * `concurrency.trials` and `concurrency.matches` hold across the whole sweep, whatever the worker's
 * activity slots: two base models x three toy-trained trials (a stand-in trainer that sleeps, so jobs
 * overlap when allowed to) with at most 2 trials and 1 match at once, on the real Temporal dev server
 * and PostgreSQL. Overlaps are read off the rows' start and finish times.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

/** The most intervals open at one instant (an interval ending when another starts does not overlap it). */
function peakOverlap(spans: readonly { start: Date; end: Date | null }[]): number {
  const events = spans.flatMap((s) => [
    { at: s.start.getTime(), delta: 1 },
    { at: (s.end ?? new Date(8.64e15)).getTime(), delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let peak = 0;
  for (const event of events) peak = Math.max(peak, (open += event.delta));
  return peak;
}

const toy = path.join(repoRoot, 'toy/trainer.mjs');
const sweep = [
  'name: concurrency-limits',
  'baseModels: [{id: a}, {id: b}]',
  'parameters: {learning_rate: {values: [2e-5, 1e-4, 3e-4]}}',
  `train: {command: [node, ${toy}, train, --output-dir, "{{trial.checkpoint}}", --steps, "3", --sleep, "0.4", "{{args}}"], gpus: 0, retries: 0}`,
  `generate: {command: [node, ${toy}, generate, --checkpoint, "{{trial.checkpoint}}", --eval, "{{eval.file}}", --output, "{{trial.dir}}/responses.jsonl"], gpus: 0, retries: 0}`,
  `eval: {file: ${path.join(repoRoot, 'sweeps/data/demo-eval.jsonl')}, limit: 3}`,
  'judge: {config: demo}',
  'tournament: {strategy: round-robin}',
  'concurrency: {trials: 2, matches: 1}',
].join('\n');

describe('concurrency limits', () => {
  let db: TestDatabase;
  let home: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-concurrency-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it('trains at most `concurrency.trials` trials and runs at most `concurrency.matches` judge activities at once', async () => {
    const file = path.join(home, 'sweep.yaml');
    await writeFile(file, sweep);
    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: home };
    const run = await runCli(['run', file, '--json', '--worker'], { env });
    expect(run.exitCode, run.stderr).toBe(0);

    const trials = await db.prisma.trial.findMany({ where: { sweepId: 'concurrency-limits' }, include: { jobs: true } });
    expect(trials).toHaveLength(6);
    expect(trials.every((t) => t.status === 'done')).toBe(true);
    // A trial holds its slot from its training job's start to its generation job's end.
    const trialSpans = trials.map((t) => ({
      start: new Date(Math.min(...t.jobs.map((j) => j.startedAt.getTime()))),
      end: new Date(Math.max(...t.jobs.map((j) => j.finishedAt!.getTime()))),
    }));
    // Exactly the limit: the six trials did compete for two slots.
    expect(peakOverlap(trialSpans)).toBe(2);

    const matches = await db.prisma.match.findMany({ where: { sweepId: 'concurrency-limits' } });
    expect(matches).toHaveLength(2 * 3);
    expect(matches.every((m) => m.startedAt !== null && m.finishedAt !== null)).toBe(true);
    // A round robin is one judging group (one activity): its matches run together, and the two base
    // models' groups take turns.
    const spans = ['a', 'b'].map((base) => {
      const own = matches.filter((m) => m.baseModelId.endsWith(base));
      return { start: new Date(Math.min(...own.map((m) => m.startedAt!.getTime()))), end: new Date(Math.max(...own.map((m) => m.finishedAt!.getTime()))) };
    });
    expect(peakOverlap(spans)).toBe(1);
    expect(peakOverlap(matches.map((m) => ({ start: m.startedAt!, end: m.finishedAt })))).toBe(3);
  });
});
