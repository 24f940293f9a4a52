import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';
import { LineTail, type JobLauncher, type JobStream, type LaunchJobOptions, type LaunchJobResult } from './job-launcher.js';

/** Time a job gets between SIGTERM and SIGKILL, in ms: long enough for a trainer to flush a checkpoint. */
export const defaultKillGraceMs = 10_000;
/** Number of output lines kept for errors and heartbeats. */
export const defaultTailLines = 40;

/** Options for {@link LocalLauncher}. */
export interface LocalLauncherOptions {
  /** Time between SIGTERM and SIGKILL to the job's process group, in ms. Defaults to `defaultKillGraceMs` (10 s). */
  readonly killGraceMs?: number;
  /** Number of output lines kept. Defaults to `defaultTailLines` (40). */
  readonly tailLines?: number;
}

/**
 * Runs jobs as child processes of this worker, each in its own process group (`detached`), so that
 * stopping a job reaches everything it started (data-loader workers, `torchrun` ranks) and no orphan
 * keeps a GPU busy.
 */
export class LocalLauncher implements JobLauncher {
  /** Local jobs take their GPUs from the worker's slot pool. */
  readonly allocatesGpus = false;
  readonly #killGraceMs: number;
  readonly #tailLines: number;

  /** Creates a launcher; see {@link LocalLauncherOptions}. */
  constructor(options: LocalLauncherOptions = {}) {
    const { killGraceMs = defaultKillGraceMs, tailLines = defaultTailLines } = options;
    this.#killGraceMs = killGraceMs;
    this.#tailLines = tailLines;
  }

  /** Runs the job; resolves when its whole process group is gone. */
  async launch(options: LaunchJobOptions): Promise<LaunchJobResult> {
    const [file, ...args] = options.argv;
    if (file === undefined) throw new RangeError('argv must name a program');
    const tail = new LineTail(this.#tailLines);
    const stop = new AbortController();
    let timedOut = false;
    const timer =
      options.timeoutMs === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop.abort(new Error(`job timed out after ${options.timeoutMs} ms`));
          }, options.timeoutMs);
    const onCancel = () => stop.abort(options.signal?.reason);
    if (options.signal?.aborted) onCancel();
    else options.signal?.addEventListener('abort', onCancel, { once: true });

    const subprocess = execa(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdin: 'ignore',
      stdout: ['pipe', { file: options.stdoutPath, append: true }],
      stderr: ['pipe', { file: options.stderrPath, append: true }],
      buffer: false,
      reject: false,
      // A new process group, so the group can be signalled as a whole.
      detached: true,
      cancelSignal: stop.signal,
      forceKillAfterDelay: this.#killGraceMs,
    });
    const pgid = subprocess.pid;
    if (pgid !== undefined) options.onStart?.(String(pgid));

    // execa signals only the direct child; the rest of the group gets the same treatment here.
    let groupKillTimer: NodeJS.Timeout | undefined;
    const stopGroup = () => {
      if (pgid === undefined) return;
      signalGroup(pgid, 'SIGTERM');
      groupKillTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), this.#killGraceMs);
    };
    if (stop.signal.aborted) stopGroup();
    else stop.signal.addEventListener('abort', stopGroup, { once: true });

    const consume = async (stream: JobStream) => {
      for await (const line of subprocess.iterable({ from: stream })) {
        const kept = tail.push(line);
        options.onLine?.(kept, stream);
      }
    };
    try {
      const [result] = await Promise.all([subprocess, consume('stdout').catch(() => {}), consume('stderr').catch(() => {})]);
      if (pgid !== undefined) await this.#reapGroup(pgid, groupKillTimer !== undefined);
      const launchError = pgid === undefined || (result.exitCode === undefined && result.signal === undefined) ? (result.shortMessage ?? 'could not start') : null;
      const outcome = timedOut
        ? 'timedOut'
        : stop.signal.aborted
          ? 'cancelled'
          : result.exitCode === 0 && launchError === null
            ? 'succeeded'
            : 'failed';
      return {
        outcome,
        exitCode: result.exitCode ?? null,
        signal: result.signal ?? null,
        externalId: pgid === undefined ? null : String(pgid),
        tail: tail.lines,
        launchError,
      };
    } finally {
      clearTimeout(timer);
      clearTimeout(groupKillTimer);
      options.signal?.removeEventListener('abort', onCancel);
      stop.signal.removeEventListener('abort', stopGroup);
    }
  }

  /**
   * Waits until no live process is left in the job's group: processes the job left behind after a
   * normal exit get SIGTERM now; anything still alive after the grace period gets SIGKILL.
   */
  async #reapGroup(pgid: number, alreadyTerminated: boolean): Promise<void> {
    if (!groupHasLiveMembers(pgid)) return;
    if (!alreadyTerminated) signalGroup(pgid, 'SIGTERM');
    // Processes of another group cannot be awaited, so their exit is watched by polling.
    const deadline = performance.now() + this.#killGraceMs;
    while (performance.now() < deadline) {
      await delay(50);
      if (!groupHasLiveMembers(pgid)) return;
    }
    signalGroup(pgid, 'SIGKILL');
    const killDeadline = performance.now() + 5_000;
    while (groupHasLiveMembers(pgid) && performance.now() < killDeadline) await delay(50);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    // ESRCH: the group is already gone, which is what we want.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Whether any non-zombie process is in the group. Orphans are re-parented to PID 1, which in a
 * container may never reap them, so a zombie must not count as alive; `/proc` tells them apart.
 */
function groupHasLiveMembers(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return groupExists(pgid);
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
