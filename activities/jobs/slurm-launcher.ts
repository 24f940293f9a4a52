import { open, stat, writeFile } from 'node:fs/promises';
import { constants, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { LineTail, jobIdEnvName, type JobLauncher, type JobOutcome, type JobStream, type LaunchJobOptions, type LaunchJobResult, type StaleJob } from './job-launcher.js';

/** How often Slurm is asked about a job, in ms: cheap for slurmctld, quick enough for a heartbeat. */
export const defaultSlurmPollIntervalMs = 5_000;

/** Options for {@link SlurmLauncher}. */
export interface SlurmLauncherOptions {
  /** Extra `sbatch` arguments (`--partition=gpu`, `--account=x`, `--mem=64G`). Defaults to none. */
  readonly sbatchArgs?: readonly string[];
  /** Time between polls of `squeue`, in ms. Defaults to `defaultSlurmPollIntervalMs` (5 s). */
  readonly pollIntervalMs?: number;
  /** Number of output lines kept. Defaults to `40`. */
  readonly tailLines?: number;
  /** Environment added when running the Slurm commands (e.g. `SLURM_CONF`). Defaults to none. */
  readonly commandEnv?: Readonly<Record<string, string>>;
}

/** Job states after which Slurm runs nothing more for the job. */
const terminalStates = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);

interface SlurmState {
  readonly state: string;
  readonly exitCode: number | null;
  readonly signal: number | null;
}

/**
 * Runs jobs through Slurm: submits a batch script with `sbatch --parsable`, follows it with `squeue`
 * (falling back to `sacct` once the job has left squeue's memory), reads its output from the files
 * Slurm writes, and cancels it with `scancel` (Slurm then signals every process of the job, SIGTERM
 * and SIGKILL after `KillWait`). GPUs are requested with `--gres=gpu:N`; Slurm sets
 * `CUDA_VISIBLE_DEVICES` itself.
 */
export class SlurmLauncher implements JobLauncher {
  /** Slurm hands out GPUs itself. */
  readonly allocatesGpus = true;
  readonly #sbatchArgs: readonly string[];
  readonly #pollIntervalMs: number;
  readonly #tailLines: number;
  readonly #commandEnv: Readonly<Record<string, string>>;

  /** Creates a launcher; see {@link SlurmLauncherOptions}. */
  constructor(options: SlurmLauncherOptions = {}) {
    const { sbatchArgs = [], pollIntervalMs = defaultSlurmPollIntervalMs, tailLines = 40, commandEnv = {} } = options;
    this.#sbatchArgs = sbatchArgs;
    this.#pollIntervalMs = pollIntervalMs;
    this.#tailLines = tailLines;
    this.#commandEnv = commandEnv;
  }

