/**
 * `ApplicationFailure` type strings shared by activities (which throw them) and workflows (which
 * inspect them). Non-retryable failures are deterministic: retrying would fail the same way.
 */
export const failureTypes = {
  /** The training or generation command exited non-zero after all its retries. */
  JobFailed: 'JobFailed',
  /** The job exited 2: its input (a data file, a flag) is unusable, so a retry would fail alike. */
  JobBadInput: 'JobBadInput',
  /** The job exited 3: it ran out of memory, so a retry on the same slot would fail alike. */
  JobOutOfMemory: 'JobOutOfMemory',
  /** The job ran past its `timeout`. */
  JobTimedOut: 'JobTimedOut',
  /** `responses.jsonl` is missing, malformed, or does not answer the evaluation instructions. */
  InvalidResponses: 'InvalidResponses',
  /** The job's program does not exist or may not be run (ENOENT, EACCES): retrying cannot help. */
  JobCannotStart: 'JobCannotStart',
  /** A secret environment variable the job needs is not set on the worker. */
  SecretMissing: 'SecretMissing',
  /** The job asks for more GPUs than its worker has at all. */
  NotEnoughGpus: 'NotEnoughGpus',
  /** The sweep spec or a rendered command is unusable (unknown placeholder, missing file). */
  InvalidSpec: 'InvalidSpec',
  /** The judge model could not be loaded (bad path, corrupt GGUF, missing binary). */
  JudgeUnavailable: 'JudgeUnavailable',
  /** Another sweep, with another name, already has this sweep's id. */
  SweepIdTaken: 'SweepIdTaken',
  /** The evaluation instruction file is missing or malformed. */
  InvalidEvalSet: 'InvalidEvalSet',
  /** The `evaluate` job's results file is not JSON. */
  InvalidEvaluation: 'InvalidEvaluation',
} as const;

export type FailureType = (typeof failureTypes)[keyof typeof failureTypes];
