/**
 * The sweep row: reading the evaluation file and registering the sweep with its instructions and trials,
 * and setting its final status.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { Prisma } from '../../generated/prisma/client.js';
import { failureTypes } from '../../core/failure-types.js';
import { trialRowId } from '../../core/ids/row-ids.js';
import { sweepIdClash } from '../../core/ids/sweep-id-clash.js';
import type { SweepDefinition } from '../../core/sweep/sweep-definition.js';
import { workflowIds } from '../../core/ids/workflow-ids.js';
import { parseEvalSet } from '../../core/sweep/eval-set.js';
import type { SweepPlan } from '../../core/sweep/sweep-plan.js';
import { jobEvalFile } from '../../core/sweep/trial-context.js';
import type { StoreDeps } from './store-deps.js';

/** Input of `registerSweep`. */
export interface RegisterSweepInput {
  readonly plan: SweepPlan;
  readonly workflowId: string;
  /** Where trials write; a limited evaluation set is written to `<runsDir>/<sweep>/`. */
  readonly runsDir: string;
  /** What the results depend on, recorded for the next run to compare (absent in histories before it existed). */
  readonly definition?: SweepDefinition;
}

/** Result of `registerSweep`: how many instructions each trial answers, and which trials are already done. */
export interface RegisterSweepResult {
  readonly instructionCount: number;
  /** The file generate commands read (`{{eval.file}}`): the sweep's own, or its first `eval.limit` items. */
  readonly evalFile: string;
  readonly doneTrialKeys: readonly string[];
}

/** Creates `registerSweep` and `finishSweep`. */
export function createSweepRegistrationActivities({ prisma }: StoreDeps) {
  return {
    /** Records the sweep, its evaluation instructions and its trials; returns the trials already done. */
    async registerSweep({ plan, workflowId, runsDir, definition }: RegisterSweepInput): Promise<RegisterSweepResult> {
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
      const clash = sweepIdClash(plan.sweepId, plan.name, await prisma.sweep.findUnique({ where: { id: plan.sweepId }, select: { name: true, file: true } }));
      if (clash !== undefined) throw ApplicationFailure.nonRetryable(`Cannot register the sweep: ${clash}`, failureTypes.SweepIdTaken);
      const planJson = plan as unknown as Prisma.InputJsonValue;
      const recorded = definition === undefined ? {} : { definition: definition as unknown as Prisma.InputJsonValue };
      await prisma.sweep.upsert({
        where: { id: plan.sweepId },
        create: { id: plan.sweepId, name: plan.name, file: plan.file, plan: planJson, ...recorded, workflowId, status: 'running' },
        update: { name: plan.name, file: plan.file, plan: planJson, ...recorded, workflowId, status: 'running', finishedAt: null },
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
            epochs: plan.earlyTerminate === undefined ? null : Number(trial.params[plan.earlyTerminate.epochsParameter]),
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

    /** Sets the sweep's final status. */
    async finishSweep(input: { sweepId: string; status: 'done' | 'failed' | 'cancelled' }): Promise<void> {
      await prisma.sweep.updateMany({ where: { id: input.sweepId }, data: { status: input.status, finishedAt: new Date() } });
    },
  };
}

// The first `limit` items of an evaluation file, keeping its format (PandaLM's JSON array or JSONL).
function firstEvalItems(text: string, limit: number): string {
  if (text.trimStart().startsWith('[')) return `${JSON.stringify((JSON.parse(text) as unknown[]).slice(0, limit), null, 2)}\n`;
  return `${text.split('\n').filter((line) => line.trim() !== '').slice(0, limit).join('\n')}\n`;
}
