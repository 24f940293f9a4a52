/**
 * The read model of a sweep: typed reads over Prisma that `leaderboard`, `status`, the progress bars
 * and the report build their views from. Only the database is read (the views work after every worker
 * and the Temporal server are gone); row ids are turned back into trial keys here, through `core/ids`.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import { checkpointKey } from '../core/ids/checkpoint-keys.js';
import { trialKeyOfRowId } from '../core/ids/row-ids.js';
import type { Verdict } from '../core/judging/judge-types.js';
import type { ReportBest, ReportConfirmation, ReportEvaluation, ReportExample, ReportJudgment, ReportStanding, ReportTrial } from './report-data.js';
import { SweepNotFoundError } from './sweep-not-found-error.js';

/** The sweep row. */
export interface SweepRecord {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  /** running, done, failed or cancelled. */
  readonly status: string;
  readonly workflowId: string;
  readonly createdAt: Date;
  readonly finishedAt: Date | null;
}

/** One trial (configuration) of the sweep (the report's own shape, see `ReportTrial`). */
export type TrialRecord = ReportTrial;

/** One trial's place in its base model's tournament (the report's own shape, see `ReportStanding`). */
export type StandingRecord = ReportStanding;

/** The chosen best trial of one base model (the report's own shape, see `ReportBest`). */
export type BestTrialRecord = ReportBest;

/** How many rows are in each status (`{ done: 3, training: 1 }`); absent statuses are absent. */
export type StatusCounts = Readonly<Record<string, number>>;

/** Matches by status, with the two totals every view shows. */
export interface MatchCounts {
  readonly byStatus: StatusCounts;
  /** Matches judged. */
  readonly done: number;
  /** Matches planned so far (every status). */
  readonly planned: number;
}

/** What the progress bars show, read in one round of small aggregate queries. */
export interface ProgressCounts {
  readonly trials: StatusCounts;
  readonly matches: MatchCounts;
  /** The highest step each training trial has logged (only trials that logged one). */
  readonly trainingSteps: readonly number[];
}

/** One played (or planned) match: A and B are trial keys; wins and ties count instructions. */
export interface MatchRecord {
  readonly id: string;
  readonly baseModelId: string;
  readonly stage: string;
  readonly block: number | null;
  readonly round: number;
  readonly a: string;
  readonly b: string;
  readonly status: string;
  readonly aWins: number;
  readonly bWins: number;
  readonly ties: number;
}

/** One metric of one trial over steps. */
export interface MetricSeries {
  readonly trialKey: string;
  readonly name: string;
  /** `[step, value]` pairs in step order. */
  readonly points: [number, number][];
}

/** The sweep row, or `null` when the database has no sweep `sweepId`. */
export async function readSweep(prisma: PrismaClient, sweepId: string): Promise<SweepRecord | null> {
  return prisma.sweep.findUnique({
    where: { id: sweepId },
    select: { id: true, name: true, file: true, status: true, workflowId: true, createdAt: true, finishedAt: true },
  });
}

/** The sweep row; throws `SweepNotFoundError` (naming the recent sweeps) when there is none. */
export async function requireSweep(prisma: PrismaClient, sweepId: string): Promise<SweepRecord> {
  const sweep = await readSweep(prisma, sweepId);
  if (sweep === null) throw await SweepNotFoundError.create(prisma, sweepId);
  return sweep;
}

/** The sweep's trials, by base model and then index. */
export async function readTrials(prisma: PrismaClient, sweepId: string): Promise<TrialRecord[]> {
  const trials = await prisma.trial.findMany({
    where: { sweepId },
    select: {
      key: true, baseModelId: true, index: true, block: true, isBaseline: true, params: true, status: true, failureType: true, failureMessage: true, checkpointPath: true, workflowId: true,
      // The attempt a failure came from: its logs are where a user looks first.
      jobs: { select: { kind: true, attempt: true, stdoutPath: true, stderrPath: true }, orderBy: [{ startedAt: 'desc' }, { attempt: 'desc' }], take: 1 },
      epochs: true, epochsTrained: true, rung: true,
      checkpoints: { select: { epoch: true, rung: true, path: true }, orderBy: { epoch: 'asc' } },
    },
    orderBy: [{ baseModelId: 'asc' }, { index: 'asc' }],
  });
  return trials.map((t) => ({
    key: t.key,
    baseModelId: t.baseModelId,
    index: t.index,
    block: t.block,
    isBaseline: t.isBaseline,
    params: (t.params ?? {}) as Record<string, unknown>,
    status: t.status,
    failureType: t.failureType,
    failureMessage: t.failureMessage,
    checkpointPath: t.checkpointPath,
    workflowId: t.workflowId,
    lastJob: t.jobs[0] ?? null,
    ...(t.epochs === null ? {} : { earlyTermination: { epochs: t.epochs, epochsTrained: t.epochsTrained ?? 0, rung: t.rung, checkpoints: t.checkpoints } }),
  }));
}

