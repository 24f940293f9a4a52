/**
 * Bad option values are refused by commander while parsing, before any command runs (so nothing
 * here starts Temporal or opens a database): the message names the option, the value given and
 * what was expected, and the exit code is the usage one, as for every other usage error. Good
 * values reach the commands parsed, defaults included.
 */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodes, type CliCommand } from '../../../cli/command.js';
import { judgeEvalCommand } from '../../../cli/commands/judge-eval.js';
import { leaderboardCommand } from '../../../cli/commands/leaderboard.js';
import { rankCommand } from '../../../cli/commands/rank.js';
import { reportCommand } from '../../../cli/commands/report.js';
import { serverCommand } from '../../../cli/commands/server.js';
import { workerCommand } from '../../../cli/commands/worker.js';
import { runMain } from '../../support/run-main.js';

const refused: readonly { argv: string[]; message: string }[] = [
  { argv: ['worker', '--gpus', '0,x'], message: "error: option '--gpus <ids>' argument '0,x' is invalid. 'x' is not a GPU id; expected distinct GPU ids (0, 1, 2, …) separated by commas, e.g. 0,1,2,3." },
  { argv: ['worker', '--gpus', '1,1'], message: "error: option '--gpus <ids>' argument '1,1' is invalid. GPU 1 is listed twice;" },
  { argv: ['worker', '--judge-matches', '0'], message: "error: option '--judge-matches <n>' argument '0' is invalid. Expected a whole number, at least 1." },
  { argv: ['worker', '--judge-matches', 'two'], message: "error: option '--judge-matches <n>' argument 'two' is invalid. Expected a whole number, at least 1." },
  { argv: ['worker', '--launcher', 'pbs'], message: "error: option '--launcher <name>' argument 'pbs' is invalid. Allowed choices are local, slurm." },
  { argv: ['worker', '--queues', 'train,gpu'], message: "error: option '--queues <list>' argument 'train,gpu' is invalid. Unknown queue 'gpu'; expected one or more of control, train, judge, separated by commas." },
  { argv: ['worker', '--queues', ''], message: "error: option '--queues <list>' argument '' is invalid. No queue given;" },
  { argv: ['worker', '--slurm-poll', '0'], message: "error: option '--slurm-poll <seconds>' argument '0' is invalid. Expected a number greater than 0 (seconds), e.g. 0.5 or 30." },
  { argv: ['leaderboard', 'demo', '--width', '20'], message: "error: option '--width <columns>' argument '20' is invalid. Expected a whole number of columns, at least 40." },
  { argv: ['leaderboard', 'demo', '--width', 'wide'], message: "error: option '--width <columns>' argument 'wide' is invalid. Expected a whole number of columns, at least 40." },
  { argv: ['leaderboard', 'demo', '--json', '--markdown'], message: "error: option '--json' cannot be used with option '--markdown'" },
  { argv: ['report', 'demo', '--examples', '-1'], message: "error: option '--examples <n>' argument '-1' is invalid. Expected a whole number, at least 0." },
  { argv: ['report', 'demo', '--examples', '2.5'], message: "error: option '--examples <n>' argument '2.5' is invalid. Expected a whole number, at least 0." },
  { argv: ['rank', '--testset', 't.json', '--seed', '1.5'], message: "error: option '--seed <n>' argument '1.5' is invalid. Expected a whole number, e.g. 0, 42 or -1." },
  { argv: ['rank', '--testset', 't.json', '--bootstrap', '-5'], message: "error: option '--bootstrap <n>' argument '-5' is invalid. Expected a whole number, at least 0." },
  { argv: ['judge-eval', '--testset', 't.json', '--limit', '0'], message: "error: option '--limit <n>' argument '0' is invalid. Expected a whole number, at least 1." },
  { argv: ['server', '--port', '70000'], message: "error: option '--port <port>' argument '70000' is invalid. Expected a TCP port, a whole number from 1 to 65535." },
  { argv: ['server', '--ui-port', 'ui'], message: "error: option '--ui-port <port>' argument 'ui' is invalid. Expected a TCP port, a whole number from 1 to 65535." },
];

describe('bad option values', () => {
  it.each(refused)('pandasweep $argv is refused with its message and exit code 2', async ({ argv, message }) => {
    const run = await runMain(argv);
    expect(run.code).toBe(exitCodes.usage);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message), run.stderr).toBe(true);
    expect(run.stderr).toContain('(run with --help for usage)');
  });
});

/** Parses `argv` with `command` registered and its action replaced, and returns the options it got. */
async function parsedOptions(command: CliCommand, argv: string[]): Promise<Record<string, unknown>> {
  const program = new Command('pandasweep').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  command.register(program, { stdout: process.stdout, stderr: process.stderr, env: {}, cwd: process.cwd(), setExitCode: () => undefined });
  let options: Record<string, unknown> | undefined;
  program.commands[0]!.action((...args: unknown[]) => void (options = args.at(-2) as Record<string, unknown>));
  await program.parseAsync(argv, { from: 'user' });
  if (options === undefined) throw new Error(`${argv[0]} did not run`);
  return options;
}

describe('parsed option values', () => {
  it('worker: defaults and given values arrive as numbers and lists', async () => {
    expect(await parsedOptions(workerCommand, ['worker'])).toEqual({ queues: ['control', 'train', 'judge'], judgeMatches: 2, launcher: 'local', sbatchArg: [], slurmPoll: 5 });
    expect(await parsedOptions(workerCommand, ['worker', '--queues', 'train', '--gpus', '0, 2', '--judge-matches', '3', '--launcher', 'slurm', '--slurm-poll', '0.5'])).toEqual({
      queues: ['train'], gpus: [0, 2], judgeMatches: 3, launcher: 'slurm', sbatchArg: [], slurmPoll: 0.5,
    });
  });

  it('leaderboard, report, rank, judge-eval and server: numbers, defaults included', async () => {
    expect(await parsedOptions(leaderboardCommand, ['leaderboard', 'demo'])).toEqual({ width: 100 });
    expect(await parsedOptions(leaderboardCommand, ['leaderboard', 'demo', '--width', '40', '--json'])).toEqual({ width: 40, json: true });
    expect(await parsedOptions(reportCommand, ['report', 'demo'])).toEqual({ examples: 4 });
    expect(await parsedOptions(reportCommand, ['report', 'demo', '--examples', '0'])).toEqual({ examples: 0 });
    expect(await parsedOptions(rankCommand, ['rank', '--testset', 't.json'])).toEqual({ testset: 't.json', seed: 0, bootstrap: 1000 });
    expect(await parsedOptions(rankCommand, ['rank', '--testset', 't.json', '--seed', '-3', '--bootstrap', '0'])).toEqual({ testset: 't.json', seed: -3, bootstrap: 0 });
    expect(await parsedOptions(judgeEvalCommand, ['judge-eval', '--testset', 't.json', '--limit', '10'])).toEqual({ testset: 't.json', limit: 10 });
    // No default port: the server takes 7233 or the next one no other folder's server holds.
    expect(await parsedOptions(serverCommand, ['server'])).toEqual({});
    expect(await parsedOptions(serverCommand, ['server', '--port', '7300', '--ui-port', '8300'])).toEqual({ port: 7300, uiPort: 8300 });
  });
});
