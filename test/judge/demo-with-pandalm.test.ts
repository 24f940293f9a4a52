/**
 * The demo sweep judged by the real PandaLM backend: node-llama-cpp running a tiny random-weight GGUF
 * model (generated here; a 7B judge cannot run on this machine) through the real workflows, Temporal dev
 * server and PostgreSQL. The model's verdicts are meaningless, so the test checks the mechanics: every
 * judgment recorded once with its first-token probabilities, standings and a best trial.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../support/write-tiny-gguf.js';
import { repoRoot, runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('demo sweep with the PandaLM backend on a tiny model', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-demo-pandalm-'));
  });
  afterAll(async () => {
    await db?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('judges every match in both orders with first-token probabilities', async () => {
    const model = path.join(dir, 'tiny-pandalm.gguf');
    await writeTinyGguf(model, { seed: 11 });
    await writeFile(path.join(dir, 'judge.yaml'), `backend: llama\nmodel: ${model}\nthreads: 1\nsequences: 1\n`);
    const demo = await readFile(path.join(repoRoot, 'sweeps/demo.yaml'), 'utf8');
    const sweep = demo
      .replace('name: demo', 'name: demo-pandalm')
      .replaceAll('../toy/trainer.mjs', path.join(repoRoot, 'toy/trainer.mjs'))
      .replace('file: data/demo-eval.jsonl', `file: ${path.join(repoRoot, 'sweeps/data/demo-eval.jsonl')}`)
      .replace('config: demo', 'config: judge.yaml');
    expect(sweep).toContain('config: judge.yaml');
    await writeFile(path.join(dir, 'sweep.yaml'), sweep);

    const env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') };
    const run = await runCli(['run', path.join(dir, 'sweep.yaml'), '--json', '--worker'], { env });
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary.sweepId).toBe('demo-pandalm');

    const { prisma } = db;
    const judgments = await prisma.judgment.findMany();
    expect(judgments).toHaveLength(6 * 10 * 2);
    for (const j of judgments) {
      expect(j.judgeId).toMatch(/^llama:pandalm:/);
      const p = [j.probTie!, j.probOne!, j.probTwo!];
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 5);
      // The verdict is the most likely first token.
      expect(p.indexOf(Math.max(...p))).toBe(j.verdict);
    }
    const matches = await prisma.match.findMany();
    expect(matches.every((m) => m.status === 'done' && m.aWins + m.bWins + m.ties === 10)).toBe(true);
    expect(await prisma.standing.count()).toBe(4);
    const best = await prisma.bestTrial.findFirstOrThrow();
    expect(best.trialId).toBe(`demo-pandalm/${summary.best[0].trial}`);
  });
});
