/** A tournament's rows: the planned matches, and at the end the standings and the best trial. */
import type { PrismaClient } from '../../generated/prisma/client.js';
import { entrantRows, matchRowId, trialKeyOfRowId, trialRowId } from '../../core/ids/row-ids.js';
import { preferLastCheckpoints } from '../../core/early-termination/checkpoint-selection.js';
import { rungStagePrefix } from '../../core/early-termination/rungs.js';
import { resolveMatch } from '../../core/judging/resolve-match.js';
import type { OrderResolution } from '../../core/judging/resolve-orders.js';
import { confirmStage } from '../../core/tournament/confirmation.js';
import { computeStandings, type Standing } from '../../core/tournament/standings.js';
import type { MatchSummary } from '../../core/tournament/types.js';
import { recordedJudgmentFields, toRecordedJudgment } from '../recorded-judgment.js';
import type { StoreDeps } from './store-deps.js';

/** A planned match as the store records it. */
export interface PairingRow {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly stage: string;
  readonly block: number | null;
  readonly round: number;
}

/** Input of `finalizeTournament`. */
export interface FinalizeTournamentInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  readonly entrants: readonly string[];
  readonly excluded: readonly { readonly trial: string; readonly reason: string }[];
  readonly seed: number;
  readonly bootstrap: number;
  /** How the two orders of each instruction were combined (as in the judge activity). */
  readonly resolution: OrderResolution;
}

/** The chosen best trial of one base model. */
export interface BestTrialResult {
  readonly baseModelId: string;
  readonly trialKey: string | null;
  readonly checkpointPath: string | null;
  /** The best checkpoint's epoch under early termination (absent otherwise, and in histories from before it). */
  readonly epoch?: number;
}

/** Creates `planMatches` and `finalizeTournament`. */
export function createTournamentStoreActivities({ prisma }: StoreDeps) {
  return {
    /** Records a planned match so the CLI can count it before it is judged. */
    async planMatches(input: { sweepId: string; baseModelId: string; pairings: readonly PairingRow[] }): Promise<void> {
      await prisma.match.createMany({
        data: input.pairings.map((p) => ({
          id: matchRowId(input.sweepId, input.baseModelId, p.id),
          sweepId: input.sweepId,
          baseModelId: input.baseModelId,
          stage: p.stage,
          block: p.block,
          round: p.round,
          trialAId: trialRowId(input.sweepId, p.a),
          trialBId: trialRowId(input.sweepId, p.b),
        })),
        skipDuplicates: true,
      });
    },

    /** Computes standings (Bradley–Terry with bootstrap intervals) from the judgments and records the best trial. */
    async finalizeTournament(input: FinalizeTournamentInput): Promise<BestTrialResult> {
      const standings = await loadStandings(prisma, input);
      await prisma.$transaction([
        prisma.standing.deleteMany({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId } }),
        prisma.standing.createMany({
          data: standings.map((s) => ({
            sweepId: input.sweepId,
            baseModelId: input.baseModelId,
            ...entrantRows(input.sweepId, s.trial),
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
        }),
      ]);
      const best = standings.find((s) => s.rank === 1);
      if (best === undefined) return { baseModelId: input.baseModelId, trialKey: null, checkpointPath: null };
      const { trialId, epoch } = entrantRows(input.sweepId, best.trial);
      const trial = await prisma.trial.findUniqueOrThrow({ where: { id: trialId } });
      // A checkpoint of an early-terminated trial is its own folder; a trial's is its training output.
      const checkpointPath = epoch === 0 ? trial.checkpointPath : (await prisma.checkpoint.findUniqueOrThrow({ where: { trialId_epoch: { trialId, epoch } } })).path;
      const picked = { trialId, checkpointPath, epoch: epoch === 0 ? null : epoch };
      await prisma.bestTrial.upsert({
        where: { sweepId_baseModelId: { sweepId: input.sweepId, baseModelId: input.baseModelId } },
        create: { sweepId: input.sweepId, baseModelId: input.baseModelId, ...picked },
        update: { ...picked, decidedAt: new Date() },
      });
      return { baseModelId: input.baseModelId, trialKey: trial.key, checkpointPath, ...(epoch === 0 ? {} : { epoch }) };
    },
  };
}

async function loadStandings(prisma: PrismaClient, input: FinalizeTournamentInput): Promise<Standing[]> {
  const matches = await prisma.match.findMany({
    // The tuned-vs-default confirmation follows the tournament and must not move its standings.
    // Nor do early termination's rung matches: short matches of a rung's checkpoints, played to decide promotions.
    where: { sweepId: input.sweepId, baseModelId: input.baseModelId, status: 'done', stage: { not: confirmStage }, NOT: { stage: { startsWith: rungStagePrefix } } },
    include: { judgments: { select: recordedJudgmentFields } },
  });
  const records = matches.map((m) => {
    const summary: MatchSummary = {
      id: m.id,
      a: trialKeyOfRowId(input.sweepId, m.trialAId),
      b: trialKeyOfRowId(input.sweepId, m.trialBId),
      stage: m.stage,
      block: m.block,
      aWins: m.aWins,
      bWins: m.bWins,
      ties: m.ties,
    };
    return { ...summary, perInstruction: resolveMatch(m.judgments.map((j) => toRecordedJudgment(j)), input.resolution).perInstruction };
  });
  const { standings } = computeStandings({
    entrants: [...input.entrants],
    matches: records,
    seed: input.seed,
    bootstrap: input.bootstrap,
    excluded: [...input.excluded],
  });
  // Early termination's final ranks checkpoints: an earlier one goes ahead of its trial's last only when it beat it clearly.
  const byEntrant = new Map(standings.map((s) => [s.trial, s]));
  return preferLastCheckpoints(standings.map((s) => s.trial), records).map((trial, i) => ({ ...byEntrant.get(trial)!, rank: i + 1 }));
}