  /** Submits the job and follows it to its end. */
  async launch(options: LaunchJobOptions): Promise<LaunchJobResult> {
    if (options.argv.length === 0) throw new RangeError('argv must name a program');
    const tail = new LineTail(this.#tailLines);
    const script = join(dirname(options.stdoutPath), `${safeName(options.name)}.sbatch`);
    // sbatch needs a script; every argument is single-quoted so the shell passes it through verbatim.
    await writeFile(script, `#!/bin/sh\nexec ${options.argv.map(shellQuote).join(' ')}\n`, { mode: 0o755 });
    const args = [
      '--parsable',
      `--job-name=${options.name}`,
      // Tagged with its job row, so a retry finds it even if its worker died before a heartbeat carried its Slurm id.
      ...(options.env[jobIdEnvName] === undefined ? [] : [`--comment=${commentTag(options.env[jobIdEnvName])}`]),
      `--chdir=${options.cwd}`,
      `--output=${options.stdoutPath}`,
      `--error=${options.stderrPath}`,
      '--open-mode=append',
      ...(options.gpus > 0 ? [`--gres=gpu:${options.gpus}`] : []),
      // Slurm's own limit is a backstop for when this worker is gone; the exact limit is enforced below.
      ...(options.timeoutMs === null ? [] : [`--time=${Math.ceil(options.timeoutMs / 60_000) + 1}`]),
      ...this.#sbatchArgs,
      script,
    ];
    const followers = [new FileFollower(options.stdoutPath, 'stdout'), new FileFollower(options.stderrPath, 'stderr')];
    // Output files are appended to, so only what this job writes is followed.
    await Promise.all(followers.map((f) => f.skipExisting()));
    // The job's variables reach it through sbatch's own environment (`--export=ALL`), never a file.
    const submitted = await execa('sbatch', args, { env: { ...this.#commandEnv, ...options.env }, reject: false });
    if (submitted.exitCode !== 0) {
      return { outcome: 'failed', exitCode: null, signal: null, externalId: null, tail: [], launchError: `sbatch failed: ${(submitted.stderr || submitted.shortMessage || 'no output').trim()}` };
    }
    const jobId = submitted.stdout.trim().split(';')[0] ?? '';
    options.onStart?.(jobId);

    const emit = (line: string, stream: JobStream) => {
      const kept = tail.push(line);
      options.onLine?.(kept, stream);
    };
    const readOutput = async () => {
      for (const follower of followers) {
        for (const line of await follower.read()) emit(line, follower.stream);
      }
    };
    let stopReason: 'cancelled' | 'timedOut' | null = null;
    let runningSince: number | null = null;
    let final: SlurmState | null = null;
    // Slurm has no push notification for job state, so the job is followed by polling squeue.
    for (;;) {
      const state = await this.#query(jobId);
      await readOutput();
      if (state !== null && terminalStates.has(state.state)) {
        final = state;
        break;
      }
      if (state === null) break;
      if (state.state === 'RUNNING' && runningSince === null) runningSince = performance.now();
      if (stopReason === null) {
        if (options.signal?.aborted) stopReason = 'cancelled';
        else if (options.timeoutMs !== null && runningSince !== null && performance.now() - runningSince >= options.timeoutMs) stopReason = 'timedOut';
        if (stopReason !== null) await this.#run('scancel', [jobId]);
      }
      await sleepOrAbort(this.#pollIntervalMs, stopReason === null ? options.signal : undefined);
    }
    await readOutput();
    for (const follower of followers) for (const line of follower.flush()) emit(line, follower.stream);

    const exitCode = final?.exitCode ?? null;
    const signal = final?.signal ? signalName(final.signal) : null;
    const outcome: JobOutcome =
      stopReason ?? (final?.state === 'TIMEOUT' ? 'timedOut' : final?.state === 'COMPLETED' && exitCode === 0 ? 'succeeded' : 'failed');
    return {
      outcome,
      exitCode: signal === null ? exitCode : null,
      signal,
      externalId: jobId,
      tail: tail.lines,
      launchError: final === null && stopReason === null ? `Slurm job ${jobId} disappeared (neither squeue nor sacct knows it)` : null,
    };
  }

  /**
   * Cancels a Slurm job an earlier attempt submitted (from any host: Slurm is shared), if it has not
   * ended yet. Returns whether it was still active.
   */
  async stopStale(stale: StaleJob): Promise<boolean> {
    // Without its Slurm id (the attempt died before a heartbeat carried it) its comment tag finds it.
    if (stale.externalId === null) return this.#stopTagged(stale.jobId);
    if (!/^\d+(_\d+)?$/.test(stale.externalId)) return false;
    const state = await this.#query(stale.externalId);
    if (state === null || terminalStates.has(state.state)) return false;
    await this.#run('scancel', [stale.externalId]);
    return true;
  }

  /** Cancels this user's pending or running Slurm jobs tagged with the job row `jobId`; whether there were any. */
  async #stopTagged(jobId: string): Promise<boolean> {
    // squeue lists only jobs that have not ended unless asked for more states.
    const listed = await this.#run('squeue', ['--noheader', `--user=${userInfo().username}`, '--format=%i|%k']);
    if (listed.exitCode !== 0) return false;
    const tag = commentTag(jobId);
    const ids = listed.stdout
      .split('\n')
      .map((line) => line.trim().split('|'))
      .filter(([id, comment]) => id !== undefined && /^\d+(_\d+)?$/.test(id) && comment === tag)
      .map(([id]) => id!);
    if (ids.length === 0) return false;
    await this.#run('scancel', ids);
    return true;
  }

  /** Asks squeue, then sacct, for the job's state; `null` when neither knows it. */
  async #query(jobId: string): Promise<SlurmState | null> {
    const queued = await this.#run('squeue', ['--states=all', '--noheader', `--jobs=${jobId}`, '--Format=State:40,exit_code:20']);
    const [state, status] = queued.exitCode === 0 ? queued.stdout.trim().split(/\s+/) : [];
    if (state) {
      const wait = Number(status);
      // squeue reports the raw wait status: exit code in the high byte, signal in the low bits.
      return Number.isInteger(wait) ? { state, exitCode: wait >> 8, signal: wait & 0x7f || null } : { state, exitCode: null, signal: null };
    }
    const accounted = await this.#run('sacct', ['--noheader', '--parsable2', '--allocations', `--jobs=${jobId}`, '--format=State,ExitCode']);
    const line = accounted.exitCode === 0 ? accounted.stdout.trim().split('\n')[0] : undefined;
    if (!line) return null;
    const [rawState = '', exit = ''] = line.split('|');
    const [code, sig] = exit.split(':').map(Number);
    return { state: rawState.split(' ')[0] ?? rawState, exitCode: Number.isInteger(code) ? (code ?? null) : null, signal: sig || null };
  }

  #run(command: string, args: string[]) {
    return execa(command, args, { env: this.#commandEnv, reject: false, timeout: 60_000 });
  }
}

/** Reads the lines appended to a file since the last call; the file may not exist yet. */
class FileFollower {
  readonly stream: JobStream;
  readonly #path: string;
  #offset = 0;
  #partial = '';

  constructor(path: string, stream: JobStream) {
    this.#path = path;
    this.stream = stream;
  }

  /** Starts following at the file's current end. */
  async skipExisting(): Promise<void> {
    try {
      this.#offset = (await stat(this.#path)).size;
    } catch {
      this.#offset = 0;
    }
  }

  async read(): Promise<string[]> {
    let handle;
    try {
      handle = await open(this.#path, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.#offset) return [];
      const buffer = Buffer.alloc(size - this.#offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.#offset);
      this.#offset += bytesRead;
      const text = this.#partial + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      this.#partial = lines.pop() ?? '';
      return lines;
    } finally {
      await handle.close();
    }
  }

  flush(): string[] {
    const rest = this.#partial;
    this.#partial = '';
    return rest === '' ? [] : [rest];
  }
}

function sleepOrAbort(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : undefined).catch(() => undefined);
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The Slurm comment a job is tagged with: its job row id, as its `PANDASWEEP_JOB_ID` names it. */
function commentTag(jobId: string): string {
  return `${jobIdEnvName}=${jobId}`;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}

function signalName(signal: number): string {
  return Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] ?? `signal ${signal}`;
}
