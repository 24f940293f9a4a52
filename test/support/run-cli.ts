/**
 * Runs the real `pandasweep` binary as a child process (as a user would) and captures its output.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The `pandasweep` executable. */
export const binPath = path.join(repoRoot, 'bin', 'pandasweep.js');

/** What a CLI run produced. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `pandasweep <args>` in `cwd` with `env` added to a clean environment (no TEMPORAL_ADDRESS/DATABASE_URL
 * unless given). Each run gets its own task queue unless `env` names one, so tests sharing one Temporal
 * server never pick up each other's work.
 */
export async function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliRun> {
  const { TEMPORAL_ADDRESS: _t, DATABASE_URL: _d, PANDASWEEP_HOME: _h, ...inherited } = process.env;
  const result = await execa('node', [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { ...inherited, PANDASWEEP_TASK_QUEUE: uniqueTaskQueue(), ...options.env },
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? 240_000,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** A task queue name no other test uses. */
export function uniqueTaskQueue(): string {
  return `pandasweep-test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
