/**
 * A base model's tournament as a child of the sweep: what it plays (its field: trials, or early
 * termination's checkpoints, in blocks) and the options the sweep gives it.
 */
import { executeChild, ParentClosePolicy } from '@temporalio/workflow';
import { workflowIds } from '../core/ids/workflow-ids.js';
import type { SweepPlan } from '../core/sweep/sweep-plan.js';
import { childSearchAttributes } from './shared.js';
import { tournamentWorkflow } from './tournament.js';
import type { TrialResult } from './trial.js';

/** What a base model's tournament plays: its entrants (trials, or early termination's checkpoints) and their blocks. */
export interface TournamentField {
  readonly entrants: readonly string[];
  readonly excluded: readonly { readonly trial: string; readonly reason: string }[];
  readonly blocks: readonly (readonly string[])[];
  readonly baselineKey?: string;
}

/** Why a failed trial is left out of its tournament, as the tournament records it: its failure type and message, cut to 500 characters. */
export function exclusionReason(result: Pick<TrialResult, 'failureType' | 'message'>): string {
  return `${result.failureType ?? 'failed'}: ${result.message ?? ''}`.slice(0, 500);
}

/** Runs the base model's tournament workflow over `field` and returns its result. */
export function playTournament(plan: SweepPlan, baseModel: SweepPlan['baseModels'][number], field: TournamentField): ReturnType<typeof tournamentWorkflow> {
  return executeChild(tournamentWorkflow, {
    workflowId: workflowIds.tournament(plan.sweepId, baseModel.id),
    args: [{
      sweepId: plan.sweepId,
      baseModelId: baseModel.id,
      entrants: field.entrants,
      excluded: field.excluded,
      blocks: field.blocks,
      config: plan.tournament,
      judge: plan.judge,
      maxParallelMatches: plan.concurrency.matches,
      ...(field.baselineKey === undefined ? {} : { baselineKey: field.baselineKey }),
      confirmJudges: plan.confirm?.judges ?? [],
    }],
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    typedSearchAttributes: childSearchAttributes(plan.sweepId, baseModel.id, 'tournament'),
  });
}
