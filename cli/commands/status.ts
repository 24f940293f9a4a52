// pandasweep status <sweep> [--json]
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { workflowIds } from '../../core/ids/workflow-ids.js';
import { describeEarlyTermination, summarizeEarlyTermination, type EarlyTerminationSummary } from '../../report/early-termination-summary.js';
import { trialFailure } from '../../report/failure-causes.js';
import { countMatches, countTrialsByStatus, readBestTrials, readConfirmations, readEvaluations, readSweep, readTrials } from '../../report/read-sweep.js';
import { agreement, shortTunedVsDefault, tunedVsDefault, tunedVsDefaultToJson, type TunedVsDefaultJson } from '../../report/tuned-vs-default.js';
import { sweepProgressQuery, type SweepProgress } from '../../workflows/shared.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession } from '../open-session.js';
import { wrapHanging } from '../wrap-text.js';

/** The `--json` document of `pandasweep status`. */
export interface SweepStatusReport {
  readonly sweepId: string;
  /** As recorded: running, done, failed or cancelled. */
  readonly status: string;
  readonly trials: Record<string, number>;
  readonly matches: { readonly done: number; readonly planned: number };
  /** The best trial per base model, with its best checkpoint's epoch under early termination (`null` otherwise). */
  readonly best: readonly { readonly baseModel: string; readonly trial: string; readonly epoch: number | null; readonly checkpoint: string | null }[];
  /** Every failed trial with its failure type and the first line of its cause. */
  readonly failedTrials: readonly { readonly baseModel: string; readonly trial: string; readonly type: string; readonly cause: string }[];
  /** Base models of a finished sweep that ended with no best trial (every trial failed). */
  readonly baseModelsWithoutBest: readonly string[];
  /** The best trial against the baseline, per base model. */
  readonly tunedVsDefault: readonly TunedVsDefaultJson[];
  /** Every trial picked for the `evaluate` job: how it went and its results. */
  readonly evaluations: readonly { readonly baseModel: string; readonly trial: string; readonly status: string; readonly error: string | null; readonly metrics: Readonly<Record<string, number>> }[];
  /** Under early termination, per base model: its rungs, finalists, trials stopped early and epochs trained. */
  readonly earlyTermination: readonly EarlyTerminationSummary[];
  /** The live workflow's view, when Temporal could be asked. */
  readonly workflow: SweepProgress | null;
}

