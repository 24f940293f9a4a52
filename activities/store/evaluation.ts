/**
 * The downstream evaluation's rows: which trials are evaluated (the best by rank, and the baseline), how
 * their `evaluate` job went, and its results: `PANDASWEEP_METRIC` values (written by the job store as
 * they come) and the numbers of the JSON file the job may write at `{{trial.evaluation}}`.
 */
import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/activity';
import { trialKeyOfRowId, trialRowId } from '../../core/ids/row-ids.js';
import { failureTypes } from '../../core/failure-types.js';
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
  /** How many trials to take by tournament rank. */
  readonly top: number;
}

/** Creates the evaluation's store activities. */
export function createEvaluationStoreActivities({ prisma }: StoreDeps) {
  return {
    /**
     * The trials to evaluate after a tournament: the `top` best by rank, then the baseline if it finished
     * and is not among them; `metrics` is set for those already evaluated (a rerun runs no job again).
     */
    async evaluationTargets(input: EvaluationTargetsInput): Promise<{ trialKey: string; metrics?: number }[]> {
      const standings = await prisma.standing.findMany({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId }, orderBy: { rank: 'asc' }, take: input.top, select: { trialId: true } });
      const baseline = await prisma.trial.findFirst({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId, isBaseline: true, status: 'done' }, select: { id: true } });
      const ids = standings.map((s) => s.trialId);
      if (baseline !== null && !ids.includes(baseline.id)) ids.push(baseline.id);
      const trials = await prisma.trial.findMany({ where: { id: { in: ids } }, select: { id: true, evaluationStatus: true, _count: { select: { evaluationMetrics: true } } } });
      return ids.map((id) => {
        const trial = trials.find((t) => t.id === id);
        const done = trial?.evaluationStatus === 'done';
        return { trialKey: trialKeyOfRowId(input.sweepId, id), ...(done ? { metrics: trial._count.evaluationMetrics } : {}) };
      });
    },

    /** Records how a trial's evaluation stands: `running`, `done`, `cancelled`, or `failed` with why. */
    async markEvaluation(input: { sweepId: string; trialKey: string; status: 'running' | 'done' | 'failed' | 'cancelled'; error?: string }): Promise<void> {
      await prisma.trial.update({ where: { id: trialRowId(input.sweepId, input.trialKey) }, data: { evaluationStatus: input.status, evaluationError: input.error ?? null } });
    },

    /**
     * Stores the numbers of the evaluation's JSON file (when the job wrote one) as results and marks the
     * evaluation done. A file that is not JSON fails the evaluation for good, naming the file.
     */
    async recordEvaluation(input: { sweepId: string; trialKey: string; file: string }): Promise<{ metrics: number }> {
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
      await prisma.trial.update({ where: { id: trialId }, data: { evaluationStatus: 'done', evaluationError: null } });
      return { metrics: await prisma.evaluationMetric.count({ where: { trialId } }) };
    },
  };
}
