/**
 * Test helpers for sweeps run through separate `pandasweep worker` processes, as on a cluster: start a
 * worker child process in the background, look for job processes in /proc, wait for database state.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { execa, type ResultPromise } from 'execa';
import { binPath, repoRoot } from './run-cli.js';

/** A `pandasweep worker` child process. */
export interface WorkerProcess {
  readonly pid: number;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Stops it with `signal` (SIGTERM: a graceful shutdown) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `pandasweep worker <args>` with `env` (TEMPORAL_ADDRESS, DATABASE_URL, PANDASWEEP_TASK_QUEUE …)
 * on a clean environment and resolves once it polls its queues.
 */
export async function startWorkerProcess(args: readonly string[], env: Record<string, string>): Promise<WorkerProcess> {
  const { TEMPORAL_ADDRESS: _t, DATABASE_URL: _d, PANDASWEEP_HOME: _h, ...inherited } = process.env;
  const child: ResultPromise = execa('node', [binPath, 'worker', ...args], { cwd: repoRoot, env: { ...inherited, ...env }, extendEnv: false, reject: false, stdin: 'ignore', stdout: 'ignore', buffer: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = child.then(() => undefined);
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', () => {
      if (stderr.includes('Worker polling')) resolve();
    });
    void exited.then(() => reject(new Error(`worker exited before polling:\n${stderr}`)));
  });
  await Promise.race([ready, delay(120_000).then(() => Promise.reject(new Error(`worker did not start in 120 s:\n${stderr}`)))]);
  return {
    pid: child.pid!,
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      child.kill(signal);
      await exited;
    },
  };
}

/** Pids of live processes whose environment has `PANDASWEEP_JOB_ID=<one of jobIds>` (a job and all it started). */
export function processesOfJobs(jobIds: readonly string[]): number[] {
  const wanted = new Set(jobIds.map((id) => `PANDASWEEP_JOB_ID=${id}`));
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!isRunning(Number(entry))) continue;
      const vars = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (vars.some((v) => wanted.has(v))) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Whether `pid` is a live (not zombie) process. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? 'X');
  } catch {
    return false;
  }
}

/** Polls `probe` every 250 ms until it returns a value other than `undefined`; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(250);
  }
}

/**
 * Terminates sweep workflows with these ids that an earlier, interrupted test run left running on the
 * shared Temporal server: `pandasweep run` joins a running sweep of the same id instead of starting one.
 */
export async function terminateLeftoverSweeps(address: string, sweepIds: readonly string[]): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    for (const id of sweepIds) {
      await client.workflow.getHandle(id).terminate('left over from an earlier test run').catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}
