/** A finished trial's outputs: its answers from `responses.jsonl`, its checkpoint and its `metrics.json`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Prisma } from '../../generated/prisma/client.js';
import { trialRowId } from '../../core/ids/row-ids.js';
import { readResponses } from '../jobs/read-responses.js';
import type { StoreDeps } from './store-deps.js';

/** Creates `recordTrialOutputs`. */
export function createTrialOutputActivities({ prisma }: StoreDeps) {
  return {
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
  };
}

/** The JSON in `file`, or `undefined` when it is missing or not JSON (a trainer need not write metrics). */
export async function readJsonIfPresent(file: string): Promise<Prisma.InputJsonValue | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Prisma.InputJsonValue;
  } catch {
    return undefined;
  }
}
