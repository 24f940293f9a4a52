// pandasweep report <sweep> [-o report.html] [--examples 4] [--json]
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors/usage-error.js';
import { computeJudgeStats } from '../../report/judge-stats.js';
import { defaultTemporalUiUrl, readReportData } from '../../report/read-report-data.js';
import { renderReport } from '../../report/render-report.js';
import { SweepNotFoundError } from '../../report/sweep-not-found-error.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession } from '../open-session.js';
import { nonNegativeInteger } from '../parse-options.js';

interface ReportOptions {
  readonly output?: string;
  readonly examples: number;
  readonly json?: boolean;
}

/** The `--json` document of `pandasweep report`. */
export interface ReportSummary {
  readonly sweepId: string;
  readonly file: string;
  readonly bytes: number;
  readonly trials: number;
  readonly matches: number;
  readonly judgments: number;
  readonly best: readonly { readonly baseModelId: string; readonly trialKey: string; readonly checkpointPath: string | null }[];
  readonly orderConflictRate: number | null;
  readonly tieRate: number | null;
}

/** `pandasweep report`: writes a sweep's results as one self-contained HTML file. */
export const reportCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('report')
      .description("Write a sweep's results as one self-contained HTML file: best configuration and checkpoint, leaderboard with rating intervals, win-rate heatmap, blocks, hyperparameter effects, training curves, judge statistics and example judgments.")
      .argument('<sweep>', 'sweep id (the slug of the sweep name, as `run` prints it)')
      .option('-o, --output <file>', 'HTML file to write (default: <sweep>-report.html)')
      .option('--examples <n>', 'example judgments with reasons to include (0 for none)', nonNegativeInteger, 4)
      .option('--json', 'print a JSON summary of what was written')
      .addHelpText('after', `
Reads only the database (DATABASE_URL, or the embedded one under PANDASWEEP_HOME). Charts are SVG
drawn when the file is written; the file loads nothing from the network. Workflow links point at
the Temporal Web UI at TEMPORAL_UI_URL (default ${defaultTemporalUiUrl}), namespace
TEMPORAL_NAMESPACE (default "default").

Examples:
  $ pandasweep report demo -o report.html
  $ TEMPORAL_UI_URL=https://temporal.example.org pandasweep report paper -o paper.html --json`)
      .action(async (sweepId: string, options: ReportOptions) => ctx.setExitCode(await writeReport(sweepId, options, ctx)));
  },
};

async function writeReport(sweepId: string, options: ReportOptions, ctx: CliContext): Promise<number> {
  const { examples } = options;
  const file = path.resolve(ctx.cwd, options.output ?? `${sweepId}-report.html`);
  await using session = await openSession(ctx, { temporal: false });
  let data;
  try {
    data = await readReportData(session.db.prisma, sweepId, {
      examples,
      ...(ctx.env.TEMPORAL_UI_URL ? { temporalUiUrl: ctx.env.TEMPORAL_UI_URL } : {}),
      ...(ctx.env.TEMPORAL_NAMESPACE ? { temporalNamespace: ctx.env.TEMPORAL_NAMESPACE } : {}),
    });
  } catch (error) {
    if (error instanceof SweepNotFoundError) throw new UsageError(error.message, 'Pass the sweep id that `pandasweep run` printed, with the same DATABASE_URL / PANDASWEEP_HOME.');
    throw error;
  }
  const html = renderReport(data);
  try {
    await writeFile(file, html, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot write ${file}: ${(error as Error).message}.`, 'Pick a writable path with -o.');
  }
  const stats = computeJudgeStats(data.judgments);
  const summary: ReportSummary = {
    sweepId,
    file,
    bytes: Buffer.byteLength(html),
    trials: data.trials.length,
    matches: data.matches.length,
    judgments: data.judgments.length,
    best: data.best,
    orderConflictRate: stats.orderConflictRate,
    tieRate: stats.tieRate,
  };
  if (options.json === true) ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else ctx.stdout.write(`Wrote ${path.relative(ctx.cwd, file) || file} (${(summary.bytes / 1024).toFixed(0)} KiB): ${summary.trials} trials, ${summary.matches} matches, ${summary.judgments} judgments.\n`);
  return exitCodes.ok;
}
