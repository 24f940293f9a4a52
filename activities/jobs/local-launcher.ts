import { execa } from 'execa';
import { LineTail, jobIdEnvName, type JobLauncher, type JobStream, type LaunchJobOptions, type LaunchJobResult, type StaleJob } from './job-launcher.js';
import { groupCarriesEnv,
  groupsCarryingEnv, signalGroup, terminateGroup } from './process-group.js';

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
      if (pgid !== undefined) await terminateGroup(pgid, this.#killGraceMs, groupKillTimer !== undefined);
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
        ...(launchError !== null && typeof result.code === 'string' ? { launchErrorCode: result.code } : {}),
      };
    } finally {
      clearTimeout(timer);
      clearTimeout(groupKillTimer);
      options.signal?.removeEventListener('abort', onCancel);
      stop.signal.removeEventListener('abort', stopGroup);
    }
  }

  /**
   * Stops what an earlier attempt left running on this host (its worker was killed): the process group
   * `externalId`, but only if one of its processes carries `PANDASWEEP_JOB_ID=<jobId>`. Returns whether
   * anything was stopped.
   */
  async stopStale(stale: StaleJob): Promise<boolean> {
    if (stale.host !== stale.currentHost) return false;
    const pgid = Number(stale.externalId);
    const groups = stale.externalId !== null && Number.isInteger(pgid) && pgid > 1 ? (groupCarriesEnv(pgid, jobIdEnvName, stale.jobId) ? [pgid] : []) : groupsCarryingEnv(jobIdEnvName, stale.jobId);
    for (const group of groups) await terminateGroup(group, this.#killGraceMs);
    return groups.length > 0;
  }
}
