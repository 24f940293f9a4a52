/** A stored judgment row as the match resolution reads it: the one mapping from database row to `RecordedJudgment`. */
import type { Verdict } from '../core/judging/judge-types.js';
import type { RecordedJudgment } from '../core/judging/resolve-match.js';
import type { JudgmentRow } from './write-judgments.js';

/** The Judgment columns `toRecordedJudgment` reads (a Prisma `select`). */
export const recordedJudgmentFields = { instructionId: true, order: true, verdict: true, probOne: true, probTwo: true, probTie: true } as const;

/** The row fields `toRecordedJudgment` needs. */
export type RecordedJudgmentRow = Pick<JudgmentRow, keyof typeof recordedJudgmentFields>;

/** Converts a stored row; `order` is the one given when the row's match shows the trials the other way round. */
export function toRecordedJudgment(j: RecordedJudgmentRow, order: 1 | 2 = j.order === 2 ? 2 : 1): RecordedJudgment {
  return {
    instructionId: j.instructionId,
    order,
    verdict: j.verdict as Verdict,
    probabilities: j.probOne === null || j.probTwo === null || j.probTie === null ? null : { one: j.probOne, two: j.probTwo, tie: j.probTie },
  };
}
