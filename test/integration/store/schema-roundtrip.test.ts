/**
 * Guards against drift between prisma/schema.prisma and the hand-written SQL migrations: every model is
 * written and read back through the generated client on a database built by the migrations alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('schema round trip on real PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('writes and reads back every model with every column', async () => {
    const { prisma } = db;
    const now = new Date('2026-01-02T03:04:05.678Z');
    const sweep = await prisma.sweep.create({ data: { id: 's', name: 'S', file: '/x.yaml', plan: { a: [1, 2] }, workflowId: 's', finishedAt: now } });
    expect(sweep).toMatchObject({ status: 'running', plan: { a: [1, 2] }, finishedAt: now });
    const trialData = {
      id: 's/t1', sweepId: 's', baseModelId: 'm', key: 't1', params: { lr: 2e-5, opt: 'adamw' }, isBaseline: true, index: 0, block: 2,
      status: 'done', failureType: 'JobFailed', failureMessage: 'boom', checkpointPath: '/ckpt', finalMetrics: { quality: 0.9 }, workflowId: 's/m/t1', finishedAt: now,
    };
    await prisma.trial.create({ data: trialData });
    await prisma.trial.create({ data: { ...trialData, id: 's/t2', key: 't2', isBaseline: false, block: null } });
    expect(await prisma.trial.findUniqueOrThrow({ where: { id: 's/t1' } })).toMatchObject(trialData);
    await expect(prisma.trial.create({ data: { ...trialData, id: 's/dup' } })).rejects.toThrow(); // (sweepId, key) is unique

    const job = { id: 's/t1/train/1', trialId: 's/t1', kind: 'train', attempt: 1, argv: ['node', 'x'], cwd: '/', host: 'h', gpuIds: [0, 3], stdoutPath: '/o', stderrPath: '/e', exitCode: 0, signal: 'SIGTERM', error: 'e', logTail: 'tail', startedAt: now, finishedAt: now };
    await prisma.job.create({ data: job });
    expect(await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject(job);

    await prisma.metric.createMany({ data: [{ trialId: 's/t1', jobId: job.id, step: 1, name: 'loss', value: 1.5 }, { trialId: 's/t1', jobId: job.id, step: 1, name: 'loss', value: 9 }], skipDuplicates: true });
    expect(await prisma.metric.findMany()).toEqual([{ trialId: 's/t1', jobId: job.id, step: 1, name: 'loss', value: 1.5 }]);

    await prisma.evalInstruction.create({ data: { sweepId: 's', instructionId: 'i1', position: 0, instruction: 'Do', input: '' } });
    await prisma.response.create({ data: { trialId: 's/t1', instructionId: 'i1', text: 'Done ✓' } });
    expect((await prisma.response.findFirstOrThrow()).text).toBe('Done ✓');

    const match = { id: 's/m/rr-0', sweepId: 's', baseModelId: 'm', stage: 'block', block: 1, round: 2, trialAId: 's/t1', trialBId: 's/t2', status: 'done', aWins: 3, bWins: 1, ties: 2, judgeId: 'j', startedAt: now, finishedAt: now };
    await prisma.match.create({ data: match });
    expect(await prisma.match.findUniqueOrThrow({ where: { id: match.id } })).toMatchObject(match);

    const judgment = { matchId: match.id, instructionId: 'i1', order: 2, verdict: 1, probOne: 0.5, probTwo: 0.3, probTie: 0.2, reason: 'r', reference: 'ref', raw: 'raw', judgeId: 'j', latencyMs: 12.5 };
    await prisma.judgment.create({ data: judgment });
    const dup = await prisma.judgment.createMany({ data: [judgment], skipDuplicates: true });
    expect(dup.count).toBe(0);
    expect(await prisma.judgment.findFirstOrThrow()).toMatchObject(judgment);

    const standing = { sweepId: 's', baseModelId: 'm', trialId: 's/t1', rank: 1, matches: 1, wins: 1, losses: 0, ties: 0, points: 1, score: 0.67, rating: 1100.5, ciLow: 1000, ciHigh: 1200 };
    await prisma.standing.create({ data: standing });
    expect(await prisma.standing.findFirstOrThrow()).toMatchObject(standing);

    await prisma.bestTrial.create({ data: { sweepId: 's', baseModelId: 'm', trialId: 's/t1', checkpointPath: '/ckpt', decidedAt: now } });
    expect(await prisma.bestTrial.findFirstOrThrow()).toMatchObject({ trialId: 's/t1', checkpointPath: '/ckpt', decidedAt: now });

    // Deleting a sweep removes everything recorded under it.
    await prisma.sweep.delete({ where: { id: 's' } });
    const counts = await Promise.all([prisma.trial.count(), prisma.job.count(), prisma.metric.count(), prisma.response.count(), prisma.judgment.count(), prisma.standing.count(), prisma.bestTrial.count()]);
    expect(counts).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
