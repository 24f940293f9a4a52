/**
 * Reads everything a sweep's report shows from the database (only the database: the report works after
 * every worker and the Temporal server are gone).
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Verdict } from '../core/judging/judge-types.js';
import { trialKeyOfRowId } from '../core/ids/row-ids.js';
import type { ReportData, ReportExample } from './report-data.js';
import { SweepNotFoundError } from './sweep-not-found-error.js';

/** Options of `readReportData`. */
export interface ReadReportDataOptions {
  /** Base URL of the Temporal Web UI for the workflow links. Defaults to `http://127.0.0.1:8233`. */
  readonly temporalUiUrl?: string;
  /** Temporal namespace of the workflows. Defaults to `default`. */
  readonly temporalNamespace?: string;
  /** How many example judgments with reasons to include. Defaults to `4`. */
  readonly examples?: number;
  /** The report's timestamp. Defaults to the current time. */
  readonly now?: Date;
}

/** Default Temporal Web UI address (the local dev server's). */
export const defaultTemporalUiUrl = 'http://127.0.0.1:8233';

/** Reads sweep `sweepId`'s trials, standings, matches, judgments, curves and example judgments. */
export async function readReportData(prisma: PrismaClient, sweepId: string, options: ReadReportDataOptions = {}): Promise<ReportData> {
  const sweep = await prisma.sweep.findUnique({ where: { id: sweepId } });
  if (sweep === null) {
    throw await SweepNotFoundError.create(prisma, sweepId);
  }
  const keyOf = (trialId: string): string => trialKeyOfRowId(sweepId, trialId);
  const [trials, standings, best, matches, metrics, judgments] = await Promise.all([
    prisma.trial.findMany({ where: { sweepId }, orderBy: [{ baseModelId: 'asc' }, { index: 'asc' }] }),
    prisma.standing.findMany({ where: { sweepId }, orderBy: [{ baseModelId: 'asc' }, { rank: 'asc' }] }),
    prisma.bestTrial.findMany({ where: { sweepId }, orderBy: { baseModelId: 'asc' } }),
    prisma.match.findMany({ where: { sweepId }, orderBy: { id: 'asc' } }),
    prisma.metric.findMany({ where: { trial: { sweepId } }, orderBy: [{ trialId: 'asc' }, { name: 'asc' }, { step: 'asc' }] }),
    // Texts stay in the database: statistics need only verdicts and probabilities.
    prisma.judgment.findMany({
      where: { match: { sweepId } },
      select: { matchId: true, instructionId: true, order: true, verdict: true, probOne: true, probTwo: true, probTie: true, judgeId: true, latencyMs: true },
    }),
  ]);
  const baseOf = new Map(trials.map((t) => [t.id, t.baseModelId]));
  const curves = new Map<string, { baseModelId: string; trialKey: string; name: string; points: [number, number][] }>();
  for (const m of metrics) {
    const id = `${m.trialId}\u0000${m.name}`;
    const curve = curves.get(id) ?? { baseModelId: baseOf.get(m.trialId) ?? '', trialKey: keyOf(m.trialId), name: m.name, points: [] };
    curve.points.push([m.step, m.value]);
    curves.set(id, curve);
  }
  const matchRows = matches.map((m) => ({
    id: m.id,
    baseModelId: m.baseModelId,
    stage: m.stage,
    block: m.block,
    round: m.round,
    a: keyOf(m.trialAId),
    b: keyOf(m.trialBId),
    status: m.status,
    aWins: m.aWins,
    bWins: m.bWins,
    ties: m.ties,
  }));
  const bestKeys = new Set(best.map((b) => b.trialId));
  return {
    sweep: {
      id: sweep.id,
      name: sweep.name,
      file: sweep.file,
      status: sweep.status,
      workflowId: sweep.workflowId,
      createdAt: sweep.createdAt.toISOString(),
      finishedAt: sweep.finishedAt?.toISOString() ?? null,
    },
    generatedAt: (options.now ?? new Date()).toISOString(),
    temporalUiUrl: (options.temporalUiUrl ?? defaultTemporalUiUrl).replace(/\/+$/, ''),
    temporalNamespace: options.temporalNamespace ?? 'default',
    trials: trials.map((t) => ({
      key: t.key,
      baseModelId: t.baseModelId,
      index: t.index,
      block: t.block,
      isBaseline: t.isBaseline,
      params: (t.params ?? {}) as Record<string, unknown>,
      status: t.status,
      failureType: t.failureType,
      checkpointPath: t.checkpointPath,
      workflowId: t.workflowId,
    })),
    standings: standings.map((s) => ({
      baseModelId: s.baseModelId,
      trialKey: keyOf(s.trialId),
      rank: s.rank,
      matches: s.matches,
      wins: s.wins,
      losses: s.losses,
      ties: s.ties,
      points: s.points,
      score: s.score,
      rating: s.rating,
      ciLow: s.ciLow,
      ciHigh: s.ciHigh,
    })),
    best: best.map((b) => ({ baseModelId: b.baseModelId, trialKey: keyOf(b.trialId), checkpointPath: b.checkpointPath })),
    matches: matchRows,
    curves: [...curves.values()],
    judgments: judgments.map((j) => ({ ...j, order: j.order === 2 ? 2 : 1, verdict: j.verdict as Verdict })),
    examples: await readExamples(prisma, sweepId, bestKeys, options.examples ?? 4, keyOf),
  };
}

/** Judgments with reasons, preferring matches the best trials played, one per match. */
async function readExamples(prisma: PrismaClient, sweepId: string, bestTrialIds: ReadonlySet<string>, count: number, keyOf: (id: string) => string): Promise<ReportExample[]> {
  if (count <= 0) return [];
  const candidates = await prisma.judgment.findMany({
    where: { match: { sweepId }, reason: { not: null } },
    include: { match: { select: { baseModelId: true, trialAId: true, trialBId: true } } },
    orderBy: [{ matchId: 'asc' }, { instructionId: 'asc' }, { order: 'asc' }],
    take: 500,
  });
  const involvesBest = (j: (typeof candidates)[number]): boolean => bestTrialIds.has(j.match.trialAId) || bestTrialIds.has(j.match.trialBId);
  const picked: typeof candidates = [];
  const seen = new Set<string>();
  for (const j of [...candidates.filter(involvesBest), ...candidates.filter((j) => !involvesBest(j))]) {
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
