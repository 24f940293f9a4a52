import type { FinishJobRecord, JobStore, RecordMetricsRecord, StartJobRecord } from '../../activities/jobs/job-store.js';

/** An in-memory `JobStore` for job tests, idempotent on the same keys as the Prisma one. */
export class MemoryJobStore implements JobStore {
  readonly jobs = new Map<string, StartJobRecord & { finish?: FinishJobRecord }>();
  /** Metric values keyed by `trialKey|step|name`. */
  readonly metrics = new Map<string, number>();

  async attemptNumber(query: { sweepId: string; trialKey: string; kind: string; execution: string; activityAttempt: number }): Promise<number> {
    const earlier = [...this.jobs.values()].filter((job) => job.sweepId === query.sweepId && job.trialKey === query.trialKey && job.kind === query.kind && job.execution !== query.execution);
    return Math.max(0, ...earlier.map((job) => job.attempt)) + query.activityAttempt;
  }

  async startJob(record: StartJobRecord): Promise<{ jobId: string }> {
    const jobId = `${record.trialKey}:${record.kind}:${record.attempt}`;
    if (!this.jobs.has(jobId)) this.jobs.set(jobId, { ...record });
    return { jobId };
  }

  async finishJob(record: FinishJobRecord): Promise<void> {
    const job = this.jobs.get(record.jobId);
    if (!job) throw new Error(`unknown job ${record.jobId}`);
    job.finish = record;
  }

  async unfinishedJobs(query: { sweepId: string; trialKey: string; kind: string }): Promise<{ jobId: string; host: string }[]> {
    return [...this.jobs]
      .filter(([, job]) => job.sweepId === query.sweepId && job.trialKey === query.trialKey && job.kind === query.kind && job.finish === undefined)
      .map(([jobId, job]) => ({ jobId, host: job.host }));
  }

  async recordMetrics(record: RecordMetricsRecord): Promise<void> {
    for (const { step, values } of record.metrics) {
      for (const [name, value] of Object.entries(values)) this.metrics.set(`${record.trialKey}|${step}|${name}`, value);
    }
  }

  /** The values of one metric for a trial, ordered by step. */
  curve(trialKey: string, name: string): [number, number][] {
    return [...this.metrics]
      .map(([key, value]) => [key.split('|'), value] as const)
      .filter(([[t, , n]]) => t === trialKey && n === name)
      .map(([[, step], value]): [number, number] => [Number(step), value])
      .sort((a, b) => a[0] - b[0]);
  }
}
