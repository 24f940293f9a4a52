/**
 * Judgments a match can take over from earlier matches between the same two trials by the same judge
 * (a pairing's `reuseJudgments`: the tuned-vs-default confirmation after a tournament in which the two
 * may already have met). Nothing is copied: the earlier rows stay where they are and are read again.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import type { RecordedJudgment } from '../core/judging/resolve-match.js';
import { recordedJudgmentFields, toRecordedJudgment } from './recorded-judgment.js';

/** A match that reuses judgments, by its row ids. */
export interface ReusingMatch {
  readonly matchId: string;
  readonly trialAId: string;
  readonly trialBId: string;
}

/** Where earlier judgments may come from. */
export interface ReuseScope {
  readonly sweepId: string;
  readonly baseModelId: string;
  /** Only this judge's verdicts count (another judge's are a different opinion). */
  readonly judgeId: string;
}

/**
 * Per reusing match id, the judgments other matches of the same two trials hold, in this match's orders
 * (order 1 shows its trial A first), one per instruction and order (the earliest match id first).
 */
export async function readReusableJudgments(prisma: PrismaClient, scope: ReuseScope, matches: readonly ReusingMatch[]): Promise<Map<string, RecordedJudgment[]>> {
  const out = new Map<string, RecordedJudgment[]>();
  if (matches.length === 0) return out;
  const rows = await prisma.judgment.findMany({
    where: {
      judgeId: scope.judgeId,
      matchId: { notIn: matches.map((m) => m.matchId) },
      match: {
        sweepId: scope.sweepId,
        baseModelId: scope.baseModelId,
        OR: matches.flatMap((m) => [
          { trialAId: m.trialAId, trialBId: m.trialBId },
          { trialAId: m.trialBId, trialBId: m.trialAId },
        ]),
      },
    },
    select: { ...recordedJudgmentFields, matchId: true, match: { select: { trialAId: true, trialBId: true } } },
    orderBy: [{ matchId: 'asc' }, { instructionId: 'asc' }, { order: 'asc' }],
  });
  for (const m of matches) {
    const seen = new Set<string>();
    const reused: RecordedJudgment[] = [];
    for (const j of rows) {
      const same = j.match.trialAId === m.trialAId && j.match.trialBId === m.trialBId;
      const swapped = j.match.trialAId === m.trialBId && j.match.trialBId === m.trialAId;
      if (!same && !swapped) continue;
      // The verdict names the shown positions, so only the order changes when A and B are swapped.
      const order: 1 | 2 = (j.order === 2) === same ? 2 : 1;
      const key = `${j.instructionId}/${order}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reused.push(toRecordedJudgment(j, order));
    }
    out.set(m.matchId, reused);
  }
  return out;
}

/** The reused judgments for instructions and orders the match does not hold itself. */
export function missingFrom(own: readonly RecordedJudgment[], reused: readonly RecordedJudgment[]): RecordedJudgment[] {
  const held = new Set(own.map((j) => `${j.instructionId}/${j.order}`));
  return reused.filter((j) => !held.has(`${j.instructionId}/${j.order}`));
}

/** A match's own judgments, then the reused ones for instructions and orders it does not hold itself. */
export function withReused(own: readonly RecordedJudgment[], reused: readonly RecordedJudgment[]): RecordedJudgment[] {
  return [...own, ...missingFrom(own, reused)];
}
