/**
 * Early-termination benchmark at the paper's scale, in simulation: 80 configurations of 2 to 5 epochs
 * (the PandaLM paper's grid), the latent qualities of bench/selection's shapes, and checkpoints drawn
 * from a learning-curve model calibrated on real SmolLM2 runs (bench/early-termination/
 * smollm2-learning-curves.json, from bench/learning-curves.bench.ts). Each seeded run trains the same
 * field twice on simulated GPU slots:
 *
 * - full grid: every configuration to its last epoch, then the paper's blocks tournament;
 * - early termination: the scheduler the workflow runs (rungs at `minEpochs x eta^k` epochs, each
 *   checkpoint judged at its rung, the better `1/eta` promoted as soon as that is sure), then the final
 *   tournament over the finalists' checkpoints, earlier rungs included.
 *
 * Both are judged by the simulated PandaLM-like judge (17% order flips, 10% ties, both orders, the
 * paper's rule) on the same per-pair judgments. Reported per shape: training epochs spent, P(best) and
 * P(top 3) (the pick's trial against the trial whose final checkpoint is truly best), regret (the true
 * best's final quality minus the picked checkpoint's, in logits), judge calls and the share of GPU-slot
 * time idle while training went on. Goal: at most 35% of the full grid's epochs with P(best) and regret
 * no worse than full training, on every shape.
 *
 *   npx tsx bench/early-termination.bench.ts [--runs 100] [--trials 80] [--epochs 2,3,4,5] [--instructions 170]
 *       [--min-epochs 0.5] [--eta 3] [--matches 6] [--rung-instructions 64] [--final round-robin] [--slots 8]
 *       [--judge-slots 2] [--shapes ...] [--seed 1] [--workers 2] [--curves file]
 *
 * Prints one JSON document on stdout and the same as a table on stderr.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { earlyTerminateSchema } from '../core/early-termination/early-terminate-config.js';
import { parseEntrantKey } from '../core/ids/checkpoint-keys.js';
import { rungEpochs } from '../core/early-termination/rungs.js';
import { hashSeed } from '../core/tournament/seeded-random.js';
import { tournamentConfigSchema } from '../core/tournament/tournament-config.js';
import { readLearningCurveModel } from './early-termination/learning-curve-model.js';
import { drawCheckpointQualities, simulateEarlyTermination, simulateFullGrid, type SimulatedTrial, type SimulationOptions, type SweepOutcome } from './early-termination/simulate-early-termination.js';
import { qualityShapes } from './selection/quality-shapes.js';
import { runInWorkerThreads } from './run-in-worker-threads.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    trials: { type: 'string', default: '80' },
    epochs: { type: 'string', default: '2,3,4,5' },
    instructions: { type: 'string', default: '170' },
    'min-epochs': { type: 'string', default: '0.5' },
    eta: { type: 'string', default: '3' },
    matches: { type: 'string', default: '6' },
    'rung-instructions': { type: 'string', default: '64' },
    final: { type: 'string', default: 'round-robin' },
    slots: { type: 'string', default: '8' },
    'judge-slots': { type: 'string', default: '2' },
    shapes: { type: 'string', default: qualityShapes.map((s) => s.name).join(',') },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string', default: '2' },
    curves: { type: 'string', default: path.join(benchDir, 'early-termination', 'smollm2-learning-curves.json') },
  },
});

const runs = Number(values.runs);
const trialCount = Number(values.trials);
const epochChoices = values.epochs.split(',').map(Number);
const instructions = Array.from({ length: Number(values.instructions) }, (_, i) => `i${i}`);
const shapes = qualityShapes.filter((s) => values.shapes.split(',').includes(s.name));
const spec = earlyTerminateSchema.parse({ type: 'asha', minEpochs: Number(values['min-epochs']), eta: Number(values.eta), matches: Number(values.matches), instructions: Number(values['rung-instructions']) });
const ladder = { epochs: rungEpochs(spec.minEpochs, spec.eta, Math.max(...epochChoices)), eta: spec.eta };
const model = readLearningCurveModel(values.curves);
const cluster = { slots: Number(values.slots), judgeSlots: Number(values['judge-slots']), judgeCallTime: 0.0002, stopOverhead: 0.05, speedSpread: 0.1 };

/** One run of one shape: the full grid and early termination on the same field. */
interface RunRecord {
  readonly shape: string;
  readonly run: number;
  readonly full: Scored;
  readonly early: Scored;
}

interface Scored extends SweepOutcome {
  readonly hit: boolean;
  readonly rank: number;
  readonly regret: number;
}

