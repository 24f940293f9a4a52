/**
 * Reads everything a sweep's report shows from the database (only the database: the report works after
 * every worker and the Temporal server are gone), through the sweep's read model.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import {
  readBestTrials,
  readConfirmations,
  readEvaluations,
  readExampleJudgments,
  readJudgments,
  readMatches,
  readMetricSeries,
  readStandings,
  readTrials,
  requireSweep,
} from './read-sweep.js';
import type { ReportData } from './report-data.js';

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
  const sweep = await requireSweep(prisma, sweepId);
  const [trials, standings, best, confirmations, evaluations, matches, series, judgments] = await Promise.all([
    readTrials(prisma, sweepId),
    readStandings(prisma, sweepId),
    readBestTrials(prisma, sweepId),
    readConfirmations(prisma, sweepId),
    readEvaluations(prisma, sweepId),
    readMatches(prisma, sweepId),
    readMetricSeries(prisma, sweepId),
    readJudgments(prisma, sweepId),
  ]);
  const baseOf = new Map(trials.map((t) => [t.key, t.baseModelId]));
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
    trials,
    standings,
    best,
    confirmations,
    evaluations,
    matches,
    curves: series.map((s) => ({ baseModelId: baseOf.get(s.trialKey) ?? '', trialKey: s.trialKey, name: s.name, points: s.points })),
    judgments,
    examples: await readExampleJudgments(prisma, sweepId, { count: options.examples ?? 4, preferTrialKeys: new Set(best.map((b) => b.trialKey)) }),
  };
}
