/** Which output stream a line came from. */
export type JobStream = 'stdout' | 'stderr';

/** How a launched job ended. */
export type JobOutcome = 'succeeded' | 'failed' | 'timedOut' | 'cancelled';

/** What a launcher needs to run one job. */
export interface LaunchJobOptions {
  /** The program and its arguments, already rendered; never passed through a shell. */
  readonly argv: readonly string[];
  /** Working folder of the job. */
  readonly cwd: string;
  /** Variables added to the worker's environment (including `CUDA_VISIBLE_DEVICES` and secrets). */
  readonly env: Readonly<Record<string, string>>;
  /** GPUs the job asked for (Slurm requests them with `--gres`; the local launcher gets ids in `env`). */
  readonly gpus: number;
  /** A short human-readable name (the Slurm job name). */
  readonly name: string;
  /** File receiving the job's stdout (appended to). */
  readonly stdoutPath: string;
  /** File receiving the job's stderr (appended to). */
  readonly stderrPath: string;
  /** Wall-clock limit in ms, or `null` for none. */
  readonly timeoutMs: number | null;
  /** Aborting it stops the job (SIGTERM, then SIGKILL after the grace period). */
  readonly signal?: AbortSignal;
  /** Called with each output line as it arrives. */
  readonly onLine?: (line: string, stream: JobStream) => void;
  /** Called once the job exists, with the launcher's id for it (a pid or a Slurm job id). */
  readonly onStart?: (externalId: string) => void;
}

/** How one job ended. */
export interface LaunchJobResult {
  readonly outcome: JobOutcome;
  /** The job's exit code, or `null` when it was killed by a signal or never started. */
  readonly exitCode: number | null;
  /** The signal that ended it (`SIGTERM`, `SIGKILL`, ...), or `null`. */
  readonly signal: string | null;
  /** The pid or Slurm job id, or `null` when the job never started. */
  readonly externalId: string | null;
  /** The last output lines (both streams, in arrival order). */
  readonly tail: readonly string[];
  /** Why the job could not even start (program not found, sbatch rejected it), or `null`. */
  readonly launchError: string | null;
  /** The system error when the program itself could not be run (`ENOENT`, `EACCES`): no retry helps. */
  readonly launchErrorCode?: string;
}

/** Environment variable naming the job row; it marks a job's processes so a stale one can be found again. */
export const jobIdEnvName = 'PANDASWEEP_JOB_ID';

/** A job an earlier attempt started and may have left running when its worker died. */
export interface StaleJob {
  /**
   * The launcher's id for it (pid or Slurm job id), from the earlier attempt's heartbeat; `null` when
   * that attempt died before a heartbeat carried it (the job row says only that it started).
   */
  readonly externalId: string | null;
  /** Its job row id (the `PANDASWEEP_JOB_ID` it was started with). */
  readonly jobId: string;
  /** Host of the worker that started it. */
  readonly host: string;
  /** Host of the worker asking. */
  readonly currentHost: string;
}

/** Runs one external job to completion: locally (`LocalLauncher`) or through Slurm (`SlurmLauncher`). */
export interface JobLauncher {
  /**
   * Whether the launcher's scheduler hands out GPUs itself (Slurm sets `CUDA_VISIBLE_DEVICES`); when
   * false, jobs take GPUs from the worker's `GpuSlotPool`.
   */
  readonly allocatesGpus: boolean;
  /** Starts the job and resolves when it has ended and none of its processes are left. Never rejects for a job failure. */
  launch(options: LaunchJobOptions): Promise<LaunchJobResult>;
  /** Stops a job an earlier attempt left running, if it still runs and is reachable; returns whether it did. */
  stopStale(stale: StaleJob): Promise<boolean>;
}

/** Longest line kept in a tail or heartbeat, in characters: progress bars can write megabytes without a newline. */
export const maxKeptLineLength = 2000;

/** Keeps the last `limit` lines of a job's output; a `\r`-rewritten progress line keeps only its last state. */
export class LineTail {
  readonly #lines: string[] = [];
  readonly #limit: number;

  /** Creates a tail of at most `limit` lines. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Adds a line and returns it as kept (last `\r` segment, truncated to `maxKeptLineLength`). */
  push(line: string): string {
    const segment = line.slice(line.lastIndexOf('\r', line.length - 2) + 1).replace(/\r$/, '');
    const kept = segment.length > maxKeptLineLength ? `${segment.slice(0, maxKeptLineLength)}…` : segment;
    this.#lines.push(kept);
    if (this.#lines.length > this.#limit) this.#lines.shift();
    return kept;
  }

  /** The kept lines, oldest first. */
  get lines(): readonly string[] {
    return [...this.#lines];
  }
}