function runShapes(runIndices: readonly number[]): RunRecord[] {
  const out: RunRecord[] = [];
  for (const shape of shapes) {
    for (const run of runIndices) {
      const seed = hashSeed('early-termination-bench', Number(values.seed), shape.name, run);
      const z = shape.draw(trialCount, seed);
      const trials: SimulatedTrial[] = z.map((quality, i) => ({ key: `t${String(i).padStart(2, '0')}`, epochs: epochChoices[i % epochChoices.length]!, quality }));
      const options: SimulationOptions = {
        trials,
        rules: { ladder, matches: spec.matches, instructions: spec.instructions },
        model,
        cluster,
        instructions,
        tournament: tournamentConfigSchema.parse({ strategy: values.final, seed: run, bootstrap: 0 }),
        seed,
      };
      const qualities = drawCheckpointQualities(options);
      const best = trials.reduce((b, t) => (t.quality > b.quality ? t : b));
      const byQuality = [...trials].sort((a, b) => b.quality - a.quality);
      const score = (outcome: SweepOutcome): Scored => {
        const pick = outcome.pick === null ? undefined : parseEntrantKey(outcome.pick).trialKey;
        const rank = pick === undefined ? trials.length : byQuality.findIndex((t) => t.key === pick) + 1;
        const quality = outcome.pick === null ? Math.min(...z) : (qualities.get(outcome.pick) ?? Math.min(...z));
        return { ...outcome, hit: pick === best.key, rank, regret: best.quality - quality };
      };
      const fullOptions = { ...options, tournament: tournamentConfigSchema.parse({ strategy: 'blocks', blocks: 4, seed: run, bootstrap: 0 }) };
      out.push({ shape: shape.name, run, full: score(simulateFullGrid(fullOptions, qualities)), early: score(simulateEarlyTermination(options, qualities)) });
    }
  }
  return out;
}

if (!isMainThread) {
  parentPort?.postMessage(runShapes(workerData as number[]));
} else {
  await main();
}

async function main(): Promise<void> {
  const started = performance.now();
  const records = await runInWorkerThreads<RunRecord>(import.meta.url, runs, Number(values.workers));
  const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
  const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const meanInterval = (xs: readonly number[]): [number, number] => {
    if (xs.length < 2) return [mean(xs), mean(xs)];
    const m = mean(xs);
    const half = (1.96 * Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1))) / Math.sqrt(xs.length);
    return [round(m - half, 4), round(m + half, 4)];
  };
  const wilson = (k: number, n: number): [number, number] => {
    if (n === 0) return [0, 0];
    const zz = 1.96 * 1.96;
    const p = k / n;
    const centre = (p + zz / (2 * n)) / (1 + zz / n);
    const half = (1.96 * Math.sqrt((p * (1 - p)) / n + zz / (4 * n * n))) / (1 + zz / n);
    return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
  };
  const summarise = (xs: readonly Scored[]) => ({
    pBest: round(xs.filter((x) => x.hit).length / xs.length),
    pBestInterval: wilson(xs.filter((x) => x.hit).length, xs.length),
    pTop3: round(xs.filter((x) => x.rank <= 3).length / xs.length),
    meanRegret: round(mean(xs.map((x) => x.regret)), 4),
    meanRegretInterval: meanInterval(xs.map((x) => x.regret)),
    epochs: round(mean(xs.map((x) => x.epochsTrained)), 1),
    judgeCalls: Math.round(mean(xs.map((x) => x.rungJudgeCalls + x.tournamentJudgeCalls))),
    rungJudgeCalls: Math.round(mean(xs.map((x) => x.rungJudgeCalls))),
    trainingTime: round(mean(xs.map((x) => x.trainingTime)), 2),
    idleShare: round(mean(xs.map((x) => x.idleShare))),
    stoppedEarly: round(mean(xs.map((x) => x.stoppedEarly)), 1),
    finalEntrants: round(mean(xs.map((x) => x.finalEntrants)), 1),
  });
  const results = shapes.map((shape) => {
    const rs = records.filter((r) => r.shape === shape.name);
    const full = summarise(rs.map((r) => r.full));
    const early = summarise(rs.map((r) => r.early));
    const epochShare = round(early.epochs / full.epochs);
    return {
      shape: shape.name,
      runs: rs.length,
      full,
      early,
      epochShare,
      // Paired on the same fields: runs only early termination got right, and only the full grid did.
      onlyEarlyRight: rs.filter((r) => r.early.hit && !r.full.hit).length,
      onlyFullRight: rs.filter((r) => !r.early.hit && r.full.hit).length,
      goalMet: epochShare <= 0.35 && early.pBest >= full.pBest && early.meanRegret <= full.meanRegret,
    };
  });
  const doc = {
    trials: trialCount,
    epochChoices,
    instructions: instructions.length,
    runs,
    seed: Number(values.seed),
    earlyTerminate: { ...spec, rungs: ladder.epochs },
    finalTournament: values.final,
    cluster,
    learningCurves: { file: path.relative(path.join(benchDir, '..'), values.curves), persistence: round(model.persistence), bins: model.bins.map((b) => ({ ...b, rho: round(b.rho), spread: round(b.spread), lag: round(b.lag), fraction: round(b.fraction) })) },
    results,
    seconds: round((performance.now() - started) / 1000, 1),
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  const header = ['shape', 'epochs full', 'early', 'share', 'P(best) full', 'early', 'P(top3) full', 'early', 'regret full', 'early', 'calls full', 'early', 'idle full', 'early', 'goal'];
  const rows = results.map((r) => [
    r.shape, String(r.full.epochs), String(r.early.epochs), `${(r.epochShare * 100).toFixed(0)}%`,
    r.full.pBest.toFixed(2), r.early.pBest.toFixed(2), r.full.pTop3.toFixed(2), r.early.pTop3.toFixed(2),
    r.full.meanRegret.toFixed(3), r.early.meanRegret.toFixed(3), String(r.full.judgeCalls), String(r.early.judgeCalls),
    `${(r.full.idleShare * 100).toFixed(0)}%`, `${(r.early.idleShare * 100).toFixed(0)}%`, r.goalMet ? 'met' : 'NOT met',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stderr.write(`${line(header)}\n${rows.map(line).join('\n')}\ntotal ${doc.seconds} s\n`);
}
