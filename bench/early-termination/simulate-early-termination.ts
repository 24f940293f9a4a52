/**
 * A simulated sweep with early termination, driven by the scheduler the workflow runs
 * (core/early-termination/rung-scheduler.ts): GPU slots train trials epoch by epoch, each stop's
 * checkpoint is judged at its rung by the simulated judge, promotions follow the scheduler, and the
 * finalists' checkpoints play the final tournament. Time is in epochs of a typical trial; everything is
 * seeded, so a run is reproducible.
 */
import { preferLastCheckpoints } from '../../core/early-termination/checkpoint-selection.js';
import { checkpointKey, parseEntrantKey } from '../../core/ids/checkpoint-keys.js';
import { planRungs, type RungFacts, type RungRules, type RungTrial } from '../../core/early-termination/rung-scheduler.js';
import { trialStops } from '../../core/early-termination/rungs.js';
import { seededRandom } from '../../core/tournament/seeded-random.js';
import type { TournamentConfig } from '../../core/tournament/tournament-config.js';
import type { MatchPairing, MatchSummary } from '../../core/tournament/types.js';
import { judgeSimulatedMatch, SimulatedField, simulateTournament } from '../selection/simulate-tournament.js';
import { checkpointQualities, type LearningCurveModel } from './learning-curve-model.js';

/** A trial of the simulated sweep: its epochs and the quality of its final checkpoint. */
export interface SimulatedTrial extends RungTrial {
  readonly quality: number;
}

/** How the simulated machines run. */
export interface SimulatedCluster {
  /** GPU slots: trials training at once. */
  readonly slots: number;
  /** Judge activities at once. */
  readonly judgeSlots: number;
  /** Time a judge call takes, in epochs. */
  readonly judgeCallTime: number;
  /** Time a stop costs besides its epochs (loading the model, answering the instructions), in epochs. */
  readonly stopOverhead: number;
  /** Spread (sd of the log) of trials' epoch times around 1. */
  readonly speedSpread: number;
}

/** Options of `simulateEarlyTermination` and `simulateFullGrid`. */
export interface SimulationOptions {
  readonly trials: readonly SimulatedTrial[];
  readonly rules: RungRules;
  readonly model: LearningCurveModel;
  readonly cluster: SimulatedCluster;
  readonly instructions: readonly string[];
  /** The final tournament (early termination) or the whole tournament (full grid). */
  readonly tournament: TournamentConfig;
  readonly seed: number;
}

/** What a simulated sweep did. */
export interface SweepOutcome {
  /** The picked checkpoint (`trial@epoch`), or `null`. */
  readonly pick: string | null;
  readonly epochsTrained: number;
  readonly rungJudgeCalls: number;
  readonly tournamentJudgeCalls: number;
  /** Time from the first training job to the last one's end. */
  readonly trainingTime: number;
  /** Share of slot time idle while training was still going on. */
  readonly idleShare: number;
  readonly stoppedEarly: number;
  readonly finalEntrants: number;
}

/** Every trial's checkpoint qualities at its stops (and its final one), drawn from the learning-curve model. */
export function drawCheckpointQualities(options: SimulationOptions): Map<string, number> {
  const { trials, model, rules, seed } = options;
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random(), Number.MIN_VALUE))) * Math.cos(2 * Math.PI * random());
  const qs = trials.map((t) => t.quality);
  const mean = qs.reduce((a, b) => a + b, 0) / qs.length;
  const sd = Math.sqrt(qs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, qs.length - 1));
  const out = new Map<string, number>();
  for (const t of trials) {
    const stops = [...new Set([...trialStops(t.epochs, rules.ladder), t.epochs])];
    checkpointQualities(model, { z: t.quality, mean, sd, epochs: t.epochs, stops, normal }).forEach((q, i) => out.set(checkpointKey(t.key, stops[i]!), q));
  }
  return out;
}

function fieldOf(qualities: ReadonlyMap<string, number>, options: SimulationOptions): SimulatedField {
  return new SimulatedField([...qualities.values()], options.seed, options.instructions, [...qualities.keys()]);
}

function speeds(options: SimulationOptions): Map<string, number> {
  const random = seededRandom(options.seed ^ 0x5eed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random(), Number.MIN_VALUE))) * Math.cos(2 * Math.PI * random());
  return new Map(options.trials.map((t) => [t.key, Math.exp(options.cluster.speedSpread * normal())]));
}

