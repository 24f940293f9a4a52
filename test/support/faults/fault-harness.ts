/**
 * Fault-injection harness: runs the real `pandasweep` binary as long-lived child processes (workers, a
 * `run`) that a test can SIGKILL at any moment, finds job processes a dead worker left behind, and waits
 * for database states. The private PostgreSQL and Temporal servers a test restarts are in
 * `test/support/faults/`.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { jobIdEnvName } from '../../../activities/jobs/job-launcher.js';
import { binPath, repoRoot } from '../run-cli.js';

/** Where the processes of one fault test meet: one Temporal server, one database, one task queue. */
export interface FaultEnv {
  readonly temporalAddress: string;
  readonly databaseUrl: string;
  /** PANDASWEEP_HOME: the workflow bundle cache and the trials' run folders. */
  readonly home: string;
  /** Base task queue shared by the run and every worker of the test. */
  readonly taskQueue: string;
  /** Extra environment variables. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** How a CLI process ended. */
export interface CliExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `pandasweep` process started by {@link spawnCli}. */
export interface CliProcess {
  readonly pid: number;
  /** Settles (never rejects) when the process has exited. */
  readonly exited: Promise<CliExit>;
  /** Sends `signal` (default SIGKILL) and waits until the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<CliExit>;
  /** The last few KB of its stderr, for assertion messages. */
  stderrTail(): string;
}

/** A name no other test uses, for sweeps (workflow ids) and task queues on a shared Temporal server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Starts `pandasweep <args>` in the background with `env` added to a clean environment (no inherited
 * TEMPORAL_ADDRESS, DATABASE_URL or PANDASWEEP_HOME). Its own children are not in its process group's
 * way: a SIGKILL reaches only this process, as a crash would. With `processGroup`, it leads a process
 * group of its own and `kill` signals the whole group, as Ctrl-C in a terminal or `timeout` does.
 */
export function spawnCli(args: readonly string[], env: FaultEnv, options: { readonly processGroup?: boolean } = {}): CliProcess {
  const { TEMPORAL_ADDRESS: _t, DATABASE_URL: _d, PANDASWEEP_HOME: _h, PANDASWEEP_TASK_QUEUE: _q, ...inherited } = process.env;
  const child: ResultPromise = execa('node', [binPath, ...args], {
    cwd: repoRoot,
    env: {
      ...inherited,
      TEMPORAL_ADDRESS: env.temporalAddress,
      DATABASE_URL: env.databaseUrl,
      PANDASWEEP_HOME: env.home,
      PANDASWEEP_TASK_QUEUE: env.taskQueue,
      ...env.extra,
    },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    detached: options.processGroup ?? false,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8_000);
  });
  const exited: Promise<CliExit> = child.then((result) => ({
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  }));
  if (child.pid === undefined) throw new Error(`could not start pandasweep ${args.join(' ')}`);
  return {
    pid: child.pid,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!options.processGroup) child.kill(signal);
      else {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // The group is already gone.
        }
      }
      return exited;
    },
    stderrTail: () => stderr,
  };
}

/** Starts `pandasweep worker` (all queues unless `queues` says otherwise). */
export function spawnWorker(env: FaultEnv, queues?: readonly ('control' | 'train' | 'judge')[]): CliProcess {
  return spawnCli(['worker', ...(queues ? ['--queues', queues.join(',')] : [])], env);
}

/** Runs `pandasweep <args>` to the end and returns how it ended (for `status`, `leaderboard`, `run --detach`). */
export async function runToEnd(args: readonly string[], env: FaultEnv, timeoutMs = 120_000): Promise<CliExit> {
  const proc = spawnCli(args, env);
  const timer = setTimeout(() => void proc.kill('SIGKILL'), timeoutMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** A process carrying `PANDASWEEP_JOB_ID` in its environment. */
export interface JobProcess {
  readonly pid: number;
  readonly jobId: string;
}

/**
 * Lists the live processes whose environment names one of `jobIds` as `PANDASWEEP_JOB_ID` (jobs of other
 * tests sharing the machine are ignored). Zombies have an empty environment and are not listed.
 */
export function findJobProcesses(jobIds: Iterable<string>): JobProcess[] {
  const wanted = new Set(jobIds);
  const found: JobProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    for (const variable of environ.split('\0')) {
      if (!variable.startsWith(`${jobIdEnvName}=`)) continue;
      const jobId = variable.slice(jobIdEnvName.length + 1);
      if (wanted.has(jobId)) found.push({ pid: Number(entry), jobId });
    }
  }
  return found;
}

/** Options for {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long, in ms. Defaults to `120_000`. */
  readonly timeoutMs?: number;
  /** Pause between probes, in ms. Defaults to `100`. */
  readonly intervalMs?: number;
  /** Processes that must stay alive meanwhile: if one exits, waiting stops with its stderr. Defaults to none. */
  readonly alive?: readonly CliProcess[];
}

/**
 * Probes until `probe` returns something other than `undefined`/`false`/`null` and returns it; throws
 * with `what` (and the stderr of a watched process that died) on timeout. Probe errors (a database that
 * is down) count as "not yet".
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, options: WaitForOptions = {}): Promise<T> {
  const { timeoutMs = 120_000, intervalMs = 100, alive = [] } = options;
  const deadline = performance.now() + timeoutMs;
  const dead = new Set<CliProcess>();
  for (const proc of alive) void proc.exited.then(() => dead.add(proc));
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value !== undefined && value !== null && value !== false) return value;
    for (const proc of dead) throw new Error(`while waiting for ${what}, process ${proc.pid} exited:\n${proc.stderrTail()}`);
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
