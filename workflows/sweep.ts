/**
 * SweepWorkflow: for each base model, trains and evaluates every trial (child workflows, a bounded
 * number at once across the sweep), then runs the base model's tournament and records its best trial.
 */
import {
  ActivityFailure,
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BestTrialResult, ConfirmationResult } from '../activities/store.js';
import { bestEntrantOf } from '../core/ids/checkpoint-keys.js';
import type { SweepDefinition } from '../core/sweep/sweep-definition.js';
import type { SweepPlan } from '../core/sweep/sweep-plan.js';
import { applicationFailureType } from '../core/errors/unwrap-failure.js';
import { failureTypes } from '../core/failure-types.js';
import { folderOf } from '../core/paths/posix-path.js';
import { workflowIds } from '../core/ids/workflow-ids.js';
import { ConcurrencyLimit, UnorderedWindow, type TaskLimit } from './concurrency-limit.js';
import { childSearchAttributes, sweepProgressQuery, type SweepProgress } from './shared.js';
import { runEarlyTermination } from './early-termination.js';
import type { EvaluationResult } from './evaluate.js';
import { evaluateBest } from './evaluate-best.js';
import { exclusionReason, playTournament, type TournamentField } from './play-tournament.js';
import { trialWorkflow, type TrialResult } from './trial.js';

// Bookkeeping in PostgreSQL: seconds, default retries for transient database errors.
// (No taskQueue: activities and children default to this workflow's own task queue.)
const storeActs = proxyActivities<Activities>({ startToCloseTimeout: '2m' });

/** Input of `sweepWorkflow`. */
export interface SweepInput {
  readonly plan: SweepPlan;
  /** Absolute folder under which trials write their checkpoints, answers and logs. */
  readonly runsDir: string;
  /** What the results depend on (`sweepDefinition`), recorded with the sweep; absent in older histories. */
  readonly definition?: SweepDefinition;
}

/** Result of `sweepWorkflow`: the best trial per base model. */
export interface SweepResult {
  readonly sweepId: string;
  readonly best: readonly BestTrialResult[];
  /** Tuned vs default: each base model's best trial against the baseline, where both exist and differ. */
  readonly confirmations?: readonly ConfirmationResult[];
  /** The `evaluate` job's runs: the best trials and the baseline of each base model. */
  readonly evaluations?: readonly EvaluationResult[];
  /** Trials done and failed; under early termination `stopped` counts those stopped early (neither). */
  readonly trials: { readonly done: number; readonly failed: number; readonly stopped?: number };
}

