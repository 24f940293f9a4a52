/**
 * The judge activities: `judgeMatches` judges a group of whole matches (two trials over every evaluation
 * instruction, in both orders; a block's round robin, say) and `judgeMatch` one, so a tournament of
 * hundreds of matches stays far below Temporal's history limits. Judgments are written as they come and
 * the activity resumes from them after a retry.
 */
import { activityInfo, ApplicationFailure, cancellationSignal, heartbeat, log } from '@temporalio/activity';
import type { PrismaClient } from '../generated/prisma/client.js';
import { failureTypes } from '../core/failure-types.js';
import type { JudgeMode, JudgeRequest, JudgeResult } from '../core/judging/judge-types.js';
import { resolveMatch, type RecordedJudgment } from '../core/judging/resolve-match.js';
import type { OrderResolution } from '../core/judging/resolve-orders.js';
import { shouldStopMatch, type SequentialTestOptions } from '../core/tournament/sequential-test.js';
import type { MatchPairing, MatchSummary } from '../core/tournament/types.js';
import { entrantRowIdOf, entrantRows, matchRowId, trialRowId } from '../core/ids/row-ids.js';
import { inPrefixOrder, judgingPosition, type PrefixOrderKey } from '../core/tournament/judging-groups.js';
import type { Judge } from '../judges/judge.js';
import { judgeInLanes } from '../judges/judge-in-lanes.js';
import type { JudgeCache } from './judge-cache.js';
import { recordedJudgmentFields, toRecordedJudgment } from './recorded-judgment.js';
import { missingFrom, readReusableJudgments, withReused } from './reused-judgments.js';
import { writeJudgments, type JudgmentRow } from './write-judgments.js';
import { simulatedQualitySubjects, toyQualityOf } from '../judges/simulated-judge.js';

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

/** Input of `judgeMatches`: matches of one tournament judged together (see core/tournament/judging-groups.ts). */
export interface JudgeMatchesInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  readonly pairings: readonly MatchPairing[];
  readonly judge: JudgeSettings;
}

/** What `createJudgeActivities` needs. */
export interface JudgeActivityDeps {
  readonly prisma: PrismaClient;
  readonly judges: JudgeCache;
}

// Judgments are flushed to the database in groups this size: small enough that a crash loses little work.
const writeBatchSize = 8;
// Judgments run at once for a judge that does not say how many it serves in parallel (an HTTP endpoint).
const defaultLanes = 8;

interface MatchRows {
  readonly pairing: MatchPairing;
  readonly matchId: string;
  readonly trialAId: string;
  readonly trialBId: string;
  /** Every judgment of the match known to this attempt. */
  readonly recorded: RecordedJudgment[];
  /** Judgments of earlier matches between the same trials that count for this one (`reuseJudgments`). */
  readonly reused: RecordedJudgment[];
}

/** One order of one instruction of one match, still to be judged. */
interface PendingJudgment extends PrefixOrderKey {
  readonly match: MatchRows;
  readonly item: { readonly instructionId: string; readonly instruction: string; readonly input: string };
  readonly order: 1 | 2;
}

