/**
 * Selection benchmark: how often each tournament strategy picks the truly best of N trials, how much
 * quality a user loses by trusting its pick (regret: the best's latent quality minus the pick's, in
 * logits), how often the pick is in the true top three, and at what judge cost. Fields of latent
 * qualities come in a few shapes (bench/selection/quality-shapes.ts), one calibrated from PandaLM-7B's
 * released verdicts;
 * the judge is the simulated one calibrated to PandaLM (`simulateVerdict`: about 17% order flips and
 * 10% ties), both orders on every instruction, resolved by the paper's rule. Everything runs
 * in-process on the pure strategy code, so no Temporal or database is needed.
 *
 *   npx tsx bench/selection.bench.ts [--runs 100] [--round-robin-runs 4] [--trials 80] [--instructions 170]
 *                                    [--shapes clear-winner,close-top-three,flat] [--strategies ...] [--seed 1]
 *                                    [--budget <adaptive matches>] [--workers 2]
 *
 * Prints one JSON document on stdout (like every benchmark) and the same as a table on stderr. The pick is the standings' first place (what the system
 * records as the best trial); `agree` counts runs where the strategy's own winner is that trial.
 */
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { tournamentConfigSchema, type TournamentConfig } from '../core/tournament/tournament-config.js';
import { hashSeed } from '../core/tournament/seeded-random.js';
import { qualityShapes } from './selection/quality-shapes.js';
import { SimulatedField, simulateTournament, type TournamentOutcome } from './selection/simulate-tournament.js';
import { runInWorkerThreads } from './run-in-worker-threads.js';

// `adaptive-halving` is the adaptive strategy with `schedule: halving`, the schedule before `growing`.
const allStrategies = ['round-robin', 'blocks', 'knockout', 'swiss', 'adaptive', 'adaptive-halving'] as const;

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    'round-robin-runs': { type: 'string', default: '4' },
    trials: { type: 'string', default: '80' },
    instructions: { type: 'string', default: '170' },
    shapes: { type: 'string', default: qualityShapes.map((s) => s.name).join(',') },
    strategies: { type: 'string', default: allStrategies.join(',') },
    seed: { type: 'string', default: '1' },
    budget: { type: 'string' },
    workers: { type: 'string', default: '2' },
  },
});

const runs = Number(values.runs);
const roundRobinRuns = Math.min(runs, Number(values['round-robin-runs']));
const trials = Number(values.trials);
const instructionCount = Number(values.instructions);
const baseSeed = Number(values.seed);
const strategies = values.strategies.split(',').filter((s): s is (typeof allStrategies)[number] => (allStrategies as readonly string[]).includes(s));
const shapes = qualityShapes.filter((s) => values.shapes.split(',').includes(s.name));
const instructions = Array.from({ length: instructionCount }, (_, i) => `i${i}`);

function configFor(strategy: (typeof allStrategies)[number], seed: number): TournamentConfig {
  if (strategy === 'blocks') return tournamentConfigSchema.parse({ strategy, seed, bootstrap: 0, blocks: 4 });
  if (strategy === 'adaptive' || strategy === 'adaptive-halving') {
    const budget = values.budget === undefined ? {} : { budget: Number(values.budget) };
    return tournamentConfigSchema.parse({ strategy: 'adaptive', schedule: strategy === 'adaptive' ? 'growing' : 'halving', seed, bootstrap: 0, ...budget });
  }
  return tournamentConfigSchema.parse({ strategy, seed, bootstrap: 0 });
}

/** One strategy's result on one field. */
interface RunRecord {
  readonly shape: string;
  readonly strategy: string;
  readonly run: number;
  readonly hit: boolean;
  readonly rank: number;
  /** The true best's quality minus the pick's (0 for a hit; the whole field's range without a pick). */
  readonly regret: number;
  readonly calls: number;
  readonly matches: number;
  readonly agree: boolean;
  readonly stoppedEarly: number;
  readonly seconds: number;
}

/** Plays every strategy on the fields of the given runs (all shapes). */
function runFields(runIndices: readonly number[]): RunRecord[] {
  const out: RunRecord[] = [];
  for (const shape of shapes) {
    for (const run of runIndices) {
      const seed = hashSeed('selection-bench', baseSeed, shape.name, run);
      const field = new SimulatedField(shape.draw(trials, seed), seed, instructions);
      const best = field.trueBest();
      const worst = Math.min(...field.keys.map((key) => field.qualityOf(key)));
      for (const strategy of strategies) {
        if (strategy === 'round-robin' && run >= roundRobinRuns) continue;
        const t0 = performance.now();
        const outcome: TournamentOutcome = simulateTournament(field, configFor(strategy, run), instructionCount);
        const pick = outcome.standingsWinner;
        out.push({
          shape: shape.name, strategy, run, hit: pick === best, rank: pick === null ? trials : field.rankOf(pick),
          regret: field.qualityOf(best) - (pick === null ? worst : field.qualityOf(pick)),
          calls: outcome.judgeCalls, matches: outcome.matches, agree: outcome.winner === pick,
          stoppedEarly: outcome.stoppedEarly, seconds: (performance.now() - t0) / 1000,
        });
      }
    }
  }
  return out;
}