/** Runs a whole sweep. */
export async function sweepWorkflow({ plan, runsDir, definition }: SweepInput): Promise<SweepResult> {
  const sweepDir = folderOf(plan.file);
  const total = plan.baseModels.reduce((n, b) => n + b.trials.length, 0);
  const counts = { done: 0, failed: 0, stopped: 0 };
  // Sweeps started before the limits held replay with the window they ran with.
  const limitsHold = patched('fifo-concurrency-limits');
  // One window across all base models: `concurrency.trials` is about GPUs, not models.
  const trialSlots: TaskLimit = limitsHold ? new ConcurrencyLimit(plan.concurrency.trials) : new UnorderedWindow(plan.concurrency.trials, condition);
  // Tournaments of different base models take turns, so that at most `concurrency.matches` judge
  // activities run at once across the sweep (each tournament keeps that many in flight).
  const tournamentTurns: TaskLimit = limitsHold ? new ConcurrencyLimit(1) : { running: 0, run: (task) => task() };
  // Rung matches of every base model share `concurrency.matches`, as tournaments do by taking turns.
  const judgeSlots: TaskLimit = new ConcurrencyLimit(plan.concurrency.matches);
  const trials = () => ({ total, running: trialSlots.running, done: counts.done, failed: counts.failed, ...(plan.earlyTerminate === undefined ? {} : { stopped: counts.stopped }) });
  let stage: SweepProgress['stage'] = 'registering';
  const baseModelStages = new Map(
    plan.baseModels.map((b) => [b.id, { id: b.id, stage: 'training' as SweepProgress['baseModels'][number]['stage'], bestTrialKey: null as string | null, rungs: undefined as SweepProgress['baseModels'][number]['rungs'] }]),
  );
  setHandler(sweepProgressQuery, () => ({
    stage,
    trials: trials(),
    baseModels: [...baseModelStages.values()].map(({ rungs, ...b }) => ({ ...b, ...(rungs === undefined ? {} : { rungs }) })),
  }));

  try {
    const registered = await storeActs.registerSweep({ plan, workflowId: workflowInfo().workflowId, runsDir, ...(definition === undefined ? {} : { definition }) });
    const alreadyDone = new Set(registered.doneTrialKeys);
    stage = 'training';

    const runTrial = async (baseModel: SweepPlan['baseModels'][number], trial: SweepPlan['baseModels'][number]['trials'][number]): Promise<TrialResult> => {
      if (alreadyDone.has(trial.key)) {
        counts.done++;
        return { trialKey: trial.key, status: 'done' };
      }
      return trialSlots.run(async () => {
        const result = await executeChild(trialWorkflow, {
          workflowId: workflowIds.trial(plan.sweepId, baseModel.id, trial.key),
          args: [{ sweepId: plan.sweepId, baseModel: { ...baseModel.fields, id: baseModel.id }, trial, train: plan.train, generate: plan.generate, evalFile: registered.evalFile, sweepDir, runsDir }],
          parentClosePolicy: ParentClosePolicy.TERMINATE,
          typedSearchAttributes: childSearchAttributes(plan.sweepId, baseModel.id, 'trial'),
        });
        if (result.status === 'done') counts.done++;
        else counts.failed++;
        return result;
      });
    };

    const confirmations: ConfirmationResult[] = [];
    const evaluations: EvaluationResult[] = [];
    // Trains a base model's trials: every one to its last epoch, or rung by rung under early termination.
    const train = async (baseModel: SweepPlan['baseModels'][number]): Promise<TournamentField> => {
      // Sweeps recorded before early termination existed never had a plan that asks for it.
      if (plan.earlyTerminate !== undefined && patched('early-termination')) {
        const entry = baseModelStages.get(baseModel.id)!;
        const field = await runEarlyTermination({
          plan, baseModel, evalFile: registered.evalFile, sweepDir, runsDir, trialSlots, judgeSlots,
          onProgress: (progress) => {
            entry.rungs = progress.rungs;
          },
        });
        counts.done += field.finalists;
        counts.failed += field.failed;
        counts.stopped += field.stopped;
        return field;
      }
      const results = await Promise.all(baseModel.trials.map((trial) => runTrial(baseModel, trial)));
      return {
        entrants: results.filter((r) => r.status === 'done').map((r) => r.trialKey),
        excluded: results.filter((r) => r.status === 'failed').map((r) => ({ trial: r.trialKey, reason: exclusionReason(r) })),
        blocks: baseModel.blocks,
        ...baselineOf(baseModel),
      };
    };
    const best = await Promise.all(
      plan.baseModels.map(async (baseModel): Promise<BestTrialResult> => {
        const field = await train(baseModel);
        const entry = baseModelStages.get(baseModel.id)!;
        entry.stage = 'judging';
        stage = 'judging';
        const tournament = await tournamentTurns.run(() => playTournament(plan, baseModel, field));
        entry.bestTrialKey = bestEntrantOf(tournament.best);
        if (tournament.confirmation !== undefined) confirmations.push(tournament.confirmation, ...(tournament.secondOpinions ?? []));
        if (plan.evaluate !== undefined && tournament.best.trialKey !== null) {
          entry.stage = 'evaluating';
          evaluations.push(...(await evaluateBest({ plan, baseModel, evaluate: plan.evaluate, evalFile: registered.evalFile, sweepDir, runsDir, trialSlots })));
        }
        entry.stage = 'done';
        return tournament.best;
      }),
    );
    stage = 'done';
    await storeActs.finishSweep({ sweepId: plan.sweepId, status: 'done' });
    confirmations.sort((x, y) => (x.baseModelId < y.baseModelId ? -1 : x.baseModelId > y.baseModelId ? 1 : 0));
    evaluations.sort((x, y) => (x.trialKey < y.trialKey ? -1 : x.trialKey > y.trialKey ? 1 : 0));
    return { sweepId: plan.sweepId, best, confirmations, ...(plan.evaluate === undefined ? {} : { evaluations }), trials: { done: counts.done, failed: counts.failed, ...(plan.earlyTerminate === undefined ? {} : { stopped: counts.stopped }) } };
  } catch (error) {
    const status = isCancellation(error) ? 'cancelled' : 'failed';
    stage = status;
    // On an id clash the sweep row is another sweep's: leave it as it is.
    if (!isSweepIdClash(error)) await CancellationScope.nonCancellable(() => storeActs.finishSweep({ sweepId: plan.sweepId, status }));
    throw error;
  }
}

function isSweepIdClash(error: unknown): boolean {
  return error instanceof ActivityFailure && applicationFailureType(error) === failureTypes.SweepIdTaken;
}

function baselineOf(baseModel: SweepPlan['baseModels'][number]): { baselineKey?: string } {
  const baseline = baseModel.trials.find((trial) => trial.isBaseline);
  return baseline === undefined ? {} : { baselineKey: baseline.key };
}
