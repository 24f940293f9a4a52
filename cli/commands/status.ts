// pandasweep status <sweep> [--json]
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { workflowIds } from '../../core/ids/workflow-ids.js';
import { countMatches, countTrialsByStatus, readBestTrials, readSweep } from '../../report/read-sweep.js';
import { sweepProgressQuery, type SweepProgress } from '../../workflows/shared.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession } from '../open-session.js';

/** The `--json` document of `pandasweep status`. */
export interface SweepStatusReport {
  readonly sweepId: string;
  /** As recorded: running, done, failed or cancelled. */
  readonly status: string;
  readonly trials: Record<string, number>;
  readonly matches: { readonly done: number; readonly planned: number };
  readonly best: readonly { readonly baseModel: string; readonly trial: string; readonly checkpoint: string | null }[];
  /** The live workflow's view, when Temporal could be asked. */
  readonly workflow: SweepProgress | null;
}

/** `pandasweep status`: where a sweep stands, from the database (and the workflow when reachable). */
export const statusCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('status')
      .description('Show where a sweep stands: trials by state, matches judged, the best trials so far. Exits 1 for a failed sweep.')
      .argument('<sweep>', 'sweep id (the slug of its name)')
      .option('--json', 'print one JSON document')
      .addHelpText('after', `
Reads the database, so it works while the sweep runs elsewhere and after every worker is gone; with
TEMPORAL_ADDRESS set it also asks the running workflow.

Examples:
  $ pandasweep status demo
  $ pandasweep status demo --json | jq .trials`)
      .action(async (sweepId: string, options: { json?: boolean }) => ctx.setExitCode(await showStatus(sweepId, options.json === true, ctx)));
  },
};

async function showStatus(sweepId: string, json: boolean, ctx: CliContext): Promise<number> {
  // Only a cluster is asked: starting a local dev server just to read a status would be surprising.
  const askTemporal = Boolean(ctx.env.TEMPORAL_ADDRESS);
  await using session = await openSession(ctx, { temporal: askTemporal });
  const prisma = session.db.prisma;
  const sweep = await readSweep(prisma, sweepId);
  if (sweep === null) throw new UsageError(`No sweep "${sweepId}" in the database.`, 'Check the id `pandasweep run` printed (the slug of the sweep\'s name) and DATABASE_URL / PANDASWEEP_HOME.');
  const [trials, matches, best] = await Promise.all([countTrialsByStatus(prisma, sweepId), countMatches(prisma, sweepId), readBestTrials(prisma, sweepId)]);
  let workflow: SweepProgress | null = null;
  if (session.temporal) {
    workflow = await session.temporal.client.workflow.getHandle(workflowIds.sweep(sweepId)).query(sweepProgressQuery).catch(() => null);
  }
  const report: SweepStatusReport = {
    sweepId,
    status: sweep.status,
    trials: { ...trials },
    matches: { done: matches.done, planned: matches.planned },
    best: best.map((b) => ({ baseModel: b.baseModelId, trial: b.trialKey, checkpoint: b.checkpointPath })),
    workflow,
  };
  if (json) ctx.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const trialLine = Object.entries(report.trials).map(([s, n]) => `${n} ${s}`).join(', ') || 'none yet';
    ctx.stdout.write(`Sweep ${sweepId}: ${sweep.status}\n  trials   ${trialLine}\n  matches  ${report.matches.done}/${report.matches.planned} judged\n`);
    for (const b of report.best) ctx.stdout.write(`  best     ${b.baseModel}: ${b.trial}  ${b.checkpoint ?? ''}\n`);
    if (workflow) ctx.stdout.write(`  workflow stage ${workflow.stage}, ${workflow.trials.running} trial(s) running\n`);
  }
  return sweep.status === 'failed' ? exitCodes.failed : exitCodes.ok;
}
