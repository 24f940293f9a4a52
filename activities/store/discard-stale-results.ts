/**
 * Discards the recorded results that an edit of the sweep file made stale (`definitionChanges`), so the
 * next run redoes exactly those: the trials of the base models whose jobs, fields or evaluation set
 * changed (rows, answers, metrics, checkpoints and logs on disk) with their matches, or only the matches
 * when only the judge changed. Used by `pandasweep run --redo-stale` before it starts the workflow.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { DefinitionChange } from '../../core/sweep/sweep-definition.js';

/** What was discarded, for the run to say. */
export interface DiscardedResults {
  readonly trials: number;
  readonly matches: number;
  readonly instructions: number;
}

/** Discards what `changes` make stale in sweep `sweepId`, in one transaction, then the trials' folders. */
export async function discardStaleResults(prisma: PrismaClient, sweepId: string, runsDir: string, changes: readonly DefinitionChange[]): Promise<DiscardedResults> {
  const recordedModels = (await prisma.trial.findMany({ where: { sweepId }, select: { baseModelId: true }, distinct: ['baseModelId'] })).map((t) => t.baseModelId);
  const scope = (change: DefinitionChange) => change.baseModelIds ?? recordedModels;
  const trialModels = [...new Set(changes.filter((c) => c.stale === 'trials').flatMap(scope))];
  const matchModels = [...new Set(changes.flatMap(scope))];
  // The evaluation set is recorded per sweep: when trials are redone for every base model it is read anew.
  const evalToo = changes.some((c) => c.stale === 'trials' && c.baseModelIds === null);
  const [matches, trials, instructions] = await prisma.$transaction([
    prisma.match.deleteMany({ where: { sweepId, baseModelId: { in: matchModels } } }),
    prisma.trial.deleteMany({ where: { sweepId, baseModelId: { in: trialModels } } }),
    prisma.evalInstruction.deleteMany({ where: { sweepId, ...(evalToo ? {} : { instructionId: { in: [] } }) } }),
    prisma.standing.deleteMany({ where: { sweepId, baseModelId: { in: matchModels } } }),
    prisma.bestTrial.deleteMany({ where: { sweepId, baseModelId: { in: matchModels } } }),
  ]);
  // A retried training resumes from the checkpoints in its folder: a stale one must not be resumed.
  for (const baseModelId of trialModels) await rm(path.join(runsDir, sweepId, baseModelId), { recursive: true, force: true });
  return { trials: trials.count, matches: matches.count, instructions: instructions.count };
}
