/**
 * Early termination's rows: each stop a trial is sent to, each checkpoint that answered the evaluation
 * instructions, the trials stopped early, and what a rerun reads back to go on where the last run was.
 */
import path from 'node:path';
import { checkpointKey } from '../../core/ids/checkpoint-keys.js';
import { trialKeyOfRowId, trialRowId } from '../../core/ids/row-ids.js';
import { rungIndexOfStage, rungStagePrefix } from '../../core/early-termination/rungs.js';
import type { MatchSummary } from '../../core/tournament/types.js';
import { readResponses } from '../jobs/read-responses.js';
import type { StoreDeps } from './store-deps.js';
import { readJsonIfPresent } from './trial-outputs.js';

/** What a base model's rungs hold, as the scheduler's facts (see core/early-termination/rung-scheduler.ts). */
export interface RecordedRungs {
  /** Checkpoint keys (`trial@epoch`) whose answers are stored. */
  readonly answered: readonly string[];
  /** The epoch each trial was last sent to train to, for trials sent anywhere. */
  readonly targets: readonly (readonly [string, number])[];
  /** Rung matches judged to the end. */
  readonly results: readonly MatchSummary[];
}

/** Input of `recordCheckpoint`. */
export interface RecordCheckpointInput {
  readonly sweepId: string;
  readonly trialKey: string;
  /** Epochs trained. */
  readonly epoch: number;
  /** The rung (0-based) at this epoch, `null` for a last epoch between rungs. */
  readonly rung: number | null;
  /** Whether this is the trial's last epoch. */
  readonly final: boolean;
  /** The generate job's `responses.jsonl`. */
  readonly responsesFile: string;
  /** The checkpoint folder the answers came from. */
  readonly checkpointPath: string;
  /** The training job's output folder, where it writes `metrics.json` at each stop. */
  readonly trainingDir: string;
}

/** Creates the early-termination store activities. */
export function createRungStoreActivities({ prisma }: StoreDeps) {
  return {
    /** Everything recorded about a base model's rungs: answered checkpoints, each trial's last stop, played rung matches. */
    async readRecordedRungs(input: { sweepId: string; baseModelId: string }): Promise<RecordedRungs> {
      const [checkpoints, trials, matches] = await Promise.all([
        prisma.checkpoint.findMany({ where: { trial: { sweepId: input.sweepId, baseModelId: input.baseModelId } }, select: { trialId: true, epoch: true } }),
        prisma.trial.findMany({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId, stopEpoch: { not: null } }, select: { key: true, stopEpoch: true } }),
        prisma.match.findMany({ where: { sweepId: input.sweepId, baseModelId: input.baseModelId, status: 'done', stage: { startsWith: rungStagePrefix } }, select: { id: true, stage: true, trialAId: true, trialBId: true, aWins: true, bWins: true, ties: true } }),
      ]);
      const prefix = `${input.sweepId}/${input.baseModelId}/`;
      return {
        answered: checkpoints.map((c) => checkpointKey(trialKeyOfRowId(input.sweepId, c.trialId), c.epoch)),
        targets: trials.map((t) => [t.key, t.stopEpoch!] as const),
        results: matches
          .filter((m) => rungIndexOfStage(m.stage) !== undefined && m.id.startsWith(prefix))
          .map((m) => ({
            id: m.id.slice(prefix.length),
            a: trialKeyOfRowId(input.sweepId, m.trialAId),
            b: trialKeyOfRowId(input.sweepId, m.trialBId),
            stage: m.stage,
            block: null,
            aWins: m.aWins,
            bWins: m.bWins,
            ties: m.ties,
          })),
      };
    },

    /** Records that a trial trains to `stopEpoch` now (its first stop, or a promotion). */
    async markTrialStop(input: { sweepId: string; trialKey: string; stopEpoch: number }): Promise<void> {
      await prisma.trial.update({ where: { id: trialRowId(input.sweepId, input.trialKey) }, data: { status: 'training', stopEpoch: input.stopEpoch, failureType: null, failureMessage: null } });
    },

    /**
     * Stores a stop's answers under its epoch, the checkpoint they came from and the trainer's metrics
     * there; the trial waits at its rung, or is done at its last epoch.
     */
    async recordCheckpoint(input: RecordCheckpointInput): Promise<void> {
      const trialId = trialRowId(input.sweepId, input.trialKey);
      const expected = await prisma.evalInstruction.findMany({ where: { sweepId: input.sweepId }, orderBy: { position: 'asc' }, select: { instructionId: true } });
      const responses = await readResponses(input.responsesFile, expected.map((e) => e.instructionId));
      const metrics = await readJsonIfPresent(path.join(input.trainingDir, 'metrics.json'));
      await prisma.response.createMany({ data: responses.map((r) => ({ trialId, epoch: input.epoch, instructionId: r.id, text: r.response })), skipDuplicates: true });
      await prisma.checkpoint.upsert({
        where: { trialId_epoch: { trialId, epoch: input.epoch } },
        create: { trialId, epoch: input.epoch, path: input.checkpointPath, rung: input.rung, ...(metrics === undefined ? {} : { metrics }) },
        update: { path: input.checkpointPath, rung: input.rung, ...(metrics === undefined ? {} : { metrics }) },
      });
      await prisma.trial.update({
        where: { id: trialId },
        data: {
          epochsTrained: input.epoch,
          ...(input.rung === null ? {} : { rung: input.rung }),
          // A last epoch at a rung waits for the rung's verdict like any other checkpoint there.
          status: input.final && input.rung === null ? 'done' : 'waiting',
          ...(input.final ? { checkpointPath: input.checkpointPath, finishedAt: new Date(), ...(metrics === undefined ? {} : { finalMetrics: metrics }) } : {}),
        },
      });
    },

    /** Records the rungs' verdicts: trials stopped early (they do not go on), and finalists trained to their last epoch (done). */
    async markRungOutcomes(input: { sweepId: string; stopped: readonly string[]; finalists: readonly string[] }): Promise<void> {
      const ids = (keys: readonly string[]) => keys.map((key) => trialRowId(input.sweepId, key));
      if (input.stopped.length > 0) {
        await prisma.trial.updateMany({ where: { id: { in: ids(input.stopped) }, status: { not: 'stopped' } }, data: { status: 'stopped', finishedAt: new Date() } });
      }
      if (input.finalists.length > 0) {
        await prisma.trial.updateMany({ where: { id: { in: ids(input.finalists) }, status: 'waiting' }, data: { status: 'done', finishedAt: new Date() } });
      }
    },
  };
}
