/**
 * Writes the sample sweep (see test/support/sample-sweep.ts) into a database with Prisma, row by row
 * as the store and judge activities would have left it after a finished run.
 */
import type { PrismaClient } from '../../generated/prisma/client.js';
import { sampleBase, sampleResponse, sampleSweepId, type SampleSweep, sampleEvaluations } from './sample-sweep.js';

export async function seedSampleSweep(prisma: PrismaClient, sample: SampleSweep): Promise<void> {
  const trialId = (key: string): string => `${sampleSweepId}/${key}`;
  await prisma.sweep.create({
    data: { id: sampleSweepId, name: 'PandaLM paper (mini)', file: '/sweeps/paper-mini.yaml', plan: {}, status: 'done', workflowId: sampleSweepId, finishedAt: new Date() },
  });
  await prisma.evalInstruction.createMany({ data: sample.instructions.map((ins, position) => ({ sweepId: sampleSweepId, position, ...ins })) });
  await prisma.trial.createMany({
    data: sample.trials.map((t) => ({
      id: trialId(t.key),
      sweepId: sampleSweepId,
      baseModelId: sampleBase,
      key: t.key,
      params: t.params,
      isBaseline: t.index === 0,
      index: t.index,
      block: t.block,
      status: t.status,
      failureType: t.failureType,
      failureMessage: t.failureMessage,
      checkpointPath: t.checkpointPath,
      finalMetrics: t.status === 'done' ? { quality: t.quality } : undefined,
      workflowId: `${sampleSweepId}/${sampleBase}/${t.key}`,
    })),
  });
  // Every trial's first training attempt, then its last job attempt a minute later: the views show the last one's logs.
  const started = Date.now();
  const jobRow = (key: string, kind: string, attempt: number, { stdoutPath, stderrPath }: { stdoutPath: string; stderrPath: string }, startedAt: number) => ({
    id: `${trialId(key)}/${kind}-${attempt}`,
    trialId: trialId(key),
    kind,
    attempt,
    argv: [],
    cwd: '/jobs',
    host: 'test-host',
    stdoutPath,
    stderrPath,
    startedAt: new Date(startedAt),
  });
  await prisma.job.createMany({
    data: sample.trials.flatMap((t) => [
      jobRow(t.key, 'train', 1, { stdoutPath: '/runs/first-attempt.stdout.log', stderrPath: '/runs/first-attempt.stderr.log' }, started - 60_000),
      jobRow(t.key, t.lastJob.kind, t.lastJob.attempt, t.lastJob, started),
    ]),
  });
  await prisma.metric.createMany({ data: sample.metrics.map((m) => ({ trialId: trialId(m.trialKey), step: m.step, name: m.name, value: m.value })) });
  await prisma.response.createMany({
    data: sample.trials.filter((t) => t.status === 'done').flatMap((t) => sample.instructions.map((ins) => ({ trialId: trialId(t.key), instructionId: ins.instructionId, text: sampleResponse(t, ins.instructionId) }))),
  });
  await prisma.match.createMany({
    data: sample.matches.map((m) => ({
      id: m.id,
      sweepId: sampleSweepId,
      baseModelId: sampleBase,
      stage: m.stage,
      block: m.block,
      round: m.round,
      trialAId: trialId(m.a),
      trialBId: trialId(m.b),
      status: 'done',
      aWins: m.aWins,
      bWins: m.bWins,
      ties: m.ties,
      judgeId: 'pandalm-7b',
    })),
  });
  await prisma.judgment.createMany({
    data: sample.judgments.map((j) => ({ ...j, raw: j.reason === null ? null : `${j.verdict === 0 ? 'Tie' : j.verdict}\n\n### Reason: ${j.reason}` })),
  });
  await prisma.standing.createMany({ data: sample.standings.map(({ trialKey, ...s }) => ({ sweepId: sampleSweepId, baseModelId: sampleBase, trialId: trialId(trialKey), ...s })) });
  await prisma.bestTrial.create({ data: { sweepId: sampleSweepId, baseModelId: sampleBase, trialId: trialId(sample.best.trialKey), checkpointPath: sample.best.checkpointPath } });
  for (const e of sampleEvaluations(sample)) {
    await prisma.trial.update({ where: { id: trialId(e.trialKey) }, data: { evaluationStatus: e.status, evaluationError: e.error } });
    await prisma.evaluationMetric.createMany({ data: Object.entries(e.metrics).map(([name, value]) => ({ trialId: trialId(e.trialKey), name, value })) });
  }
  const { matchId, best, baseline, ...confirmation } = sample.confirmation;
  await prisma.confirmation.create({
    data: { matchId, sweepId: sampleSweepId, baseModelId: sampleBase, judge: 'tournament', judgeId: 'pandalm-7b', bestTrialId: trialId(best), baselineTrialId: trialId(baseline), ...confirmation },
  });
}
