// pandasweep leaderboard <sweep> [--json | --markdown] [--width 100]
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { SweepNotFoundError } from '../../report/sweep-not-found-error.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { leaderboardToJson, readLeaderboard, renderLeaderboard, renderLeaderboardMarkdown } from '../leaderboard-table.js';
import { openSession } from '../open-session.js';
import { integerAtLeast } from '../parse-options.js';

interface LeaderboardOptions {
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly width: number;
}

/** `pandasweep leaderboard`: prints a sweep's standings (ratings, intervals, blocks) from the database. */
export const leaderboardCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('leaderboard')
      .description("Print a sweep's leaderboard per base model: rank, Bradley–Terry rating with 95% interval, block, record and parameters.")
      .argument('<sweep>', 'sweep id (the slug of the sweep name, as `run` prints it)')
      .addOption(new Option('--json', 'print one JSON document').conflicts('markdown'))
      .option('--markdown', 'print Markdown tables (full trial keys and parameters)')
      .option('--width <columns>', 'terminal table width in columns (at least 40)', integerAtLeast(40, 'columns'), 100)
      .addHelpText('after', `
Reads only the database (DATABASE_URL, or the embedded one under PANDASWEEP_HOME): no Temporal
needed, so it works after the workers are gone. Exit code 0 when shown, 2 for an unknown sweep.

Examples:
  $ pandasweep leaderboard demo
  $ pandasweep leaderboard demo --markdown > RESULTS.md
  $ pandasweep leaderboard demo --json | jq '.baseModels[].best'`)
      .action(async (sweepId: string, options: LeaderboardOptions) => ctx.setExitCode(await showLeaderboard(sweepId, options, ctx)));
  },
};

async function showLeaderboard(sweepId: string, options: LeaderboardOptions, ctx: CliContext): Promise<number> {
  const { width } = options;
  await using session = await openSession(ctx, { temporal: false });
  let board;
  try {
    board = await readLeaderboard(session.db.prisma, sweepId, { requireSweep: true });
  } catch (error) {
    if (error instanceof SweepNotFoundError) throw new UsageError(error.message, 'Pass the sweep id that `pandasweep run` printed, with the same DATABASE_URL / PANDASWEEP_HOME.');
    throw error;
  }
  if (options.json === true) ctx.stdout.write(`${JSON.stringify(leaderboardToJson(board), null, 2)}\n`);
  else if (options.markdown === true) ctx.stdout.write(renderLeaderboardMarkdown(board));
  else ctx.stdout.write(renderLeaderboard(board, { width }));
  return exitCodes.ok;
}
