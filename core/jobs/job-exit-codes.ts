/**
 * What a job's exit code means. The shipped jobs (trainers/job_errors.py) and any program that follows
 * the same convention exit 2 for input it cannot use (a missing data file, a bad flag: argparse's own
 * code) and 3 for running out of memory. Both are deterministic: the same attempt fails the same way,
 * so they fail the trial at once, with the program's own error line as the cause, instead of being
 * retried like a crash. Pure: the job activity and the tests share it.
 */
import { failureTypes, type FailureType } from '../failure-types.js';

/** Exit code for bad input. */
export const exitBadInput = 2;
/** Exit code for out of memory. */
export const exitOutOfMemory = 3;

/** A deterministic job failure read from its exit code. */
export interface DeterministicJobFailure {
  readonly type: FailureType;
  /** What happened, for the first line of the trial's failure (the program's own words follow). */
  readonly what: string;
  /** What to do next. */
  readonly advice: string;
}

/** The deterministic failure an exit code stands for, or `undefined` for a crash worth retrying. */
export function deterministicExit(exitCode: number | null): DeterministicJobFailure | undefined {
  if (exitCode === exitBadInput) {
    return { type: failureTypes.JobBadInput, what: 'rejected its input (exit 2)', advice: 'not retried: fix the file or flag it names and run again' };
  }
  if (exitCode === exitOutOfMemory) {
    return {
      type: failureTypes.JobOutOfMemory,
      what: 'ran out of memory (exit 3)',
      advice: 'not retried: lower the batch size or sequence length (or raise gradient accumulation), or give the job a GPU with more memory, and run again',
    };
  }
  return undefined;
}

/**
 * The line of a job's output tail that says why it stopped: the last line with `error` in it (the
 * shipped jobs' `<job>: error: ...`), else the last non-empty line.
 */
export function errorLineOf(tail: readonly string[]): string | undefined {
  const lines = tail.map((line) => line.trim()).filter((line) => line !== '');
  return lines.findLast((line) => /\berror\b/i.test(line)) ?? lines.at(-1);
}
