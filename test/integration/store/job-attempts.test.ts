/**
 * Job attempt numbers through the job store on real PostgreSQL: a rerun of a sweep (a new execution of
 * the job activity, whose own attempts start at 1 again) numbers its attempts after every attempt the
 * earlier runs recorded, rows from before executions were kept included, so no row is overwritten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../../activities/store.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('job attempt numbers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.prisma.sweep.create({ data: { id: 's', name: 's', file: 's.yaml', plan: {}, workflowId: 's' } });
    await db.prisma.trial.create({ data: { id: 's/t', sweepId: 's', baseModelId: 'm', key: 't', params: {}, index: 0, workflowId: 's/m/t' } });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('follow the earlier runs’ attempts and stay the same on a retry of one execution', async () => {
    const store = createJobStore({ prisma: db.prisma });
    const query = { sweepId: 's', trialKey: 't', kind: 'train' as const };
    const start = async (execution: string, activityAttempt: number) => {
      const attempt = await store.attemptNumber({ ...query, execution, activityAttempt });
      const { jobId } = await store.startJob({ ...query, attempt, execution, argv: ['x'], cwd: '/', host: 'h', gpuIds: [], stdoutPath: `/o${attempt}`, stderrPath: '/e', startedAt: new Date() });
      await store.finishJob({ jobId, exitCode: 1, signal: null, finishedAt: new Date(), logTail: execution, error: 'exit 1' });
      return attempt;
    };
    // A row from before executions were recorded.
    await db.prisma.job.create({ data: { id: 's/t/train/1', trialId: 's/t', kind: 'train', attempt: 1, argv: ['x'], cwd: '/', host: 'h', gpuIds: [], stdoutPath: '/o1', stderrPath: '/e', startedAt: new Date(), finishedAt: new Date(), logTail: 'old' } });

    expect(await start('run-1/a', 1)).toBe(2);
    expect(await start('run-1/a', 2)).toBe(3);
    expect(await start('run-2/a', 1)).toBe(4);
    // A retry asks again: the earlier executions' attempts have not changed, so neither has its number.
    expect(await store.attemptNumber({ ...query, execution: 'run-2/a', activityAttempt: 2 })).toBe(5);
    expect(await store.attemptNumber({ ...query, kind: 'generate', execution: 'run-2/b', activityAttempt: 1 })).toBe(1);

    const rows = await db.prisma.job.findMany({ where: { trialId: 's/t' }, orderBy: { attempt: 'asc' } });
    expect(rows.map((row) => [row.attempt, row.execution, row.logTail])).toEqual([
      [1, null, 'old'],
      [2, 'run-1/a', 'run-1/a'],
      [3, 'run-1/a', 'run-1/a'],
      [4, 'run-2/a', 'run-2/a'],
    ]);
  });
});
