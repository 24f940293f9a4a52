/**
 * The downstream evaluation's rows: which trials are evaluated (the best by rank, and the baseline), how
 * their `evaluate` job went, and its results: `PANDASWEEP_METRIC` values (written by the job store as
 * they come) and the numbers of the JSON file the job may write at `{{trial.evaluation}}`.
 */
import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { trialKeyOfRowId, trialRowId } from '../../core/ids/row-ids.js';
import { failureTypes } from '../../core/failure-types.js';
import { jobDigest } from '../../core/sweep/sweep-definition.js';
import type { EvaluateSpec } from '../../core/sweep/sweep-spec.js';
import { evaluationMetricsOf } from '../../core/jobs/evaluation-metrics.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { StoreDeps } from './store-deps.js';

/** Replaces the named evaluation results of a trial (the newest value wins). */
export async function writeEvaluationMetrics(prisma: PrismaClient, trialId: string, jobId: string | null, values: Readonly<Record<string, number>>): Promise<void> {
  const names = Object.keys(values);
  if (names.length === 0) return;
  await prisma.$transaction([
    prisma.evaluationMetric.deleteMany({ where: { trialId, name: { in: names } } }),
    prisma.evaluationMetric.createMany({ data: names.map((name) => ({ trialId, name, value: values[name]!, jobId })) }),
  ]);
}

/** Input of `evaluationTargets`. */
export interface EvaluationTargetsInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  /** The evaluate job: results of another command, env or workdir are evaluated again. */
  readonly evaluate: EvaluateSpec;
}

/** A trial to evaluate. */
export interface EvaluationTarget {
  readonly trialKey: string;
  /** Its best-ranked checkpoint's folder under early termination (the evaluate job's `{{trial.checkpoint}}`); absent: the trial's own. */
  readonly checkpointPath?: string;
  /** Results already stored by this same job: nothing to run. */
  readonly metrics?: number;
}

/** Creates the evaluation's store activities. */
export function createEvaluationStoreActivities({ prisma }: StoreDeps) {
  return {
    /**
     * The trials to evaluate after a tournament: the `top` best by rank, then the baseline if it finished
     * and is not among them; `metrics` is set for those already evaluated by this same job (a rerun runs
     * no job again, an edited job runs again).
     */
    async evaluationTargets(input: EvaluationTargetsInput): Promise<EvaluationTarget[]> {
      // Under early termination a trial may rank with several checkpoints: its best-ranked one is evaluated.
      const standings = await prisma.standing.findMany({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId }, orderBy: { rank: 'asc' }, select: { trialId: true, epoch: true } });
      const baseline = await prisma.trial.findFirst({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId, isBaseline: true, status: 'done' }, select: { id: true } });
      const epochOf = new Map<string, number>();
      for (const s of standings) if (!epochOf.has(s.trialId)) epochOf.set(s.trialId, s.epoch);
      const ids = [...epochOf.keys()].slice(0, input.evaluate.top);
      if (baseline !== null && !ids.includes(baseline.id)) ids.push(baseline.id);
      const picked = ids.flatMap((id) => (epochOf.get(id) ?? 0) === 0 ? [] : [{ trialId: id, epoch: epochOf.get(id)! }]);
      const checkpoints = picked.length === 0 ? [] : await prisma.checkpoint.findMany({ where: { OR: picked }, select: { trialId: true, path: true } });
      const trials = await prisma.trial.findMany({ where: { id: { in: ids } }, select: { id: true, evaluationStatus: true, evaluationJob: true, _count: { select: { evaluationMetrics: true } } } });
      const job = jobDigest(input.evaluate);
      return ids.map((id) => {
        const trial = trials.find((t) => t.id === id);
        const done = trial?.evaluationStatus === 'done' && trial.evaluationJob === job;
        const checkpoint = checkpoints.find((c) => c.trialId === id)?.path;
        return { trialKey: trialKeyOfRowId(input.sweepId, id), ...(checkpoint === undefined ? {} : { checkpointPath: checkpoint }), ...(done ? { metrics: trial._count.evaluationMetrics } : {}) };
      });
    },

    /**
     * Records how a trial's evaluation stands: `running`, `cancelled`, or `failed` with why. An evaluation
     * that starts drops the results of an earlier one (another job's, or an unfinished attempt's).
     */
    async markEvaluation(input: { sweepId: string; trialKey: string; status: 'running' | 'failed' | 'cancelled'; error?: string }): Promise<void> {
      const trialId = trialRowId(input.sweepId, input.trialKey);
      const mark = prisma.trial.update({ where: { id: trialId }, data: { evaluationStatus: input.status, evaluationError: input.error ?? null, evaluationJob: null } });
      if (input.status === 'running') await prisma.$transaction([prisma.evaluationMetric.deleteMany({ where: { trialId } }), mark]);
      else await mark;
    },

    /**
     * Stores the numbers of the evaluation's JSON file (when the job wrote one) as results and marks the
     * evaluation done. A file that is not JSON fails the evaluation for good, naming the file.
     */
    async recordEvaluation(input: { sweepId: string; trialKey: string; file: string; evaluate: EvaluateSpec }): Promise<{ metrics: number }> {
      const trialId = trialRowId(input.sweepId, input.trialKey);
      let text: string | undefined;
      try {
        text = await readFile(input.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      let fromFile: Record<string, number> = {};
      if (text !== undefined) {
        try {
          fromFile = evaluationMetricsOf(JSON.parse(text));
        } catch (error) {
          throw ApplicationFailure.nonRetryable(`the evaluate job wrote ${input.file}, which is not JSON: ${(error as Error).message}`, failureTypes.InvalidEvaluation);
        }
      }
      const job = await prisma.job.findFirst({ where: { trialId, kind: 'evaluate', exitCode: 0 }, orderBy: { attempt: 'desc' }, select: { id: true } });
      await writeEvaluationMetrics(prisma, trialId, job?.id ?? null, fromFile);
      await prisma.trial.update({ where: { id: trialId }, data: { evaluationStatus: 'done', evaluationError: null, evaluationJob: jobDigest(input.evaluate) } });
      return { metrics: await prisma.evaluationMetric.count({ where: { trialId } }) };
    },
  };
}
