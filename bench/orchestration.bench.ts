/**
 * Orchestration overhead: what Temporal + PostgreSQL bookkeeping costs per trial and per match when the
 * work itself is free. Jobs are instant (`true` trains, `cp` writes prepared answers), the judge is the
 * `simulated` backend on one instruction, and the sweep runs through the real CLI, workflows, worker and
 * database. Measured for the demo-sized sweep (4 trials, 6 matches) and a paper-sized one (80 trials in 4
 * blocks, 766 matches), side by side in one run. Goal: at most 20 ms per match. Prints one JSON document.
 *
 * Usage: tsx bench/orchestration.bench.ts [--trials 80] [--skip-paper]
 * Uses BENCH_TEMPORAL_ADDRESS (else starts a dev server on port 7499) and a throw-away database on
 * BENCH_DATABASE_URL / TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTemporalDevServer } from '../services/temporal-server.js';
import { runCli } from '../test/support/run-cli.js';
import { createTestDatabase } from '../test/support/test-database.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '80' }, 'skip-paper': { type: 'boolean', default: false } } });

interface Measurement {
  readonly sweep: string;
  readonly trials: number;
  readonly matches: number;
  readonly wallSeconds: number;
  readonly trainingPhaseSeconds: number;
  readonly judgingPhaseSeconds: number;
  readonly msPerTrial: number;
  readonly msPerMatch: number;
}

/** A sweep of `grid` learning rates x 1 whose jobs do nothing but leave valid outputs behind. */
function sweepYaml(name: string, learningRates: number, strategy: string, dir: string): string {
  const values = Array.from({ length: learningRates }, (_, i) => (i + 1) * 1e-6);
  return `name: ${name}
baseModels: [{ id: base }]
parameters:
  learning_rate: { values: [${values.join(', ')}] }
train:
  command: ["true"]
  gpus: 0
  retries: 0
generate:
  command: ["cp", "${path.join(dir, 'responses.jsonl')}", "{{trial.dir}}/responses.jsonl"]
  gpus: 0
  retries: 0
eval: { file: ${path.join(dir, 'eval.jsonl')} }
judge: { config: ${path.join(dir, 'judge.yaml')} }
tournament: { ${strategy}, bootstrap: 100 }
concurrency: { trials: 8, matches: 8 }
`;
}

async function measure(name: string, trials: number, strategy: string, dir: string, temporalAddress: string): Promise<Measurement> {
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, sweepYaml(name, trials, strategy, dir));
  await using db = await createTestDatabase();
  const started = performance.now();
  const run = await runCli(['run', file, '--json', '--worker'], {
    env: { TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, `home-${name}`) },
    timeoutMs: 1_800_000,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (run.exitCode !== 0) throw new Error(`${name} failed: ${run.stderr.slice(-2000)}`);
  const trialRows = await db.prisma.trial.findMany({ select: { createdAt: true, finishedAt: true } });
  const matchRows = await db.prisma.match.findMany({ select: { startedAt: true, finishedAt: true } });
  const span = (rows: { start: Date | null; end: Date | null }[]): number => {
    const starts = rows.map((r) => r.start?.getTime() ?? Infinity);
    const ends = rows.map((r) => r.end?.getTime() ?? 0);
    return (Math.max(...ends) - Math.min(...starts)) / 1000;
  };
  const trainingPhaseSeconds = span(trialRows.map((t) => ({ start: t.createdAt, end: t.finishedAt })));
  const judgingPhaseSeconds = span(matchRows.map((m) => ({ start: m.startedAt, end: m.finishedAt })));
  return {
    sweep: name,
    trials: trialRows.length,
    matches: matchRows.length,
    wallSeconds: round(wallSeconds),
    trainingPhaseSeconds: round(trainingPhaseSeconds),
    judgingPhaseSeconds: round(judgingPhaseSeconds),
    msPerTrial: round((trainingPhaseSeconds * 1000) / trialRows.length),
    msPerMatch: round((judgingPhaseSeconds * 1000) / matchRows.length),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-bench-orchestration-'));
const server = process.env.BENCH_TEMPORAL_ADDRESS ? null : await startTemporalDevServer({ stateDir: dir, env: process.env, port: 7499, uiPort: 8499, startTimeoutMs: 120_000 });
const temporalAddress = process.env.BENCH_TEMPORAL_ADDRESS ?? server!.address;
try {
  await writeFile(path.join(dir, 'eval.jsonl'), `${JSON.stringify({ id: 'q1', instruction: 'Say hi.', input: '' })}\n`);
  await writeFile(path.join(dir, 'responses.jsonl'), `${JSON.stringify({ id: 'q1', response: 'Hi.' })}\n`);
  await writeFile(path.join(dir, 'judge.yaml'), 'backend: simulated\nseed: 1\n');
  const measurements = [await measure('bench-demo', 4, 'strategy: round-robin', dir, temporalAddress)];
  if (!values['skip-paper']) measurements.push(await measure('bench-paper', Number(values.trials), 'strategy: blocks, blocks: 4, advance: 1', dir, temporalAddress));
  const worst = Math.max(...measurements.map((m) => m.msPerMatch));
  process.stdout.write(`${JSON.stringify({ bench: 'orchestration', cpus: os.cpus().length, measurements, goal: 'msPerMatch <= 20', goalMet: worst <= 20 }, null, 2)}\n`);
} finally {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}
