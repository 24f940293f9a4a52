/**
 * Early termination on a real sweep (issue 29, part b): 8 LoRA configurations of SmolLM2-135M-Instruct
 * (learning rates 3e-5 to 1e-2) x 3 epochs, run twice through the real CLI, worker, Temporal and
 * PostgreSQL, one after the other on the same machine: once trained to the last epoch and judged in a
 * round robin, once with `earlyTerminate` (a rung at epoch 1, eta 3). Real fine-tunes (trainers/finetune.py),
 * real generation and SmolLM2 judging through node-llama-cpp. Side by side: training seconds (the train
 * jobs' own durations), epochs trained, judge calls, wall time, training-slot idle share (from the job
 * rows), and whether the picks agree or fall inside each other's rating interval. Prints one JSON document.
 *
 * Usage: tsx bench/early-termination-real.bench.ts [--instructions 8] [--samples 16]
 * Uses BENCH_TEMPORAL_ADDRESS (else starts a dev server on port 7498) and throw-away databases on
 * BENCH_DATABASE_URL / TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTemporalDevServer } from '../services/temporal-server.js';
import { runCli } from '../test/support/run-cli.js';
import { createTestDatabase } from '../test/support/test-database.js';
import { writeQuickStartSweep } from '../test/support/quick-start-sweep.js';

const { values } = parseArgs({ options: { instructions: { type: 'string', default: '8' }, samples: { type: 'string', default: '16' } } });
const instructions = Number(values.instructions);
const learningRates = [3e-5, 1e-4, 3e-4, 6e-4, 1e-3, 2e-3, 4e-3, 1e-2];
const epochs = 3;
const slots = 2;

/** The quick start's sweep widened to 8 learning rates x 3 epochs, with or without early termination. */
function sweepFile(dir: string, earlyTerminate: boolean): Promise<string> {
  return writeQuickStartSweep(dir, {
    name: earlyTerminate ? 'bench-early-stop' : 'bench-full',
    instructions,
    maxNewTokens: 64,
    edit: (sweep) => {
      sweep.parameters.learning_rate = { values: learningRates };
      sweep.parameters.num_train_epochs = { value: epochs };
      sweep.parameters.max_train_samples = { value: Number(values.samples) };
      sweep.parameters.model_max_length = { value: 192 };
      delete sweep.baseline;
      delete sweep.evaluate;
      if (earlyTerminate) {
        sweep.earlyTerminate = { type: 'asha', minEpochs: 1, instructions };
        sweep.train.command = [...(sweep.train.command as string[]), '--stop_at_epoch={{trial.stopEpoch}}'];
      }
      sweep.concurrency = { trials: slots, matches: 1 };
    },
  });
}

interface Side {
  readonly sweep: string;
  readonly wallSeconds: number;
  readonly trainingSeconds: number;
  readonly epochsTrained: number;
  readonly trialsStopped: number;
  readonly judgeCalls: number;
  /** Share of the training slots' time idle between the first job's start and the last job's end. */
  readonly slotIdleShare: number;
  readonly best: { trial: string; learningRate: number; epoch: number | null };
  /** Every ranked entrant (trial@epoch under early termination) with its rating interval, best first. */
  readonly ranking: { entrant: string; learningRate: number; rating: number; ciLow: number; ciHigh: number }[];
}

const seconds = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 1000;
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

async function measure(dir: string, temporalAddress: string, earlyTerminate: boolean): Promise<Side> {
  const file = await sweepFile(dir, earlyTerminate);
  await using db = await createTestDatabase();
  const started = performance.now();
  const run = await runCli(['run', file, '--json', '--worker'], { env: { TEMPORAL_ADDRESS: temporalAddress, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') }, timeoutMs: 3_600_000 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (run.exitCode !== 0) throw new Error(`${path.basename(file)} failed: ${run.stderr.slice(-2000)}`);
  const trials = await db.prisma.trial.findMany();
  const jobs = await db.prisma.job.findMany({ where: { kind: { in: ['train', 'generate'] } } });
  const done = jobs.filter((j) => j.finishedAt !== null);
  const busy = done.reduce((n, j) => n + seconds(j.startedAt, j.finishedAt!), 0);
  const span = seconds(new Date(Math.min(...done.map((j) => j.startedAt.getTime()))), new Date(Math.max(...done.map((j) => j.finishedAt!.getTime()))));
  const best = await db.prisma.bestTrial.findFirstOrThrow();
  const paramsOf = (trialId: string) => (trials.find((t) => t.id === trialId)!.params as { learning_rate: number }).learning_rate;
  const standings = await db.prisma.standing.findMany({ orderBy: { rank: 'asc' } });
  return {
    sweep: path.basename(file, '.yaml'),
    wallSeconds: round(wallSeconds, 1),
    trainingSeconds: round(done.filter((j) => j.kind === 'train').reduce((n, j) => n + seconds(j.startedAt, j.finishedAt!), 0), 1),
    epochsTrained: trials.reduce((n, t) => n + (t.epochsTrained ?? epochs), 0),
    trialsStopped: trials.filter((t) => t.status === 'stopped').length,
    judgeCalls: await db.prisma.judgment.count(),
    slotIdleShare: round(1 - busy / (slots * span)),
    best: { trial: trials.find((t) => t.id === best.trialId)!.key, learningRate: paramsOf(best.trialId), epoch: best.epoch },
    ranking: standings.map((s) => ({ entrant: `${s.trialId.slice(-16)}${s.epoch ? `@${s.epoch}` : ''}`, learningRate: paramsOf(s.trialId), rating: round(s.rating, 1), ciLow: round(s.ciLow, 1), ciHigh: round(s.ciHigh, 1) })),
  };
}

/** Whether `other`'s pick sits inside the rating interval of `side`'s best, in `side`'s ranking. */
function withinInterval(side: Side, other: Side): boolean | null {
  const top = side.ranking[0]!;
  const entry = side.ranking.find((r) => r.learningRate === other.best.learningRate);
  return entry === undefined ? null : entry.ciHigh >= top.ciLow;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-bench-early-real-'));
const server = process.env.BENCH_TEMPORAL_ADDRESS ? null : await startTemporalDevServer({ stateDir: dir, env: process.env, port: 7498, uiPort: 8498, startTimeoutMs: 120_000 });
const temporalAddress = process.env.BENCH_TEMPORAL_ADDRESS ?? server!.address;
try {
  const full = await measure(dir, temporalAddress, false);
  const early = await measure(dir, temporalAddress, true);
  const agree = full.best.learningRate === early.best.learningRate;
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'early-termination-real',
        cpus: os.cpus().length,
        grid: { learningRates, epochs, instructions, trainSamples: Number(values.samples), slots },
        full,
        early,
        savings: { trainingSeconds: round(early.trainingSeconds / full.trainingSeconds), epochs: round(early.epochsTrained / full.epochsTrained), judgeCalls: round(early.judgeCalls / full.judgeCalls), wall: round(early.wallSeconds / full.wallSeconds) },
        picks: { agree, earlyPickWithinFullInterval: withinInterval(full, early), fullPickWithinEarlyInterval: withinInterval(early, full) },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}
