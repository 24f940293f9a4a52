/**
 * Training-curve points written through the job store on real PostgreSQL: a step may arrive on several
 * lines in several batches (Hugging Face's Trainer logs `loss` and then, at the same last step, its
 * `train_loss` summary), and a resumed retry logs some steps again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobStore } from '../../../activities/store.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('job store metrics', () => {
  let db: TestDatabase;
  let jobId: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.prisma.sweep.create({ data: { id: 's', name: 's', file: 's.yaml', plan: {}, workflowId: 's' } });
    await db.prisma.trial.create({ data: { id: 's/t', sweepId: 's', baseModelId: 'm', key: 't', params: {}, index: 0, workflowId: 's/m/t' } });
    const store = createJobStore({ prisma: db.prisma });
    ({ jobId } = await store.startJob({
      sweepId: 's', trialKey: 't', kind: 'train', attempt: 1, execution: 'run/1', argv: ['x'], cwd: '/', host: 'h', gpuIds: [], stdoutPath: '/o', stderrPath: '/e', startedAt: new Date(),
    }));
  });
  afterAll(async () => {
    await db?.drop();
  });

  const points = async () =>
    (await db.prisma.metric.findMany({ where: { trialId: 's/t' }, orderBy: [{ step: 'asc' }, { name: 'asc' }] })).map((m) => [m.step, m.name, m.value]);

  it('keeps every name logged at one step, across batches', async () => {
    const store = createJobStore({ prisma: db.prisma });
    await store.recordMetrics({ trialKey: 't', jobId, metrics: [{ step: 4, values: { loss: 1.25, learning_rate: 0.001 } }] });
    await store.recordMetrics({ trialKey: 't', jobId, metrics: [{ step: 4, values: { train_loss: 1.5 } }] });
    expect(await points()).toEqual([
      [4, 'learning_rate', 0.001],
      [4, 'loss', 1.25],
      [4, 'train_loss', 1.5],
    ]);
  });

  it('lets a step logged again (a resumed retry) replace the values it logs, once each', async () => {
    const store = createJobStore({ prisma: db.prisma });
    await store.recordMetrics({ trialKey: 't', jobId, metrics: [{ step: 4, values: { loss: 1.0 } }] });
    await store.recordMetrics({ trialKey: 't', jobId, metrics: [{ step: 4, values: { loss: 0.75 } }] });
    expect(await points()).toEqual([
      [4, 'learning_rate', 0.001],
      [4, 'loss', 0.75],
      [4, 'train_loss', 1.5],
    ]);
  });
});
