/**
 * Before `run` starts (or joins) a sweep's workflow: is what the database holds under this sweep's id
 * still true for the file being run? Another sweep's id, a live run of another definition, or results an
 * edit made stale are refused with what differs and the option that proceeds; `--redo-stale` discards the
 * stale results instead. Every result a run then reuses was made by the definition it runs.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { discardStaleResults } from '../activities/store/discard-stale-results.js';
import { UsageError } from '../core/errors/usage-error.js';
import { sweepIdClash } from '../core/ids/sweep-id-clash.js';
import { workflowIds } from '../core/ids/workflow-ids.js';
import { definitionChanges, readRecordedDefinition, type DefinitionChange, type SweepDefinition } from '../core/sweep/sweep-definition.js';
import type { SweepPlan } from '../core/sweep/sweep-plan.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** What `reconcileRecordedSweep` needs. */
export interface ReconcileInput {
  readonly prisma: PrismaClient;
  readonly client: Client;
  readonly plan: SweepPlan;
  readonly definition: SweepDefinition;
  /** The sweep file as the user gave it, for messages. */
  readonly file: string;
  readonly runsDir: string;
  /** `--redo-stale`: discard stale results instead of refusing. */
  readonly redoStale: boolean;
}

/** What the run should say before it starts: how much it reuses, and what it discarded. */
export interface Reconciled {
  readonly lines: readonly string[];
}

/** The memo a sweep workflow is started with: its definition and trial keys, for a later run to compare. */
export function sweepMemo(plan: SweepPlan, definition: SweepDefinition): Record<string, unknown> {
  return { definition, trialKeys: trialKeysOf(plan) };
}

const memoSchema = z.object({ definition: z.unknown(), trialKeys: z.array(z.string()) });

/** Refuses (`UsageError`) or reconciles; see the module comment. */
export async function reconcileRecordedSweep(input: ReconcileInput): Promise<Reconciled> {
  const { prisma, plan, definition, file } = input;
  const recorded = await prisma.sweep.findUnique({ where: { id: plan.sweepId }, select: { name: true, file: true, definition: true } });
  // A second name with the same id would otherwise join (or overwrite) the first one's sweep.
  const clash = sweepIdClash(plan.sweepId, plan.name, recorded);
  if (clash !== undefined) throw new UsageError(`Cannot run ${file}: ${clash}.`, 'Change `name:` in the sweep file (`pandasweep validate` shows the id it gets).');

  const live = await liveMemo(input.client, plan.sweepId);
  if (live !== null) {
    // What the running workflow was started with (its memo), whether or not it has registered yet.
    const parsed = memoSchema.safeParse(live);
    const running = parsed.success ? readRecordedDefinition(parsed.data.definition) : null;
    const differences = running === null || !parsed.success ? [] : [...definitionChanges(running, definition).map((c) => c.what), ...trialSetChange(parsed.data.trialKeys, plan)];
    if (differences.length > 0) {
      throw new UsageError(
        `Sweep ${plan.sweepId} is running with another definition than ${file}, and would not take the change:\n${bullets(differences)}`,
        `Wait for it to end (\`pandasweep status ${plan.sweepId}\`) or stop it (\`pandasweep cancel ${plan.sweepId}\`), then run ${file} again.`,
      );
    }
    return { lines: [`Joining the running sweep ${plan.sweepId}.`] };
  }
  if (recorded === null) return { lines: [] };
  const before = readRecordedDefinition(recorded.definition);
  const changes = before === null ? [] : definitionChanges(before, definition);
  if (changes.length > 0 && !input.redoStale) {
    throw new UsageError(
      `${file} changed since sweep ${plan.sweepId} was last run, so some of its recorded results are stale; nothing was started:\n${bullets(changes.map(consequence))}`,
      `Run again with --redo-stale to discard those results and redo them, or give the sweep a new \`name:\` to keep the old one as it is.`,
    );
  }
  const lines: string[] = [];
  if (changes.length > 0) {
    const discarded = await discardStaleResults(prisma, plan.sweepId, input.runsDir, changes);
    lines.push(`Redoing stale results (${changes.map((c) => c.what).join('; ')}): discarded ${discarded.trials} trials and ${discarded.matches} matches.`);
  }
  const planned = new Set(trialKeysOf(plan));
  const done = (await prisma.trial.findMany({ where: { sweepId: plan.sweepId, status: 'done' }, select: { key: true } })).filter((t) => planned.has(t.key)).length;
  if (done > 0) lines.push(`${done} of ${planned.size} trials are recorded as done and are reused; ${planned.size - done} to run.`);
  return { lines };
}

// The memo of the sweep's workflow when it is running, else `null`.
async function liveMemo(client: Client, sweepId: string): Promise<Record<string, unknown> | null> {
  try {
    const description = await client.workflow.getHandle(workflowIds.sweep(sweepId)).describe();
    return description.status.name === 'RUNNING' ? (description.memo ?? {}) : null;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

function trialKeysOf(plan: SweepPlan): string[] {
  return plan.baseModels.flatMap((b) => b.trials.map((t) => t.key));
}

// Trials a running workflow was not started with (or that the file no longer has): it would not see them.
function trialSetChange(runningKeys: readonly string[], plan: SweepPlan): string[] {
  const running = new Set(runningKeys);
  const wanted = trialKeysOf(plan);
  const added = wanted.filter((key) => !running.has(key)).length;
  const removed = runningKeys.filter((key) => !wanted.includes(key)).length;
  if (added + removed === 0) return [];
  return [`its trials differ (${[added > 0 ? `${added} new` : '', removed > 0 ? `${removed} gone` : ''].filter(Boolean).join(', ')})`];
}

function consequence(change: DefinitionChange): string {
  const models = change.baseModelIds === null ? 'every base model' : change.baseModelIds.join(', ');
  return change.stale === 'trials' ? `${change.what}: the trials of ${models} would be trained, answered and judged again` : `${change.what}: every match would be judged again (trained models and answers are kept)`;
}

function bullets(lines: readonly string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}