/** The recorded standings, by base model and then rank. */
export async function readStandings(prisma: PrismaClient, sweepId: string): Promise<StandingRecord[]> {
  const standings = await prisma.standing.findMany({ where: { sweepId }, orderBy: [{ baseModelId: 'asc' }, { rank: 'asc' }] });
  return standings.map(({ sweepId: _sweepId, trialId, baseModelId, epoch, ...figures }) => {
    const trialKey = trialKeyOfRowId(sweepId, trialId);
    return { baseModelId, trialKey, epoch: epoch === 0 ? null : epoch, entrant: epoch === 0 ? trialKey : checkpointKey(trialKey, epoch), ...figures };
  });
}

/** The best trial of each base model decided so far, by base model. */
export async function readBestTrials(prisma: PrismaClient, sweepId: string): Promise<BestTrialRecord[]> {
  const best = await prisma.bestTrial.findMany({ where: { sweepId }, orderBy: { baseModelId: 'asc' } });
  return best.map((b) => {
    const trialKey = trialKeyOfRowId(sweepId, b.trialId);
    return { baseModelId: b.baseModelId, trialKey, epoch: b.epoch, entrant: b.epoch === null ? trialKey : checkpointKey(trialKey, b.epoch), checkpointPath: b.checkpointPath };
  });
}

/** Tuned vs default as recorded (the report's own shape, see `ReportConfirmation`). */
export type ConfirmationRecord = ReportConfirmation;

/** The sweep's confirmations, by base model and judge. */
export async function readConfirmations(prisma: PrismaClient, sweepId: string): Promise<ConfirmationRecord[]> {
  const rows = await prisma.confirmation.findMany({ where: { sweepId }, orderBy: [{ baseModelId: 'asc' }, { judge: 'asc' }] });
  return rows.map(({ matchId: _match, sweepId: _sweep, decidedAt: _decided, bestTrialId, baselineTrialId, ...c }) => ({
    ...c,
    bestTrialKey: trialKeyOfRowId(sweepId, bestTrialId),
    baselineTrialKey: trialKeyOfRowId(sweepId, baselineTrialId),
  }));
}

/** The sweep's downstream evaluations, one per evaluated trial, by base model and trial key. */
export async function readEvaluations(prisma: PrismaClient, sweepId: string): Promise<ReportEvaluation[]> {
  const trials = await prisma.trial.findMany({
    where: { sweepId, evaluationStatus: { not: null } },
    select: { id: true, baseModelId: true, evaluationStatus: true, evaluationError: true, evaluationMetrics: { select: { name: true, value: true }, orderBy: { name: 'asc' } } },
    orderBy: [{ baseModelId: 'asc' }, { id: 'asc' }],
  });
  return trials.map((t) => ({
    baseModelId: t.baseModelId,
    trialKey: trialKeyOfRowId(sweepId, t.id),
    status: t.evaluationStatus ?? 'running',
    error: t.evaluationError,
    metrics: Object.fromEntries(t.evaluationMetrics.map((m) => [m.name, m.value])),
  }));
}

/** How many trials are in each status. */
export async function countTrialsByStatus(prisma: PrismaClient, sweepId: string): Promise<StatusCounts> {
  const rows = await prisma.trial.groupBy({ by: ['status'], where: { sweepId }, _count: true });
  return Object.fromEntries(rows.map((r) => [r.status, r._count]));
}

/** How many matches are in each status, judged and planned. */
export async function countMatches(prisma: PrismaClient, sweepId: string): Promise<MatchCounts> {
  const rows = await prisma.match.groupBy({ by: ['status'], where: { sweepId }, _count: true });
  const byStatus: StatusCounts = Object.fromEntries(rows.map((r) => [r.status, r._count]));
  return { byStatus, done: byStatus.done ?? 0, planned: rows.reduce((n, r) => n + r._count, 0) };
}

/** The progress bars' poll: trials and matches by status, and the step each training trial has reached. */
export async function readProgressCounts(prisma: PrismaClient, sweepId: string): Promise<ProgressCounts> {
  const [trials, matches, steps] = await Promise.all([
    countTrialsByStatus(prisma, sweepId),
    countMatches(prisma, sweepId),
    // A real fine-tune runs minutes before its trial counts as done: its last logged step shows it moving.
    prisma.metric.groupBy({ by: ['trialId'], where: { trial: { sweepId, status: 'training' } }, _max: { step: true } }),
  ]);
  return { trials, matches, trainingSteps: steps.map((row) => row._max.step ?? 0) };
}

