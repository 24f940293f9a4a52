/**
 * Database activities (Prisma). Every write is idempotent — unique keys plus upsert or
 * `skipDuplicates` — because Temporal runs activities at least once.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { failureTypes } from '../core/failure-types.js';
import type { Verdict } from '../core/judging/judge-types.js';
import { resolveMatch, type RecordedJudgment } from '../core/judging/resolve-match.js';
import type { OrderResolution } from '../core/pandalm/resolve-orders.js';
import { parseEvalSet } from '../core/spec/eval-set.js';
import type { SweepPlan } from '../core/spec/sweep-plan.js';
import { computeStandings, type Standing } from '../core/tournament/standings.js';
import type { MatchSummary } from '../core/tournament/types.js';
import { matchRowId, trialRowId } from '../core/ids/row-ids.js';
import { workflowIds } from '../core/ids/workflow-ids.js';
import { jobEvalFile } from '../core/spec/trial-context.js';
import type { JobStore } from './jobs/job-store.js';
import { readResponses } from './jobs/read-responses.js';

/** What `createStoreActivities` needs. */
export interface StoreDeps {
  readonly prisma: PrismaClient;
}

/** Input of `registerSweep`. */
export interface RegisterSweepInput {
  readonly plan: SweepPlan;
  readonly workflowId: string;
  /** Where trials write; a limited evaluation set is written to `<runsDir>/<sweep>/`. */
  readonly runsDir: string;
}

/** Result of `registerSweep`: how many instructions each trial answers, and which trials are already done. */
export interface RegisterSweepResult {
  readonly instructionCount: number;
  /** The file generate commands read (`{{eval.file}}`): the sweep's own, or its first `eval.limit` items. */
  readonly evalFile: string;
  readonly doneTrialKeys: readonly string[];
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
}

