/**
 * The judge activity: one activity judges one whole match (two trials over every evaluation
 * instruction, in both orders), so a tournament of hundreds of matches stays far below Temporal's
 * history limits. Judgments are written as they come and the activity resumes from them after a retry.
 */
import { activityInfo, ApplicationFailure, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import type { PrismaClient } from '../generated/prisma/client.js';
import { failureTypes } from '../core/failure-types.js';
import type { JudgeMode, JudgeRequest, Verdict } from '../core/judging/judge-types.js';
import { resolveMatch, type RecordedJudgment } from '../core/judging/resolve-match.js';
import type { OrderResolution } from '../core/judging/resolve-orders.js';
import { shouldStopMatch, type SequentialTestOptions } from '../core/tournament/sequential-test.js';
import type { MatchPairing, MatchSummary } from '../core/tournament/types.js';
import { matchRowId, trialRowId } from '../core/ids/row-ids.js';
import type { Judge } from '../judges/judge.js';
import type { JudgeCache } from './judge-cache.js';
import { writeJudgments } from './write-judgments.js';

/** How a match is judged (from the sweep's `judge` section). */
export interface JudgeSettings {
  /** Judge config name (`configs/judges/<name>.yaml`) or absolute path. */
  readonly config: string;
  readonly mode: JudgeMode;
  /** Judge both orders. */
  readonly swap: boolean;
  readonly resolution: OrderResolution;
  /** Seconds without a heartbeat before the match is retried elsewhere (absent in histories before it existed). */
  readonly heartbeatTimeout?: number;
}

/** Input of `judgeMatch`. */
export interface JudgeMatchInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  readonly pairing: MatchPairing;
  readonly judge: JudgeSettings;
}

/** What `createJudgeActivities` needs. */
export interface JudgeActivityDeps {
  readonly prisma: PrismaClient;
  readonly judges: JudgeCache;
}

// Judgments are flushed to the database in groups this size: small enough that a crash loses little work.
const writeBatchSize = 8;

