/** The tuned-vs-default record: the confirmation match's judgments (its own and those it reuses) summarized. */
import { matchRowId, trialRowId } from '../../core/ids/row-ids.js';
import { resolveMatch, type InstructionOutcome } from '../../core/judging/resolve-match.js';
import type { OrderResolution } from '../../core/judging/resolve-orders.js';
import { judgeAgreement, summarizeConfirmation, type ConfirmationSummary } from '../../core/tournament/confirmation.js';
import type { MatchPairing } from '../../core/tournament/types.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { recordedJudgmentFields, toRecordedJudgment } from '../recorded-judgment.js';
import { readReusableJudgments, withReused } from '../reused-judgments.js';
import type { StoreDeps } from './store-deps.js';

/** Input of `recordConfirmation`. */
export interface RecordConfirmationInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  /** The judged confirmation match (`confirmationPairing`): A is the best trial, B the baseline. */
  readonly pairing: MatchPairing;
  /** Which judge played it: `tournament` for the sweep's own, else the second-opinion judge's config. */
  readonly judge: string;
  /** For a second opinion: the tournament judge's confirmation match and order rule, to count how often the two agree. */
  readonly agreementWith?: { readonly pairing: MatchPairing; readonly resolution: OrderResolution };
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
  /** Instructions resolved alike by this judge and the tournament judge, of those both judged (second opinions only). */
  readonly agreement?: { readonly agreed: number; readonly shared: number };
}

/** Creates `recordConfirmation`. */
export function createConfirmationStoreActivities({ prisma }: StoreDeps) {
  return {
    /** Summarizes a judged confirmation match (wins, ties, losses, win rate with a bootstrap interval) and records it. */
    async recordConfirmation(input: RecordConfirmationInput): Promise<ConfirmationResult> {
      const { sweepId, baseModelId, pairing } = input;
      const matchId = matchRowId(sweepId, baseModelId, pairing.id);
      const { judgeId, outcomes } = await confirmationOutcomes(prisma, matchId, input);
      const summary = summarizeConfirmation(outcomes, { seed: input.seed, resamples: input.bootstrap });
      const agreement =
        input.agreementWith === undefined
          ? null
          : judgeAgreement(outcomes, (await confirmationOutcomes(prisma, matchRowId(sweepId, baseModelId, input.agreementWith.pairing.id), { sweepId, baseModelId, resolution: input.agreementWith.resolution })).outcomes);
      const row = {
        sweepId,
        baseModelId,
        judge: input.judge,
        judgeId,
        bestTrialId: trialRowId(sweepId, pairing.a),
        baselineTrialId: trialRowId(sweepId, pairing.b),
        ...summary,
        agreed: agreement?.agreed ?? null,
        shared: agreement?.shared ?? null,
      };
      await prisma.confirmation.upsert({ where: { matchId }, create: { matchId, ...row }, update: { ...row, decidedAt: new Date() } });
      return { baseModelId, best: pairing.a, baseline: pairing.b, judge: input.judge, ...summary, ...(agreement === null ? {} : { agreement }) };
    },
  };
}

/** A judged confirmation match's outcomes for its trial A, from its own judgments and those it reuses. */
async function confirmationOutcomes(
  prisma: PrismaClient,
  matchId: string,
  { sweepId, baseModelId, resolution }: Pick<RecordConfirmationInput, 'sweepId' | 'baseModelId' | 'resolution'>,
): Promise<{ judgeId: string; outcomes: readonly InstructionOutcome[] }> {
  const match = await prisma.match.findUniqueOrThrow({ where: { id: matchId }, include: { judgments: { select: recordedJudgmentFields } } });
  // The judge activity sets the match's judge, also when every judgment was reused.
  const judgeId = match.judgeId ?? '';
  const reused = await readReusableJudgments(prisma, { sweepId, baseModelId, judgeId }, [{ matchId, trialAId: match.trialAId, trialBId: match.trialBId }]);
  const judgments = withReused(match.judgments.map((j) => toRecordedJudgment(j)), reused.get(matchId) ?? []);
  return { judgeId, outcomes: resolveMatch(judgments, resolution).perInstruction };
}