/** Creates the store activities over one Prisma client. */
export function createStoreActivities({ prisma }: StoreDeps) {
  return {
    /** Records the sweep, its evaluation instructions and its trials; returns the trials already done. */
    async registerSweep({ plan, workflowId, runsDir }: RegisterSweepInput): Promise<RegisterSweepResult> {
      let text: string;
      try {
        text = await readFile(plan.eval.file, 'utf8');
      } catch (error) {
        throw ApplicationFailure.nonRetryable(`Cannot read the evaluation file ${plan.eval.file}: ${(error as Error).message}`, failureTypes.InvalidEvalSet);
      }
      let instructions;
      try {
        instructions = parseEvalSet(text, plan.eval.file);
      } catch (error) {
        throw ApplicationFailure.nonRetryable((error as Error).message, failureTypes.InvalidEvalSet);
      }
      const evalFile = jobEvalFile({ runsDir, sweepId: plan.sweepId, file: plan.eval.file, limit: plan.eval.limit, count: instructions.length });
      if (evalFile !== plan.eval.file) {
        instructions = instructions.slice(0, plan.eval.limit);
        // Generate commands answer exactly the instructions judged, in the format the user gave.
        await mkdir(path.dirname(evalFile), { recursive: true });
        await writeFile(evalFile, firstEvalItems(text, instructions.length));
      }
      const planJson = plan as unknown as Prisma.InputJsonValue;
      await prisma.sweep.upsert({
        where: { id: plan.sweepId },
        create: { id: plan.sweepId, name: plan.name, file: plan.file, plan: planJson, workflowId, status: 'running' },
        update: { name: plan.name, file: plan.file, plan: planJson, workflowId, status: 'running', finishedAt: null },
      });
      await prisma.evalInstruction.createMany({
        data: instructions.map((item, position) => ({
          sweepId: plan.sweepId,
          instructionId: item.id,
          position,
          instruction: item.instruction,
          input: item.input,
        })),
        skipDuplicates: true,
      });
      for (const baseModel of plan.baseModels) {
        const blockOf = new Map<string, number>();
        baseModel.blocks.forEach((keys, block) => keys.forEach((key) => blockOf.set(key, block)));
        await prisma.trial.createMany({
          data: baseModel.trials.map((trial) => ({
            id: trialRowId(plan.sweepId, trial.key),
            sweepId: plan.sweepId,
            baseModelId: baseModel.id,
            key: trial.key,
            params: trial.params,
            isBaseline: trial.isBaseline,
            index: trial.index,
            block: blockOf.get(trial.key) ?? null,
            workflowId: workflowIds.trial(plan.sweepId, baseModel.id, trial.key),
          })),
          skipDuplicates: true,
        });
        // An edited sweep may move a reused trial to another block.
        for (const [key, block] of blockOf) {
          await prisma.trial.updateMany({ where: { id: trialRowId(plan.sweepId, key), NOT: { block } }, data: { block } });
        }
      }
      const done = await prisma.trial.findMany({ where: { sweepId: plan.sweepId, status: 'done' }, select: { key: true } });
      return { instructionCount: instructions.length, evalFile, doneTrialKeys: done.map((t) => t.key) };
    },

    /** Sets a trial's status (`training`, `generating`, ...). */
    async markTrialStatus(input: { sweepId: string; trialKey: string; status: string }): Promise<void> {
      await prisma.trial.update({ where: { id: trialRowId(input.sweepId, input.trialKey) }, data: { status: input.status } });
    },

    /** Records a failed trial with the failure type and message (a failed trial is data, not an error). */
    async markTrialFailed(input: { sweepId: string; trialKey: string; failureType: string; message: string }): Promise<void> {
      await prisma.trial.update({
        where: { id: trialRowId(input.sweepId, input.trialKey) },
        data: { status: 'failed', failureType: input.failureType, failureMessage: input.message.slice(0, 8_000), finishedAt: new Date() },
      });
    },

    /**
     * Reads `responses.jsonl`, checks it answers exactly the sweep's instructions, and stores the answers;
     * then records the checkpoint and final metrics and marks the trial done.
     */
    async recordTrialOutputs(input: { sweepId: string; trialKey: string; responsesFile: string; checkpointPath: string }): Promise<void> {
      const trialId = trialRowId(input.sweepId, input.trialKey);
      const expected = await prisma.evalInstruction.findMany({ where: { sweepId: input.sweepId }, orderBy: { position: 'asc' }, select: { instructionId: true } });
      const responses = await readResponses(input.responsesFile, expected.map((e) => e.instructionId));
      await prisma.response.createMany({
        data: responses.map((r) => ({ trialId, instructionId: r.id, text: r.response })),
        skipDuplicates: true,
      });
      const finalMetrics = await readJsonIfPresent(path.join(input.checkpointPath, 'metrics.json'));
      await prisma.trial.update({
        where: { id: trialId },
        data: {
          status: 'done',
          checkpointPath: input.checkpointPath,
          finishedAt: new Date(),
          failureType: null,
          failureMessage: null,
          ...(finalMetrics === undefined ? {} : { finalMetrics }),
        },
      });
    },

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
            trialId: trialRowId(input.sweepId, s.trial),
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
      const trial = await prisma.trial.findUniqueOrThrow({ where: { id: trialRowId(input.sweepId, best.trial) } });
      await prisma.bestTrial.upsert({
        where: { sweepId_baseModelId: { sweepId: input.sweepId, baseModelId: input.baseModelId } },
        create: { sweepId: input.sweepId, baseModelId: input.baseModelId, trialId: trial.id, checkpointPath: trial.checkpointPath },
        update: { trialId: trial.id, checkpointPath: trial.checkpointPath, decidedAt: new Date() },
      });
      return { baseModelId: input.baseModelId, trialKey: best.trial, checkpointPath: trial.checkpointPath };
    },

    /** Sets the sweep's final status. */
    async finishSweep(input: { sweepId: string; status: 'done' | 'failed' | 'cancelled' }): Promise<void> {
      await prisma.sweep.updateMany({ where: { id: input.sweepId }, data: { status: input.status, finishedAt: new Date() } });
    },
  };
}

/** A planned match as the store records it. */
export interface PairingRow {
  readonly id: string;
  readonly a: string;
  readonly b: string;
  readonly stage: string;
  readonly block: number | null;
  readonly round: number;
}

