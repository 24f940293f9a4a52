/**
 * What an early-terminated sweep can cost, before it runs: the rungs, how many checkpoints reach each,
 * the most training epochs the scheduler can spend against the full grid's, and the most checkpoints
 * the final tournament ranks. Bounds, not predictions: the scheduler never promotes more than
 * successive halving would (`rung-scheduler.ts`), and here the promoted trials are always taken to be
 * the longest ones.
 */
import { defaultBlockCount } from '../tournament/blocks-strategy.js';
import type { TournamentConfig } from '../tournament/tournament-config.js';
import type { TrialPlan } from '../sweep/expand-trials.js';
import type { EarlyTerminateSpec } from './early-terminate-config.js';
import type { RungTrial } from './rung-scheduler.js';
import { promotionSlots, rungEpochs, type RungLadder } from './rungs.js';

/** One rung of the plan. */
export interface PlannedRung {
  readonly epoch: number;
  /** Most checkpoints judged at it. */
  readonly trials: number;
  /** Of those, how many go on (the better `1/eta`, at least one). */
  readonly promoted: number;
  /** Most rung matches played at it: each checkpoint starts at most `matches`. */
  readonly matches: number;
}

/** An early-terminated sweep's plan for one base model. */
export interface EarlyTerminationCounts {
  readonly rungs: readonly PlannedRung[];
  /** Epochs every trial trains to its last epoch (the full grid). */
  readonly fullEpochs: number;
  /** The most epochs early termination trains. */
  readonly maxEpochs: number;
  /** The most checkpoints in the final tournament (finalists' last checkpoints and their rung checkpoints). */
  readonly finalEntrants: number;
}

/** A sweep's `earlyTerminate` section as its plan carries it: the epochs parameter resolved and the rungs computed. */
export interface EarlyTerminatePlan extends EarlyTerminateSpec {
  /** The parameter each trial's epochs come from. */
  readonly epochsParameter: string;
  /** Rung epochs, ascending. */
  readonly rungs: readonly number[];
}

/** The trials of a base model as the scheduler sees them: epochs from the epochs parameter, the baseline protected. */
export function rungTrialsOf(trials: readonly Pick<TrialPlan, 'key' | 'params' | 'isBaseline'>[], epochsParameter: string): RungTrial[] {
  return trials.map((t) => ({ key: t.key, epochs: Number(t.params[epochsParameter]), ...(t.isBaseline ? { protected: true } : {}) }));
}

/** The ladder of a sweep's trials: rungs below the longest trial's epochs. */
export function ladderOf(spec: Pick<EarlyTerminateSpec, 'minEpochs' | 'eta'>, trials: readonly RungTrial[]): RungLadder {
  const longest = Math.max(spec.minEpochs, ...trials.map((t) => t.epochs));
  return { epochs: rungEpochs(spec.minEpochs, spec.eta, longest), eta: spec.eta };
}

/** Counts the rungs and bounds the epochs of one base model's trials (see the file comment). */
export function countEarlyTermination(trials: readonly RungTrial[], ladder: RungLadder, matches: number): EarlyTerminationCounts {
  const protectedTrials = trials.filter((t) => t.protected === true);
  let field = trials.filter((t) => t.protected !== true).sort((a, b) => b.epochs - a.epochs);
  let maxEpochs = protectedTrials.reduce((sum, t) => sum + t.epochs, 0);
  // Every finalist was promoted from the first rung, and brings at most one checkpoint per rung and its last.
  const finalEntrants = protectedTrials.length + promotionSlots(trials.length - protectedTrials.length, ladder.eta) * (ladder.epochs.length + 1);
  const first = ladder.epochs[0] ?? 0;
  maxEpochs += field.reduce((sum, t) => sum + Math.min(first, t.epochs), 0);
  const rungs: PlannedRung[] = [];
  ladder.epochs.forEach((epoch, k) => {
    const at = field.filter((t) => t.epochs >= epoch);
    if (at.length === 0) {
      rungs.push({ epoch, trials: 0, promoted: 0, matches: 0 });
      field = [];
      return;
    }
    const promoted = at.slice(0, promotionSlots(at.length, ladder.eta));
    const next = ladder.epochs[k + 1];
    for (const t of promoted) {
      maxEpochs += Math.min(next ?? t.epochs, t.epochs) - epoch;
    }
    rungs.push({ epoch, trials: at.length, promoted: promoted.length, matches: at.length * Math.min(matches, at.length - 1) });
    field = next === undefined ? [] : promoted.filter((t) => t.epochs >= next);
  });
  return { rungs, fullEpochs: trials.reduce((sum, t) => sum + t.epochs, 0), maxEpochs: Math.round(maxEpochs * 1e6) / 1e6, finalEntrants };
}

/** Block sizes a final tournament of `entrants` checkpoints is counted with (`blocks` splits them evenly). */
export function finalBlockSizes(entrants: number, config: TournamentConfig): number[] {
  if (entrants === 0) return [];
  const count = config.strategy === 'blocks' ? Math.min(entrants, config.blocks ?? defaultBlockCount) : 1;
  return Array.from({ length: count }, (_, i) => Math.floor(entrants / count) + (i < entrants % count ? 1 : 0));
}
