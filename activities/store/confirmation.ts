/** The tuned-vs-default record: the confirmation match's judgments (its own and those it reuses) summarized. */
import { matchRowId, trialRowId } from '../../core/ids/row-ids.js';
import { resolveMatch } from '../../core/judging/resolve-match.js';
import type { OrderResolution } from '../../core/judging/resolve-orders.js';
import { summarizeConfirmation, type ConfirmationSummary } from '../../core/tournament/confirmation.js';
import type { MatchPairing } from '../../core/tournament/types.js';
import { recordedJudgmentFields, toRecordedJudgment } from '../recorded-judgment.js';
import { readReusableJudgments, withReused } from '../reused-judgments.js';
import type { StoreDeps } from './store-deps.js';

/** Input of `recordConfirmation`. */
export interface RecordConfirmationInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  /** The judged confirmation match (`confirmationPairing`): A is the best trial, B the baseline. */
  readonly pairing: MatchPairing;
  /** Which judge played it: `tournament` for the sweep's own. */
  readonly judge: string;
  readonly resolution: OrderResolution;
  readonly seed: number;
  readonly bootstrap: number;
}

/** A recorded confirmation. */
export interface ConfirmationResult extends ConfirmationSummary {
  readonly baseModelId: string;
  readonly best: string;
  readonly baseline: string;
  readonly judge: string;
}

/** Creates `recordConfirmation`. */
export function createConfirmationStoreActivities({ prisma }: StoreDeps) {
  return {
    /** Summarizes a judged confirmation match (wins, ties, losses, win rate with a bootstrap interval) and records it. */
    async recordConfirmation(input: RecordConfirmationInput): Promise<ConfirmationResult> {
      const { sweepId, baseModelId, pairing } = input;
      const matchId = matchRowId(sweepId, baseModelId, pairing.id);
      const match = await prisma.match.findUniqueOrThrow({ where: { id: matchId }, include: { judgments: { select: recordedJudgmentFields } } });
      // The judge activity sets the match's judge; a match every judgment of which was reused has it too.
      const judgeId = match.judgeId ?? '';
      const reused = await readReusableJudgments(prisma, { sweepId, baseModelId, judgeId }, [{ matchId, trialAId: match.trialAId, trialBId: match.trialBId }]);
      const judgments = withReused(match.judgments.map((j) => toRecordedJudgment(j)), reused.get(matchId) ?? []);
      const summary = summarizeConfirmation(resolveMatch(judgments, input.resolution).perInstruction, { seed: input.seed, resamples: input.bootstrap });
      const row = { sweepId, baseModelId, judge: input.judge, judgeId, bestTrialId: trialRowId(sweepId, pairing.a), baselineTrialId: trialRowId(sweepId, pairing.b), ...summary };
      await prisma.confirmation.upsert({ where: { matchId }, create: { matchId, ...row }, update: { ...row, decidedAt: new Date() } });
      return { baseModelId, best: pairing.a, baseline: pairing.b, judge: input.judge, ...summary };
    },
  };
}