if (!isMainThread) {
  parentPort?.postMessage(runFields(workerData as number[]));
} else {
  await main();
}

async function main(): Promise<void> {
  const started = performance.now();
  const records = await runInWorkerThreads<RunRecord>(import.meta.url, runs, Number(values.workers));
  process.stderr.write(`simulated in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

  /** Wilson 95% interval of a proportion. */
  function wilson(k: number, n: number): [number, number] {
    if (n === 0) return [0, 0];
    const z = 1.96;
    const p = k / n;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    return [Math.max(0, centre - half), Math.min(1, centre + half)];
  }

  const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
  const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  /** Normal-approximation 95% interval of a mean. */
  function meanInterval(xs: readonly number[]): [number, number] {
    if (xs.length < 2) return [mean(xs), mean(xs)];
    const m = mean(xs);
    const sd = Math.sqrt(xs.reduce((sum, x) => sum + (x - m) ** 2, 0) / (xs.length - 1));
    const half = (1.96 * sd) / Math.sqrt(xs.length);
    return [Math.max(0, m - half), m + half];
  }
  const results = shapes.map((shape) => {
    const of = (strategy: string) => records.filter((r) => r.shape === shape.name && r.strategy === strategy).sort((x, y) => x.run - y.run);
    const blocks = of('blocks');
    const blocksHit = new Map(blocks.map((r) => [r.run, r.hit]));
    const blocksCalls = blocks.length > 0 ? mean(blocks.map((r) => r.calls)) : undefined;
    return {
      shape: shape.name,
      description: shape.description,
      strategies: strategies.filter((strategy) => of(strategy).length > 0).map((strategy) => {
        const rs = of(strategy);
        const hits = rs.filter((r) => r.hit).length;
        const top3 = rs.filter((r) => r.rank <= 3).length;
        const regrets = rs.map((r) => r.regret);
        const calls = mean(rs.map((r) => r.calls));
        const matches = rs.reduce((sum, r) => sum + r.matches, 0);
        return {
          strategy,
          runs: rs.length,
          pBest: round(rs.length === 0 ? 0 : hits / rs.length),
          pBestInterval: wilson(hits, rs.length).map((x) => round(x)),
          pTop3: round(rs.length === 0 ? 0 : top3 / rs.length),
          pTop3Interval: wilson(top3, rs.length).map((x) => round(x)),
          meanRegret: round(mean(regrets), 4),
          meanRegretInterval: meanInterval(regrets).map((x) => round(x, 4)),
          meanRank: round(mean(rs.map((r) => r.rank)), 2),
          judgeCalls: Math.round(calls),
          judgeCallsInterval: meanInterval(rs.map((r) => r.calls)).map((x) => Math.round(x)),
          matches: round(matches / Math.max(1, rs.length), 1),
          callsVsBlocks: blocksCalls === undefined ? null : round(calls / blocksCalls),
          stoppedEarlyShare: round(matches === 0 ? 0 : rs.reduce((sum, r) => sum + r.stoppedEarly, 0) / matches),
          winnerAgreesWithStandings: rs.filter((r) => r.agree).length,
          // Paired with blocks on the same fields: runs only this strategy got right, and only blocks did.
          onlyThisRight: blocks.length === 0 ? null : rs.filter((r) => r.hit && blocksHit.get(r.run) === false).length,
          onlyBlocksRight: blocks.length === 0 ? null : rs.filter((r) => !r.hit && blocksHit.get(r.run) === true).length,
          secondsPerRun: round(mean(rs.map((r) => r.seconds)), 2),
        };
      }),
    };
  });

  const doc = { trials, instructions: instructionCount, runs, roundRobinRuns, seed: baseSeed, budget: values.budget ?? null, results };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);

  const header = ['shape', 'strategy', 'runs', 'P(best)', '95% CI', 'P(top 3)', 'regret', '95% CI', 'mean rank', 'judge calls', 'matches', 'vs blocks', 'early', 'only/blocks-only'];
  const rows = results.flatMap((r) =>
    r.strategies.map((s) => [
      r.shape, s.strategy, String(s.runs), s.pBest.toFixed(2), `${s.pBestInterval[0]?.toFixed(2)}-${s.pBestInterval[1]?.toFixed(2)}`,
      s.pTop3.toFixed(2), s.meanRegret.toFixed(3), `${s.meanRegretInterval[0]?.toFixed(3)}-${s.meanRegretInterval[1]?.toFixed(3)}`,
      s.meanRank.toFixed(2), String(s.judgeCalls), s.matches.toFixed(0), s.callsVsBlocks === null ? '-' : `${(s.callsVsBlocks * 100).toFixed(1)}%`,
      `${(s.stoppedEarlyShare * 100).toFixed(0)}%`, s.onlyThisRight === null ? '-' : `${s.onlyThisRight}/${s.onlyBlocksRight}`,
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  process.stderr.write(`${line(header)}\n${rows.map(line).join('\n')}\n`);
  process.stderr.write(`total ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}
