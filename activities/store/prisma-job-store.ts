/** The job activity's store (`JobStore`) over Prisma: one row per job attempt, and its training metrics. */
import { jobRowId, trialRowId } from '../../core/ids/row-ids.js';
import type { JobStore } from '../jobs/job-store.js';
import { writeEvaluationMetrics } from './evaluation.js';
import type { StoreDeps } from './store-deps.js';

/** Implements the job activity's store over Prisma. */
export function createJobStore({ prisma }: StoreDeps): JobStore {
  return {
    async startJob(job) {
      const trialId = trialRowId(job.sweepId, job.trialKey);
      const id = jobRowId(job.sweepId, job.trialKey, job.kind, job.attempt);
      await prisma.job.upsert({
        where: { id },
        create: {
          id,
          trialId,
          kind: job.kind,
          attempt: job.attempt,
          execution: job.execution,
          stopEpoch: job.stopEpoch ?? null,
          argv: [...job.argv],
          cwd: job.cwd,
          host: job.host,
          gpuIds: [...job.gpuIds],
          stdoutPath: job.stdoutPath,
          stderrPath: job.stderrPath,
          startedAt: job.startedAt,
        },
        update: {},
      });
      return { jobId: id };
    },
    async attemptNumber({ sweepId, trialKey, kind, execution, activityAttempt }) {
      const earlier = await prisma.job.aggregate({
        where: { trialId: trialRowId(sweepId, trialKey), kind, OR: [{ execution: null }, { execution: { not: execution } }] },
        _max: { attempt: true },
      });
      return (earlier._max.attempt ?? 0) + activityAttempt;
    },
    async unfinishedJobs({ sweepId, trialKey, kind }) {
      const rows = await prisma.job.findMany({ where: { trialId: trialRowId(sweepId, trialKey), kind, finishedAt: null }, select: { id: true, host: true }, orderBy: { attempt: 'asc' } });
      return rows.map((row) => ({ jobId: row.id, host: row.host }));
    },
    async finishJob(job) {
      await prisma.job.update({
        where: { id: job.jobId },
        data: {
          exitCode: job.exitCode,
          signal: job.signal,
          finishedAt: job.finishedAt,
          logTail: job.logTail,
          error: job.error,
        },
      });
    },
    async recordMetrics({ jobId, metrics }) {
      const { trialId, kind } = await prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { trialId: true, kind: true } });
      if (kind === 'evaluate') {
        // An evaluation's metrics are its results, not a curve: the newest value per name is kept.
        await writeEvaluationMetrics(prisma, trialId, jobId, Object.assign({}, ...metrics.map((m) => m.values)) as Record<string, number>);
        return;
      }
      // A retried job resumed from a checkpoint logs some steps again: the newest values win. Only the
      // names being written are replaced: a trainer may log one step on several lines (Hugging Face's
      // Trainer logs its summary at the last logging step), possibly in different batches.
      await prisma.$transaction([
        prisma.metric.deleteMany({ where: { trialId, OR: metrics.map((m) => ({ step: m.step, name: { in: Object.keys(m.values) } })) } }),
        prisma.metric.createMany({
          data: metrics.flatMap((m) => Object.entries(m.values).map(([name, value]) => ({ trialId, jobId, step: m.step, name, value }))),
          skipDuplicates: true,
        }),
      ]);
    },
  };
}