/** Creates the judge activities. */
export function createJudgeActivities({ prisma, judges }: JudgeActivityDeps) {
  /**
   * Judges every instruction of the matches (both orders unless `swap` is off) and returns their summaries
   * in the pairings' order. Judgments run in prefix order, split into contiguous lanes (one per judge
   * sequence): consecutive prompts of a lane share the header, the instruction and response 1, which the
   * llama judge keeps cached.
   */
  async function judgeMatches(input: JudgeMatchesInput): Promise<MatchSummary[]> {
    const { sweepId, baseModelId } = input;
    const matches: MatchRows[] = input.pairings.map((pairing) => ({
      pairing,
      matchId: matchRowId(sweepId, baseModelId, pairing.id),
      trialAId: trialRowId(sweepId, pairing.a),
      trialBId: trialRowId(sweepId, pairing.b),
      recorded: [],
      reused: [],
    }));
    const startedAt = new Date();
    for (const { pairing, matchId, trialAId, trialBId } of matches) {
      // One statement instead of Prisma's upsert and a second update: this runs once per match, hundreds of
      // times a tournament. Rows planned ahead have no start time yet; a retry keeps the first one.
      await prisma.$executeRaw`
        INSERT INTO "Match" ("id", "sweepId", "baseModelId", "stage", "block", "round", "trialAId", "trialBId", "status", "startedAt")
        VALUES (${matchId}, ${sweepId}, ${baseModelId}, ${pairing.stage}, ${pairing.block}, ${pairing.round}, ${trialAId}, ${trialBId}, 'running', ${startedAt})
        ON CONFLICT ("id") DO UPDATE SET "status" = 'running', "startedAt" = COALESCE("Match"."startedAt", EXCLUDED."startedAt")`;
    }
    // An entrant is a trial, or one of its checkpoints (early termination): its answers are the trial's at that epoch.
    const entrants = [...new Set(matches.flatMap((m) => [m.pairing.a, m.pairing.b]))].map((key) => entrantRows(sweepId, key));
    const trialIds = [...new Set(entrants.map((e) => e.trialId))];
    const checkpointed = entrants.filter((e) => e.epoch !== 0);
    const matchIds = matches.map((m) => m.matchId);
    const [instructions, responses, trials, checkpoints, existing] = await Promise.all([
      prisma.evalInstruction.findMany({ where: { sweepId }, orderBy: { position: 'asc' } }),
      prisma.response.findMany({ where: { OR: entrants.map(({ trialId, epoch }) => ({ trialId, epoch })) }, select: { trialId: true, epoch: true, instructionId: true, text: true } }),
      prisma.trial.findMany({ where: { id: { in: trialIds } }, select: { id: true, finalMetrics: true } }),
      checkpointed.length === 0 ? [] : prisma.checkpoint.findMany({ where: { OR: checkpointed.map(({ trialId, epoch }) => ({ trialId, epoch })) }, select: { trialId: true, epoch: true, metrics: true } }),
      prisma.judgment.findMany({ where: { matchId: { in: matchIds } }, select: judgmentFields }),
    ]);
    let judge: Judge;
    try {
      judge = await judges.get(input.judge.config);
    } catch (error) {
      throw ApplicationFailure.nonRetryable(`The judge could not be loaded: ${(error as Error).message}`, failureTypes.JudgeUnavailable);
    }
    const texts = new Map<string, string>(responses.map((r) => [`${entrantRowIdOf(r.trialId, r.epoch)}/${r.instructionId}`, r.text]));
    // The toy trainer's latent quality, for the simulated judge only (judges/simulated-judge.ts); other judges ignore it.
    const quality = new Map([...trials.map((t) => [t.id, toyQualityOf(t.finalMetrics)] as const), ...checkpoints.map((c) => [entrantRowIdOf(c.trialId, c.epoch), toyQualityOf(c.metrics)] as const)]);
    const byId = new Map(matches.map((m) => [m.matchId, m]));
    for (const j of existing) byId.get(j.matchId)?.recorded.push(toRecordedJudgment(j));
    const reusable = await readReusableJudgments(prisma, { sweepId, baseModelId, judgeId: judge.id }, matches.filter((m) => m.pairing.reuseJudgments === true));
    for (const [matchId, reused] of reusable) {
      const match = byId.get(matchId)!;
      match.reused.push(...missingFrom(match.recorded, reused));
    }
    const done = new Set([
      ...existing.map((j) => `${j.matchId}/${j.instructionId}/${j.order}`),
      ...matches.flatMap((m) => m.reused.map((j) => `${m.matchId}/${j.instructionId}/${j.order}`)),
    ]);
    const orders: (1 | 2)[] = input.judge.swap ? [1, 2] : [1];
    const todo = inPrefixOrder(
      instructions.flatMap((item, instruction) =>
        matches.flatMap((match) =>
          orders
            .filter((order) => !done.has(`${match.matchId}/${item.instructionId}/${order}`))
            .map((order): PendingJudgment => {
              const [first, second] = order === 1 ? [match.trialAId, match.trialBId] : [match.trialBId, match.trialAId];
              return { match, item, instruction: judgingPosition(match.pairing, instruction, instructions.length), order, first, second };
            }),
        ),
      ),
    );

    const total = instructions.length * orders.length * matches.length;
    let judged = total - todo.length;
    const signal = cancellationSignal();
    // A pairing's `earlyStop` (the adaptive strategy sets it) stops its match once the instructions judged
    // so far decide it, checked after every write batch; without it every instruction is judged.
    const decided = (match: MatchRows) =>
      match.pairing.earlyStop !== undefined && isDecided([...match.recorded, ...match.reused], orders.length, input.judge.resolution, match.pairing.earlyStop);
    const anyEarlyStop = matches.some((m) => m.pairing.earlyStop !== undefined);
    let concurrentWriter = false;
    if (judged > 0) log.info('Resuming matches', { matches: matchIds.length, alreadyJudged: judged, total, attempt: activityInfo().attempt });

    const request = ({ item, first, second }: PendingJudgment): JudgeRequest => ({
      instruction: item.instruction,
      input: item.input,
      response1: texts.get(`${first}/${item.instructionId}`) ?? '',
      response2: texts.get(`${second}/${item.instructionId}`) ?? '',
      subjects: {
        instructionId: item.instructionId,
        ...simulatedQualitySubjects(quality.get(first), quality.get(second)),
      },
    });
    const store = async (rows: readonly JudgmentRow[]): Promise<void> => {
      const written = await writeJudgments(prisma, rows);
      // Fewer rows written than judged: another attempt stored some of these first, and its verdicts count.
      if (written < rows.length) concurrentWriter = true;
      for (const row of rows) byId.get(row.matchId)?.recorded.push(toRecordedJudgment(row));
      judged += rows.length;
      heartbeat({ judged, total });
    };

    let remaining = todo;
    while (remaining.length > 0) {
      remaining = remaining.filter((pending) => !decided(pending.match));
      // With an early stop, a batch at a time, so the match can stop between batches.
      const window = remaining.slice(0, anyEarlyStop ? writeBatchSize : remaining.length);
      remaining = remaining.slice(window.length);
      await judgeInLanes(
        window,
        async (pending, laneSignal) => judgmentRow(pending, await judge.judge(request(pending), { mode: input.judge.mode, signal: laneSignal }), judge.id),
        { lanes: judge.parallelism ?? defaultLanes, store, batchSize: writeBatchSize, signal },
      );
    }
    for (const match of matches) {
      if (match.recorded.length + match.reused.length < instructions.length * orders.length && decided(match)) log.info('Match decided early', { matchId: match.matchId, judged: match.recorded.length });
    }

    // What this attempt read and wrote is every stored judgment, unless another attempt wrote too.
    if (concurrentWriter) {
      for (const match of matches) match.recorded.length = 0;
      for (const j of await prisma.judgment.findMany({ where: { matchId: { in: matchIds } }, select: judgmentFields })) byId.get(j.matchId)?.recorded.push(toRecordedJudgment(j));
    }
    const finishedAt = new Date();
    return Promise.all(
      matches.map(async ({ pairing, matchId, recorded, reused }) => {
        const resolved = resolveMatch(withReused(recorded, reused), input.judge.resolution);
        await prisma.match.update({
          where: { id: matchId },
          data: { status: 'done', aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties, judgeId: judge.id, finishedAt },
        });
        return { id: pairing.id, a: pairing.a, b: pairing.b, stage: pairing.stage, block: pairing.block, aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties };
      }),
    );
  }

  return {
    /** Judges every instruction of one match (both orders unless `swap` is off) and returns its summary. */
    async judgeMatch(input: JudgeMatchInput): Promise<MatchSummary> {
      const [summary] = await judgeMatches({ sweepId: input.sweepId, baseModelId: input.baseModelId, pairings: [input.pairing], judge: input.judge });
      return summary!;
    },
    judgeMatches,
  };
}

const judgmentFields = { matchId: true, ...recordedJudgmentFields } as const;

function judgmentRow({ match, item, order }: PendingJudgment, result: JudgeResult, judgeId: string): JudgmentRow {
  return {
    matchId: match.matchId,
    instructionId: item.instructionId,
    order,
    verdict: result.verdict,
    probOne: result.probabilities?.one ?? null,
    probTwo: result.probabilities?.two ?? null,
    probTie: result.probabilities?.tie ?? null,
    scoreOne: result.scores?.[0] ?? null,
    scoreTwo: result.scores?.[1] ?? null,
    promptTokens: result.promptTokens?.total ?? null,
    evaluatedTokens: result.promptTokens?.evaluated ?? null,
    reason: result.reason ?? null,
    reference: result.reference ?? null,
    raw: result.raw ?? null,
    judgeId,
    latencyMs: result.latencyMs,
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

/** The judge activities' type, for `proxyActivities`. */
export type JudgeActivities = ReturnType<typeof createJudgeActivities>;