/** Every match of the sweep (planned ones too), by id. */
export async function readMatches(prisma: PrismaClient, sweepId: string): Promise<MatchRecord[]> {
  const matches = await prisma.match.findMany({ where: { sweepId }, orderBy: { id: 'asc' } });
  return matches.map((m) => ({
    id: m.id,
    baseModelId: m.baseModelId,
    stage: m.stage,
    block: m.block,
    round: m.round,
    a: trialKeyOfRowId(sweepId, m.trialAId),
    b: trialKeyOfRowId(sweepId, m.trialBId),
    status: m.status,
    aWins: m.aWins,
    bWins: m.bWins,
    ties: m.ties,
  }));
}

/** Every judgment of the sweep, without texts (they stay in the database: statistics need only verdicts). */
export async function readJudgments(prisma: PrismaClient, sweepId: string): Promise<ReportJudgment[]> {
  const judgments = await prisma.judgment.findMany({
    where: { match: { sweepId } },
    select: {
      matchId: true,
      instructionId: true,
      order: true,
      verdict: true,
      probOne: true,
      probTwo: true,
      probTie: true,
      promptTokens: true,
      evaluatedTokens: true,
      judgeId: true,
      latencyMs: true,
    },
  });
  return judgments.map((j) => ({ ...j, order: j.order === 2 ? 2 : 1, verdict: j.verdict as Verdict }));
}

/** The training curves: one series per trial and metric name, by trial and name. */
export async function readMetricSeries(prisma: PrismaClient, sweepId: string): Promise<MetricSeries[]> {
  const metrics = await prisma.metric.findMany({
    where: { trial: { sweepId } },
    select: { trialId: true, name: true, step: true, value: true },
    orderBy: [{ trialId: 'asc' }, { name: 'asc' }, { step: 'asc' }],
  });
  const series = new Map<string, MetricSeries>();
  for (const m of metrics) {
    const id = `${m.trialId}\u0000${m.name}`;
    const one = series.get(id) ?? { trialKey: trialKeyOfRowId(sweepId, m.trialId), name: m.name, points: [] };
    one.points.push([m.step, m.value]);
    series.set(id, one);
  }
  return [...series.values()];
}

/** Options of `readExampleJudgments`. */
export interface ReadExampleJudgmentsOptions {
  /** How many examples at most. */
  readonly count: number;
  /** Trial keys whose matches come first (the best trials). */
  readonly preferTrialKeys: ReadonlySet<string>;
}

/** Judgments with reasons, one per match, preferring matches of `preferTrialKeys`, with their texts. */
export async function readExampleJudgments(prisma: PrismaClient, sweepId: string, { count, preferTrialKeys }: ReadExampleJudgmentsOptions): Promise<ReportExample[]> {
  if (count <= 0) return [];
  const keyOf = (trialId: string): string => trialKeyOfRowId(sweepId, trialId);
  const candidates = await prisma.judgment.findMany({
    where: { match: { sweepId }, reason: { not: null } },
    include: { match: { select: { baseModelId: true, trialAId: true, trialBId: true } } },
    orderBy: [{ matchId: 'asc' }, { instructionId: 'asc' }, { order: 'asc' }],
    take: 500,
  });
  const preferred = (j: (typeof candidates)[number]): boolean => preferTrialKeys.has(keyOf(j.match.trialAId)) || preferTrialKeys.has(keyOf(j.match.trialBId));
  const picked: typeof candidates = [];
  const seen = new Set<string>();
  for (const j of [...candidates.filter(preferred), ...candidates.filter((j) => !preferred(j))]) {
    if (picked.length >= count) break;
    if (seen.has(j.matchId) || (j.reason ?? '').trim() === '') continue;
    seen.add(j.matchId);
    picked.push(j);
  }
  const examples: ReportExample[] = [];
  for (const j of picked) {
    const [instruction, responses] = await Promise.all([
      prisma.evalInstruction.findUnique({ where: { sweepId_instructionId: { sweepId, instructionId: j.instructionId } } }),
      prisma.response.findMany({ where: { instructionId: j.instructionId, trialId: { in: [j.match.trialAId, j.match.trialBId] } } }),
    ]);
    const text = (trialId: string): string => responses.find((r) => r.trialId === trialId)?.text ?? '';
    const [first, second] = j.order === 2 ? [j.match.trialBId, j.match.trialAId] : [j.match.trialAId, j.match.trialBId];
    examples.push({
      matchId: j.matchId,
      baseModelId: j.match.baseModelId,
      trialA: keyOf(j.match.trialAId),
      trialB: keyOf(j.match.trialBId),
      instruction: instruction?.instruction ?? j.instructionId,
      input: instruction?.input ?? '',
      response1: text(first),
      response2: text(second),
      order: j.order === 2 ? 2 : 1,
      verdict: j.verdict as Verdict,
      reason: j.reason,
      reference: j.reference,
    });
  }
  return examples;
}
