/**
 * The downstream evaluation of a base model's best trials and its baseline, after its tournament: one
 * `evaluationWorkflow` child per trial not yet evaluated, in the sweep's GPU window like training.
 */
import { executeChild, ParentClosePolicy, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { workflowIds } from '../core/ids/workflow-ids.js';
import type { SweepPlan } from '../core/sweep/sweep-plan.js';
import type { TaskLimit } from './concurrency-limit.js';
import { evaluationWorkflow, type EvaluationResult } from './evaluate.js';
import { childSearchAttributes } from './shared.js';

// Bookkeeping in PostgreSQL: seconds, default retries for transient database errors.
const storeActs = proxyActivities<Activities>({ startToCloseTimeout: '2m' });

/** What {@link evaluateBest} needs from the sweep workflow. */
export interface EvaluateBestInput {
  readonly plan: SweepPlan;
  readonly baseModel: SweepPlan['baseModels'][number];
  readonly evaluate: NonNullable<SweepPlan['evaluate']>;
  /** The file `{{eval.file}}` names (from registration). */
  readonly evalFile: string;
  readonly sweepDir: string;
  readonly runsDir: string;
  /** The sweep's GPU window, shared with training. */
  readonly trialSlots: TaskLimit;
}

/** Evaluates the base model's targets (reusing recorded results) and returns every target's result. */
export async function evaluateBest({ plan, baseModel, evaluate, evalFile, sweepDir, runsDir, trialSlots }: EvaluateBestInput): Promise<EvaluationResult[]> {
  const targets = await storeActs.evaluationTargets({ sweepId: plan.sweepId, baseModelId: baseModel.id, evaluate });
  return Promise.all(
    targets.flatMap(({ trialKey: key, metrics, checkpointPath }): Promise<EvaluationResult>[] => {
      const trial = baseModel.trials.find((t) => t.key === key);
      if (trial === undefined) return [];
      if (metrics !== undefined) return [Promise.resolve({ trialKey: key, status: 'done', metrics })];
      return [
        trialSlots.run(() =>
          executeChild(evaluationWorkflow, {
            workflowId: workflowIds.evaluation(plan.sweepId, baseModel.id, key),
            args: [{ sweepId: plan.sweepId, baseModel: { ...baseModel.fields, id: baseModel.id }, trial, evaluate, evalFile, sweepDir, runsDir, ...(checkpointPath === undefined ? {} : { checkpoint: checkpointPath }) }],
            parentClosePolicy: ParentClosePolicy.TERMINATE,
            typedSearchAttributes: childSearchAttributes(plan.sweepId, baseModel.id, 'evaluate'),
          }),
        ),
      ];
    }),
  );
}
