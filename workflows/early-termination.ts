/**
 * Early termination inside the sweep workflow: one base model's trials trained rung by rung, as the
 * scheduler (core/early-termination/rung-scheduler.ts) decides after every event. Each stop is a
 * trial child workflow (train to the stop's epoch, answer from that checkpoint); each rung match is one
 * judge activity, judged while other trials train. A GPU slot that frees goes to the best stop at that
 * moment (a promotion before a new trial), never to one queued earlier. Ends with the final
 * tournament's entrants: the finalists' checkpoints, their rung checkpoints included. Deterministic.
 */
import { ApplicationFailure, condition, executeChild, ParentClosePolicy, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { planRungs, type NextStop, type RungDecisions, type RungSummary } from '../core/early-termination/rung-scheduler.js';
import { rungTrialsOf } from '../core/early-termination/plan-early-termination.js';
import { rungIndexAt, rungStage } from '../core/early-termination/rungs.js';
import { failureTypes } from '../core/failure-types.js';
import { checkpointKey, trialKeyOfEntrant } from '../core/ids/checkpoint-keys.js';
import { workflowIds } from '../core/ids/workflow-ids.js';
import type { SweepPlan } from '../core/sweep/sweep-plan.js';
import { defaultJudgeHeartbeatTimeoutSeconds } from '../core/sweep/heartbeat-timeouts.js';
import { assignBlocks } from '../core/tournament/strategies.js';
import type { MatchPairing, MatchSummary } from '../core/tournament/types.js';
import type { TaskLimit } from './concurrency-limit.js';
import { exclusionReason, type TournamentField } from './play-tournament.js';
import { childSearchAttributes, taskQueuesFor } from './shared.js';
import { trialWorkflow } from './trial.js';

// Bookkeeping in PostgreSQL: seconds, default retries for transient database errors.
const storeActs = proxyActivities<Activities>({ startToCloseTimeout: '2m' });

/** What one base model's early termination needs from the sweep workflow. */
export interface EarlyTerminationInput {
  readonly plan: SweepPlan;
  readonly baseModel: SweepPlan['baseModels'][number];
  /** The file `{{eval.file}}` names (from registration). */
  readonly evalFile: string;
  readonly sweepDir: string;
  readonly runsDir: string;
  /** The sweep's GPU window, shared with every base model and the evaluate jobs. */
  readonly trialSlots: TaskLimit;
  /** Rung matches judged at once across the sweep. */
  readonly judgeSlots: TaskLimit;
  /** Called after every decision, for the progress query. */
  readonly onProgress: (progress: EarlyTerminationProgress) => void;
}

/** Where a base model's rungs stand. */
export interface EarlyTerminationProgress {
  readonly rungs: readonly Pick<RungSummary, 'epoch' | 'expected' | 'present' | 'promoted' | 'stopped' | 'closed'>[];
  readonly training: number;
  readonly judging: number;
  readonly stopped: number;
  readonly failed: number;
}

/**
 * The final tournament's field (entrants: every finalist's answered checkpoints, in final blocks; the
 * baseline's last checkpoint when it answered), and what early termination counted.
 */
export interface EarlyTerminationResult extends TournamentField {
  readonly finalists: number;
  readonly stopped: number;
  readonly failed: number;
}

/** Runs one base model's trials through the rungs and returns the final tournament's field. */
export async function runEarlyTermination(input: EarlyTerminationInput): Promise<EarlyTerminationResult> {
  const { plan, baseModel } = input;
  const early = plan.earlyTerminate!;
  const rules = { ladder: { epochs: early.rungs, eta: early.eta }, matches: early.matches, instructions: early.instructions };
  const trials = rungTrialsOf(baseModel.trials, early.epochsParameter);
  const epochsOf = new Map(trials.map((t) => [t.key, t.epochs]));
  const byKey = new Map(baseModel.trials.map((t) => [t.key, t]));
  const scope = { sweepId: plan.sweepId, baseModelId: baseModel.id };
  const judgeActs = proxyActivities<Activities>({
    taskQueue: taskQueuesFor(workflowInfo().taskQueue).judge,
    // A rung match is a few dozen judge calls; the heartbeat timeout notices a dead judge worker first.
    startToCloseTimeout: '2h',
    heartbeatTimeout: `${plan.judge.heartbeatTimeout ?? defaultJudgeHeartbeatTimeoutSeconds}s`,
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: [failureTypes.JudgeUnavailable] },
  });

  const recorded = await storeActs.readRecordedRungs(scope);
  const answered = [...recorded.answered];
  const targets = new Map(recorded.targets);
  const results: MatchSummary[] = [...recorded.results];
  const failed = new Map<string, string>();
  const judging = new Map<string, MatchPairing>();
  const training = new Set<string>();
  const outcomes = { stopped: new Set<string>(), finalists: new Set<string>() };
  let version = 0;
  let failure: unknown;
  let slotRequests = 0;
  let decisions: RungDecisions | undefined;
  const isAnswered = (trial: string, epoch: number) => answered.includes(checkpointKey(trial, epoch));
  // Stops a trial was sent to but never answered (a run before this one was cancelled, failed or crashed) go first.
  const unfinished = (): NextStop[] =>
    [...targets].filter(([trial, epoch]) => !training.has(trial) && !failed.has(trial) && !isAnswered(trial, epoch)).map(([trial, epoch]) => ({ trial, epoch, promotedFrom: null }));
  // The last plan may be older than the last event: a stop it lists may have been sent since.
  const runnable = (): NextStop[] =>
    [...unfinished(), ...(decisions?.next ?? []).filter((s) => (targets.get(s.trial) ?? 0) < s.epoch)].filter((s) => !training.has(s.trial) && !failed.has(s.trial));

  const runStop = async ({ trial, epoch }: NextStop): Promise<void> => {
    training.add(trial);
    targets.set(trial, epoch);
    const rung = rungIndexAt(epoch, rules.ladder);
    const plannedTrial = byKey.get(trial)!;
    try {
      const result = await executeChild(trialWorkflow, {
        workflowId: workflowIds.trialStop(plan.sweepId, baseModel.id, trial, epoch),
        args: [{
          sweepId: plan.sweepId,
          baseModel: { ...baseModel.fields, id: baseModel.id },
          trial: plannedTrial,
          train: plan.train,
          generate: plan.generate,
          evalFile: input.evalFile,
          sweepDir: input.sweepDir,
          runsDir: input.runsDir,
          stop: { epoch, rung: rung < 0 ? null : rung, final: epoch === epochsOf.get(trial) },
        }],
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        typedSearchAttributes: childSearchAttributes(plan.sweepId, baseModel.id, rung < 0 ? 'last-epoch' : rungStage(rung)),
      });
      if (result.status === 'done') answered.push(checkpointKey(trial, epoch));
      else failed.set(trial, exclusionReason(result));
    } finally {
      training.delete(trial);
      version++;
    }
  };
  // A slot is asked for per runnable stop; the stop is chosen when the slot is granted, so a promotion
  // decided meanwhile goes before a new trial that was runnable when the slot was asked for.
  const requestSlot = () => {
    slotRequests++;
    void input.trialSlots
      .run(async () => {
        slotRequests--;
        const stop = runnable()[0];
        if (stop !== undefined) await runStop(stop);
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        version++;
      });
  };
  const judge = (pairing: MatchPairing) => {
    judging.set(pairing.id, pairing);
    void input.judgeSlots
      .run(async () => {
        await storeActs.planMatches({ ...scope, pairings: [pairing] });
        results.push(await judgeActs.judgeMatch({ ...scope, pairing, judge: plan.judge }));
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => {
        judging.delete(pairing.id);
        version++;
      });
  };

  for (;;) {
    if (failure !== undefined) throw failure;
    const planned = version;
    decisions = planRungs(trials, rules, { answered, targets, failed: new Set(failed.keys()), results, judging: [...judging.values()] });
    const stopped = [...decisions.trials].filter(([, s]) => s.status === 'stopped').map(([t]) => t).filter((t) => !outcomes.stopped.has(t));
    const finalists = [...decisions.trials].filter(([, s]) => s.status === 'finalist').map(([t]) => t).filter((t) => !outcomes.finalists.has(t));
    if (stopped.length > 0 || finalists.length > 0) {
      await storeActs.markRungOutcomes({ sweepId: plan.sweepId, stopped, finalists });
      for (const t of stopped) outcomes.stopped.add(t);
      for (const t of finalists) outcomes.finalists.add(t);
      // A stop or a match may have ended while the outcomes were stored: plan again from the new facts,
      // or a stale plan would see nothing left to run and call the rungs stuck.
      if (version !== planned) continue;
    }
    input.onProgress({
      rungs: decisions.rungs.map(({ epoch, expected, present, promoted, stopped: s, closed }) => ({ epoch, expected, present, promoted, stopped: s, closed })),
      training: training.size,
      judging: judging.size,
      stopped: outcomes.stopped.size,
      failed: failed.size,
    });
    if (decisions.done && training.size === 0 && judging.size === 0 && unfinished().length === 0) break;
    for (const pairing of decisions.pairings) if (!judging.has(pairing.id)) judge(pairing);
    const wanted = runnable().length;
    if (wanted === 0 && training.size === 0 && judging.size === 0 && slotRequests === 0) {
      // Nothing runs and nothing can start, yet the rungs are not done: a scheduler bug, not a state to wait in.
      throw ApplicationFailure.nonRetryable(`early termination of ${baseModel.id} cannot go on: ${JSON.stringify(decisions.rungs.map(({ epoch, expected, present, ranked, closed }) => ({ epoch, expected, present, ranked, closed })))}`, 'EarlyTerminationStuck');
    }
    while (slotRequests < wanted) requestSlot();
    const seen = version;
    await condition(() => version !== seen);
  }

  const finalists = decisions.finalists;
  const entrants = finalists.flatMap((t) => answered.filter((key) => trialKeyOfEntrant(key) === t)).sort();
  const baseline = baseModel.trials.find((t) => t.isBaseline);
  const baselineKey = baseline === undefined ? undefined : checkpointKey(baseline.key, epochsOf.get(baseline.key)!);
  const blocks = assignBlocks(entrants.map((key) => ({ key, params: byKey.get(trialKeyOfEntrant(key))?.params ?? {} })), plan.tournament);
  return {
    entrants,
    blocks,
    excluded: [...failed].map(([trial, reason]) => ({ trial, reason })),
    ...(baselineKey !== undefined && entrants.includes(baselineKey) ? { baselineKey } : {}),
    finalists: finalists.length,
    stopped: outcomes.stopped.size,
    failed: failed.size,
  };
}