/** Runs the sweep with early termination (see the file comment). */
export function simulateEarlyTermination(options: SimulationOptions, qualities = drawCheckpointQualities(options)): SweepOutcome {
  const { trials, rules, cluster } = options;
  const field = fieldOf(qualities, options);
  const epochTime = speeds(options);
  const answered: string[] = [];
  const targets = new Map<string, number>();
  const results: MatchSummary[] = [];
  const judging = new Map<string, { pairing: MatchPairing; endsAt: number; result: MatchSummary }>();
  const training = new Map<string, { epoch: number; endsAt: number }>();
  const trained = new Map<string, number>();
  let now = 0;
  let busy = 0;
  let trainingEnd = 0;
  let rungCalls = 0;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const facts: RungFacts = { answered, targets, failed: new Set(), results, judging: [...judging.values()].map((j) => j.pairing) };
    const decisions = planRungs(trials, rules, facts);
    for (const pairing of decisions.pairings) {
      if (judging.size >= cluster.judgeSlots) break;
      const judged = judgeSimulatedMatch(field, pairing, options.instructions.length);
      rungCalls += judged.judgeCalls;
      judging.set(pairing.id, { pairing, endsAt: now + judged.judgeCalls * cluster.judgeCallTime, result: judged.record });
    }
    for (const stop of decisions.next) {
      if (training.size >= cluster.slots) break;
      if (training.has(stop.trial)) continue;
      const from = trained.get(stop.trial) ?? 0;
      targets.set(stop.trial, stop.epoch);
      training.set(stop.trial, { epoch: stop.epoch, endsAt: now + (stop.epoch - from) * (epochTime.get(stop.trial) ?? 1) + cluster.stopOverhead });
    }
    if (decisions.done) {
      const finalists = new Set(decisions.finalists);
      const entrants = answered.filter((key) => finalists.has(parseEntrantKey(key).trialKey));
      const tournament = simulateTournament(field, options.tournament, options.instructions.length, entrants);
      const epochsTrained = [...trained.values()].reduce((a, b) => a + b, 0);
      return {
        // What the store records as best: the standings' first place after the last-checkpoint rule.
        pick: preferLastCheckpoints(tournament.order, tournament.results)[0] ?? null,
        epochsTrained,
        rungJudgeCalls: rungCalls,
        tournamentJudgeCalls: tournament.judgeCalls,
        trainingTime: trainingEnd,
        idleShare: trainingEnd === 0 ? 0 : 1 - busy / (cluster.slots * trainingEnd),
        stoppedEarly: [...decisions.trials.values()].filter((s) => s.status === 'stopped').length,
        finalEntrants: entrants.length,
      };
    }
    const ends = [...training.values(), ...judging.values()].map((x) => x.endsAt);
    if (ends.length === 0) throw new Error('the simulated sweep is stuck: nothing runs and the scheduler is not done');
    const next = Math.min(...ends);
    busy += training.size * (next - now);
    now = next;
    for (const [trial, run] of [...training]) {
      if (run.endsAt > now) continue;
      training.delete(trial);
      trained.set(trial, run.epoch);
      answered.push(checkpointKey(trial, run.epoch));
      trainingEnd = now;
    }
    for (const [id, j] of [...judging]) {
      if (j.endsAt > now) continue;
      judging.delete(id);
      results.push(j.result);
    }
  }
  throw new Error('the simulated sweep did not finish');
}

/** Runs the same sweep without early termination: every trial to its last epoch, then the tournament. */
export function simulateFullGrid(options: SimulationOptions, qualities = drawCheckpointQualities(options)): SweepOutcome {
  const { trials, cluster } = options;
  const field = fieldOf(qualities, options);
  const epochTime = speeds(options);
  // List scheduling in trial order: each trial takes the slot that frees first.
  const slots = Array.from({ length: cluster.slots }, () => 0);
  let busy = 0;
  for (const t of trials) {
    const i = slots.indexOf(Math.min(...slots));
    const duration = t.epochs * (epochTime.get(t.key) ?? 1) + cluster.stopOverhead;
    slots[i] = slots[i]! + duration;
    busy += duration;
  }
  const trainingTime = Math.max(...slots);
  const entrants = trials.map((t) => checkpointKey(t.key, t.epochs));
  const tournament = simulateTournament(field, options.tournament, options.instructions.length, entrants);
  return {
    pick: tournament.standingsWinner,
    epochsTrained: trials.reduce((s, t) => s + t.epochs, 0),
    rungJudgeCalls: 0,
    tournamentJudgeCalls: tournament.judgeCalls,
    trainingTime,
    idleShare: 1 - busy / (cluster.slots * trainingTime),
    stoppedEarly: 0,
    finalEntrants: entrants.length,
  };
}
