import { ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import { unwrapFailure } from '../errors/unwrap-failure.js';
import { failureTypes } from '../failure-types.js';
import { PlaceholderError } from '../sweep/placeholder-error.js';

/** A trial's failure as it is recorded: its type (one of `failureTypes`) and a message. */
export interface TrialFailure {
  readonly type: string;
  readonly message: string;
}

/**
 * Names why a trial failed, from what its workflow caught: the `ApplicationFailure` an activity threw
 * (through the activity failure wrapping it), a command that could not be rendered (`InvalidSpec`: the
 * sweep, not the job, is wrong), Temporal's own time limits, or a plain job failure.
 */
export function describeTrialFailure(error: unknown): TrialFailure {
  const cause = unwrapFailure(error).root;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? failureTypes.JobFailed, message: cause.message };
  if (cause instanceof PlaceholderError) return { type: failureTypes.InvalidSpec, message: cause.message };
  // A heartbeat timeout on the last attempt means its worker stopped answering, not that the job ran long.
  if (cause instanceof TimeoutFailure && cause.timeoutType !== 'HEARTBEAT') return { type: failureTypes.JobTimedOut, message: `job attempt hit Temporal's ${cause.timeoutType} limit` };
  return { type: failureTypes.JobFailed, message: error instanceof Error ? error.message : String(error) };
}