/** Creates the judge activities. */
export function createJudgeActivities({ prisma, judges }: JudgeActivityDeps) {
  return {
    /** Judges every instruction of a match (both orders unless `swap` is off) and returns its summary. */
    async judgeMatch(input: JudgeMatchInput): Promise<MatchSummary> {
      const { sweepId, baseModelId, pairing } = input;
      const matchId = matchRowId(sweepId, baseModelId, pairing.id);
      const trialAId = trialRowId(sweepId, pairing.a);
      const trialBId = trialRowId(sweepId, pairing.b);
      // One statement instead of Prisma's upsert and a second update: this runs once per match, hundreds of
      // times a tournament. Rows planned ahead have no start time yet; a retry keeps the first one.
      await prisma.$executeRaw`
        INSERT INTO "Match" ("id", "sweepId", "baseModelId", "stage", "block", "round", "trialAId", "trialBId", "status", "startedAt")
        VALUES (${matchId}, ${sweepId}, ${baseModelId}, ${pairing.stage}, ${pairing.block}, ${pairing.round}, ${trialAId}, ${trialBId}, 'running', ${new Date()})
        ON CONFLICT ("id") DO UPDATE SET "status" = 'running', "startedAt" = COALESCE("Match"."startedAt", EXCLUDED."startedAt")`;
      const [instructions, responsesA, responsesB, trials, existing] = await Promise.all([
        prisma.evalInstruction.findMany({ where: { sweepId }, orderBy: { position: 'asc' } }),
        prisma.response.findMany({ where: { trialId: trialAId } }),
        prisma.response.findMany({ where: { trialId: trialBId } }),
        prisma.trial.findMany({ where: { id: { in: [trialAId, trialBId] } }, select: { id: true, finalMetrics: true } }),
        prisma.judgment.findMany({ where: { matchId }, select: { instructionId: true, order: true, verdict: true, probOne: true, probTwo: true, probTie: true } }),
      ]);
      const textA = new Map(responsesA.map((r) => [r.instructionId, r.text]));
      const textB = new Map(responsesB.map((r) => [r.instructionId, r.text]));
      const quality = new Map(trials.map((t) => [t.id, qualityOf(t.finalMetrics)]));
      const done = new Set(existing.map((j) => `${j.instructionId}/${j.order}`));
      const orders: (1 | 2)[] = input.judge.swap ? [1, 2] : [1];
      const todo = instructions.flatMap((item) => orders.map((order) => ({ item, order }))).filter(({ item, order }) => !done.has(`${item.instructionId}/${order}`));

      let judge: Judge;
      try {
        judge = await judges.get(input.judge.config);
      } catch (error) {
        throw ApplicationFailure.nonRetryable(`The judge could not be loaded: ${(error as Error).message}`, failureTypes.JudgeUnavailable);
      }
      const total = instructions.length * orders.length;
      const signal = cancellationSignal();
      // The pairing's `earlyStop` (the adaptive strategy sets it) stops the match once the instructions
      // judged so far decide it, checked after every write batch; without it every instruction is judged.
      const earlyStop = pairing.earlyStop;
      const recorded = existing.map(toRecordedJudgment);
      let concurrentWriter = false;
      const decided = () => earlyStop !== undefined && isDecided(recorded, orders.length, input.judge.resolution, earlyStop);
      if (todo.length < total) log.info('Resuming match', { matchId, alreadyJudged: total - todo.length, total, attempt: activityInfo().attempt });
      for (let start = 0; start < todo.length && !decided(); start += writeBatchSize) {
        const batch = todo.slice(start, start + writeBatchSize);
        const rows = await Promise.all(
          batch.map(async ({ item, order }) => {
            const a = textA.get(item.instructionId) ?? '';
            const b = textB.get(item.instructionId) ?? '';
            const request: JudgeRequest = {
              instruction: item.instruction,
              input: item.input,
              response1: order === 1 ? a : b,
              response2: order === 1 ? b : a,
              subjects: {
                instructionId: item.instructionId,
                ...optionalQuality('quality1', quality.get(order === 1 ? trialAId : trialBId)),
                ...optionalQuality('quality2', quality.get(order === 1 ? trialBId : trialAId)),
              },
            };
            const result = await judge.judge(request, { mode: input.judge.mode, signal });
            return {
              matchId,
              instructionId: item.instructionId,
              order,
              verdict: result.verdict,
              probOne: result.probabilities?.one ?? null,
              probTwo: result.probabilities?.two ?? null,
              probTie: result.probabilities?.tie ?? null,
              scoreOne: result.scores?.[0] ?? null,
              scoreTwo: result.scores?.[1] ?? null,
              reason: result.reason ?? null,
              reference: result.reference ?? null,
              raw: result.raw ?? null,
              judgeId: judge.id,
              latencyMs: result.latencyMs,
            };
          }),
        );
        const written = await writeJudgments(prisma, rows);
        // Fewer rows written than judged: another attempt stored some of these first, and its verdicts count.
        if (written < rows.length) concurrentWriter = true;
        recorded.push(...rows.map(toRecordedJudgment));
        heartbeat({ judged: total - todo.length + start + batch.length, total });
      }

      if (recorded.length < total && decided()) log.info('Match decided early', { matchId, judged: recorded.length, total });

      // What this attempt read and wrote is every stored judgment, unless another attempt wrote too.
      const final = concurrentWriter ? (await prisma.judgment.findMany({ where: { matchId } })).map(toRecordedJudgment) : recorded;
      const resolved = resolveMatch(final, input.judge.resolution);
      await prisma.match.update({
        where: { id: matchId },
        data: { status: 'done', aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties, judgeId: judge.id, finishedAt: new Date() },
      });
      return { id: pairing.id, a: pairing.a, b: pairing.b, stage: pairing.stage, block: pairing.block, aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties };
    },
  };
}

/** A stored judgment row as `resolveMatch` reads it. */
function toRecordedJudgment(j: { instructionId: string; order: number; verdict: number; probOne: number | null; probTwo: number | null; probTie: number | null }): RecordedJudgment {
  return {
    instructionId: j.instructionId,
    order: j.order === 2 ? 2 : 1,
    verdict: j.verdict as Verdict,
    probabilities: j.probOne === null || j.probTwo === null || j.probTie === null ? null : { one: j.probOne, two: j.probTwo, tie: j.probTie },
  };
}

/** Whether the instructions with every order judged already decide the match under the sequential test. */
function isDecided(recorded: readonly RecordedJudgment[], orderCount: number, resolution: OrderResolution, options: SequentialTestOptions): boolean {
  const perInstruction = new Map<string, number>();
  for (const j of recorded) perInstruction.set(j.instructionId, (perInstruction.get(j.instructionId) ?? 0) + 1);
  // A half-judged instruction (one order of two) is left out: its verdict could still turn into a tie.
  const complete = recorded.filter((j) => (perInstruction.get(j.instructionId) ?? 0) >= orderCount);
  return shouldStopMatch(resolveMatch(complete, resolution), options);
}

function qualityOf(finalMetrics: unknown): number | undefined {
  if (typeof finalMetrics !== 'object' || finalMetrics === null) return undefined;
  const q = (finalMetrics as { quality?: unknown }).quality;
  return typeof q === 'number' ? q : undefined;
}

function optionalQuality(key: 'quality1' | 'quality2', value: number | undefined): Partial<Record<'quality1' | 'quality2', number>> {
  return value === undefined ? {} : { [key]: value };
}

/** The judge activities' type, for `proxyActivities`. */
export type JudgeActivities = ReturnType<typeof createJudgeActivities>;
