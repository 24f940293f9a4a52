/**
 * The `pandasweep` entry point: registers every command and turns failures into messages and exit
 * codes. Only this file touches `process.exitCode`.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { SweepFileError } from '../core/errors/sweep-file-error.js';
import { UsageError } from '../core/errors/usage-error.js';
import { exitCodes, type CliCommand, type CliContext } from './command.js';
import { describeOperationalError, isCancelledSweep } from './describe-error.js';
import { cancelCommand } from './commands/cancel.js';
import { judgeEvalCommand } from './commands/judge-eval.js';
import { leaderboardCommand } from './commands/leaderboard.js';
import { judgeCommand } from './commands/judge.js';
import { rankCommand } from './commands/rank.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { serverCommand } from './commands/server.js';
import { statusCommand } from './commands/status.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// In the order `--help` lists them: the user's day first, then the judge tools, then infrastructure.
const commands: readonly CliCommand[] = [validateCommand, runCommand, statusCommand, leaderboardCommand, reportCommand, cancelCommand, judgeCommand, judgeEvalCommand, rankCommand, workerCommand, serverCommand];

/** Runs the CLI with `argv` (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: Omit<CliContext, 'setExitCode'>): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const ctx: CliContext = { ...io, setExitCode: (code) => void (exitCode = code) };
  const program = new Command('pandasweep')
    .description('Find the best instruction-tuning hyperparameters the PandaLM way: train a sweep, judge answers pairwise with a local LLM, run a tournament, keep the best checkpoint.')
    .version(version, '-V, --version', 'print the version of pandasweep')
    .option('--verbose', 'show stack traces of unexpected errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const command of commands) command.register(program, ctx);
  program.addHelpText('after', `
Environment:
  TEMPORAL_ADDRESS   a Temporal cluster (host:port); unset: a local dev server (Web UI on :8233)
  DATABASE_URL       PostgreSQL (postgresql://user:pass@host:5432/db); unset: an embedded database
  PANDASWEEP_HOME    state folder (embedded database, server history, trials); default ./.pandasweep
  PANDASWEEP_TASK_QUEUE  base task queue (<base>-train, <base>-judge too); default pandasweep
  PANDASWEEP_LOG_LEVEL   Temporal SDK log level (TRACE, DEBUG, INFO, WARN, ERROR); default WARN
  PANDASWEEP_PYTHON  the Python the shipped jobs (trainers/) run with; default ./.venv

Examples:
  $ pandasweep validate sweeps/smollm2-lora.yaml
  $ pandasweep run sweeps/smollm2-lora.yaml
  $ pandasweep leaderboard smollm2-lora --markdown`);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return reportError(error, io, argv.includes('--verbose') || Boolean(io.env.DEBUG));
  }
  return exitCode;
}

function reportError(error: unknown, io: Omit<CliContext, 'setExitCode'>, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Commander already printed the message (or the help / version text).
    return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  if (error instanceof SweepFileError) {
    const advice = error.kind === 'sweep file' ? '; `pandasweep validate <file>` checks it without running anything' : '';
    io.stderr.write(`${error.message}\nFix the file and run the command again${advice}.\n`);
    return exitCodes.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`Error: ${error.message}\n${error.hint === undefined ? '' : `${error.hint}\n`}`);
    return exitCodes.usage;
  }
  const message = describeOperationalError(error);
  if (isCancelledSweep(error)) {
    io.stderr.write(`${message}\n`);
    return exitCodes.cancelled;
  }
  io.stderr.write(`Error: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else if (message === (error as Error | undefined)?.message) io.stderr.write('(run with --verbose for details)\n');
  return exitCodes.failed;
}

// Run when executed as the bin (bin/pandasweep.js imports this module).
if (process.env.PANDASWEEP_NO_MAIN !== '1') {
  // A reader that stops early (`pandasweep --help | head`) closes the pipe: that ends this process
  // quietly, as it would a Unix tool, instead of an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? exitCodes.ok);
    });
  }
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
  process.exitCode = code;
}
