import type { Command } from 'commander';

/** What a command may touch: its output streams, the environment and the working folder. */
export interface CliContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Records the command's exit code (see `exitCodes`); only `cli/main.ts` applies it to the process. */
  setExitCode(code: number): void;
}

/** One CLI command, kept in its own file under `cli/commands/`. */
export interface CliCommand {
  /** Adds the command, with its help text (purpose, usage, options, examples), to the program. */
  register(program: Command, ctx: CliContext): void;
}

/** The exit-status contract: scripts rely on it. */
export const exitCodes = {
  ok: 0,
  /** The operation failed: a workflow failed, Temporal or the database was unreachable. */
  failed: 1,
  /** A usage error or an invalid sweep file. */
  usage: 2,
  /** The sweep was cancelled. */
  cancelled: 3,
  /** Stopped by SIGINT or SIGTERM (128 + SIGINT's 2, as shells report it). */
  interrupted: 130,
} as const;