/** `pandasweep status`: where a sweep stands, from the database (and the workflow when reachable). */
export const statusCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('status')
      .description('Show where a sweep stands: trials by state, matches judged, the best trials so far, why trials failed.')
      .argument('<sweep>', 'sweep id (the slug of its name)')
      .option('--json', 'print one JSON document')
      .addHelpText('after', `
Reads the database, so it works while the sweep runs elsewhere and after every worker is gone; with
TEMPORAL_ADDRESS set it also asks the running workflow. Exit code 0 for a running or finished sweep,
1 for a failed one or one where every trial of a base model failed, 3 for a cancelled one.

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
  const [trials, matches, best, trialRows, confirmations, evaluations] = await Promise.all([
    countTrialsByStatus(prisma, sweepId),
    countMatches(prisma, sweepId),
    readBestTrials(prisma, sweepId),
    readTrials(prisma, sweepId),
    readConfirmations(prisma, sweepId),
    readEvaluations(prisma, sweepId),
  ]);
  const tuned = tunedVsDefault({ trials: trialRows, best, confirmations });
  const failedTrials = trialRows
    .filter((t) => t.status === 'failed')
    .map((t) => {
      const { failureType, cause } = trialFailure(t);
      return { baseModel: t.baseModelId, trial: t.key, type: failureType, cause };
    });
  const withBest = new Set(best.map((b) => b.baseModelId));
  const baseModelsWithoutBest = sweep.status === 'done' ? [...new Set(trialRows.map((t) => t.baseModelId))].filter((id) => !withBest.has(id)) : [];
  let workflow: SweepProgress | null = null;
  if (session.temporal) {
    const handle = session.temporal.client.workflow.getHandle(workflowIds.sweep(sweepId));
    // A closed workflow answers a query only by replaying on a worker, which may be long gone: ask running ones only.
    const running = await handle.describe().then((d) => d.status.name === 'RUNNING', () => false);
    workflow = running ? await handle.query(sweepProgressQuery).catch(() => null) : null;
  }
  const report: SweepStatusReport = {
    sweepId,
    status: sweep.status,
    trials: { ...trials },
    matches: { done: matches.done, planned: matches.planned },
    best: best.map((b) => ({ baseModel: b.baseModelId, trial: b.trialKey, epoch: b.epoch, checkpoint: b.checkpointPath })),
    failedTrials,
    baseModelsWithoutBest,
    tunedVsDefault: tuned.map(tunedVsDefaultToJson),
    evaluations: evaluations.map((e) => ({ baseModel: e.baseModelId, trial: e.trialKey, status: e.status, error: e.error, metrics: e.metrics })),
    earlyTermination: summarizeEarlyTermination(trialRows),
    workflow,
  };
  if (json) ctx.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const trialLine = Object.entries(report.trials).map(([s, n]) => `${n} ${s}`).join(', ') || 'none yet';
    ctx.stdout.write(`Sweep ${sweepId}: ${sweep.status}\n  trials   ${trialLine}\n  matches  ${report.matches.done}/${report.matches.planned} judged\n`);
    for (const b of report.best) ctx.stdout.write(`  best     ${b.baseModel}: ${b.trial}${b.epoch === null ? '' : ` at epoch ${b.epoch}`}  ${b.checkpoint ?? ''}\n`);
    for (const e of report.earlyTermination) for (const line of describeEarlyTermination(e, { finished: sweep.status !== 'running' })) ctx.stdout.write(truncateLine(`  ${line}`, 100));
    for (const id of baseModelsWithoutBest) ctx.stdout.write(`  best     ${id}: none — every trial failed\n`);
    for (const entry of tuned) {
      if (entry.state === 'no-baseline') continue;
      ctx.stdout.write(truncateLine(`  vs base  ${entry.baseModelId}: ${shortTunedVsDefault(entry)}`, 100));
      if (entry.state !== 'confirmed') continue;
      for (const o of entry.secondOpinions) ctx.stdout.write(truncateLine(`           by ${o.judge}: W-L-T ${o.wins}-${o.losses}-${o.ties}, win rate ${o.winRate.toFixed(2)}; ${agreement(o).replace('the tournament judge', 'it')}`, 100));
    }
    for (const base of [...new Set(evaluations.map((e) => e.baseModelId))]) {
      const own = evaluations.filter((e) => e.baseModelId === base);
      const byStatus = [...new Set(own.map((e) => e.status))].map((s) => `${own.filter((e) => e.status === s).length} ${s}`).join(', ');
      ctx.stdout.write(`  evaluate ${base}: ${byStatus} (\`pandasweep leaderboard ${sweepId}\` shows the results)\n`);
      for (const e of own.filter((x) => x.status === 'failed')) writeWrapped(ctx, `  failed   ${base}/${e.trialKey.slice(0, 8)} evaluation  ${(e.error ?? '').split('\n')[0]!}`);
    }
    for (const f of failedTrials) writeWrapped(ctx, `  failed   ${f.baseModel}/${f.trial.slice(0, 8)}  ${f.type}: ${f.cause}`);
    if (workflow) ctx.stdout.write(`  workflow stage ${workflow.stage}, ${workflow.trials.running} trial(s) running\n`);
  }
  if (sweep.status === 'cancelled') return exitCodes.cancelled;
  return sweep.status === 'failed' || baseModelsWithoutBest.length > 0 ? exitCodes.failed : exitCodes.ok;
}

/** A failure's line, wrapped under its cause: the program, file and line it names stay visible in full. */
function writeWrapped(ctx: CliContext, text: string): void {
  for (const line of wrapHanging(text, 100, 11)) ctx.stdout.write(`${line}\n`);
}

function truncateLine(text: string, width: number): string {
  return `${text.length <= width ? text : `${text.slice(0, width - 1)}…`}\n`;
}