async function loadStandings(prisma: PrismaClient, input: FinalizeTournamentInput): Promise<Standing[]> {
  const prefix = `${input.sweepId}/`;
  const matches = await prisma.match.findMany({
    where: { sweepId: input.sweepId, baseModelId: input.baseModelId, status: 'done' },
    include: { judgments: { select: { instructionId: true, order: true, verdict: true, probOne: true, probTwo: true, probTie: true } } },
  });
  const records = matches.map((m) => {
    const summary: MatchSummary = {
      id: m.id,
      a: m.trialAId.slice(prefix.length),
      b: m.trialBId.slice(prefix.length),
      stage: m.stage,
      block: m.block,
      aWins: m.aWins,
      bWins: m.bWins,
      ties: m.ties,
    };
    const judgments = m.judgments.map((j): RecordedJudgment => ({
      instructionId: j.instructionId,
      order: j.order === 2 ? 2 : 1,
      verdict: j.verdict as Verdict,
      probabilities: j.probOne === null || j.probTwo === null || j.probTie === null ? null : { one: j.probOne, two: j.probTwo, tie: j.probTie },
    }));
    return { ...summary, perInstruction: resolveMatch(judgments, input.resolution).perInstruction };
  });
  return computeStandings({
    entrants: [...input.entrants],
    matches: records,
    seed: input.seed,
    bootstrap: input.bootstrap,
    excluded: [...input.excluded],
  }).standings;
}

// The first `limit` items of an evaluation file, keeping its format (PandaLM's JSON array or JSONL).
function firstEvalItems(text: string, limit: number): string {
  if (text.trimStart().startsWith('[')) return `${JSON.stringify((JSON.parse(text) as unknown[]).slice(0, limit), null, 2)}\n`;
  return `${text.split('\n').filter((line) => line.trim() !== '').slice(0, limit).join('\n')}\n`;
}

async function readJsonIfPresent(file: string): Promise<Prisma.InputJsonValue | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Prisma.InputJsonValue;
  } catch {
    return undefined;
  }
}

/** Implements the job activity's store over Prisma. */
export function createJobStore({ prisma }: StoreDeps): JobStore {
  return {
    async startJob(job) {
      const trialId = trialRowId(job.sweepId, job.trialKey);
      const id = `${trialId}/${job.kind}/${job.attempt}`;
      await prisma.job.upsert({
        where: { id },
        create: {
          id,
          trialId,
          kind: job.kind,
          attempt: job.attempt,
          argv: [...job.argv],
          cwd: job.cwd,
          host: job.host,
          gpuIds: [...job.gpuIds],
          stdoutPath: job.stdoutPath,
          stderrPath: job.stderrPath,
          startedAt: job.startedAt,
        },
        update: {},
      });
      return { jobId: id };
    },
    async finishJob(job) {
      await prisma.job.update({
        where: { id: job.jobId },
        data: {
          exitCode: job.exitCode,
          signal: job.signal,
          finishedAt: job.finishedAt,
          logTail: job.logTail,
          error: job.error,
        },
      });
    },
    async recordMetrics({ jobId, metrics }) {
      const { trialId } = await prisma.job.findUniqueOrThrow({ where: { id: jobId }, select: { trialId: true } });
      // A retried job resumed from a checkpoint logs some steps again: the newest values win. Only the
      // names being written are replaced: a trainer may log one step on several lines (Hugging Face's
      // Trainer logs its summary at the last logging step), possibly in different batches.
      await prisma.$transaction([
        prisma.metric.deleteMany({ where: { trialId, OR: metrics.map((m) => ({ step: m.step, name: { in: Object.keys(m.values) } })) } }),
        prisma.metric.createMany({
          data: metrics.flatMap((m) => Object.entries(m.values).map(([name, value]) => ({ trialId, jobId, step: m.step, name, value }))),
          skipDuplicates: true,
        }),
      ]);
    },
  };
}

/** The store activities' type, for `proxyActivities`. */
export type StoreActivities = ReturnType<typeof createStoreActivities>;
