import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { failureTypes } from '../../../../core/failure-types.js';
import { describeTrialFailure } from '../../../../core/jobs/describe-trial-failure.js';
import { PlaceholderError } from '../../../../core/sweep/placeholder-error.js';

const activityFailure = (cause: Error) => new ActivityFailure('job failed', 'runJob', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'worker', cause);

describe('describeTrialFailure', () => {
  it('keeps the type an activity gave its failure, through the activity wrapper', () => {
    const failure = describeTrialFailure(activityFailure(ApplicationFailure.nonRetryable('bad responses.jsonl line 3', failureTypes.InvalidResponses)));
    expect(failure).toEqual({ type: failureTypes.InvalidResponses, message: 'bad responses.jsonl line 3' });
  });

  it('calls a command that cannot be rendered a sweep problem (InvalidSpec), not a job failure', () => {
    const failure = describeTrialFailure(new PlaceholderError('{{baseModel.path}}', 'no value for "baseModel.path"'));
    expect(failure).toEqual({ type: failureTypes.InvalidSpec, message: 'Cannot render {{baseModel.path}}: no value for "baseModel.path"' });
  });

  it('tells a job that ran past Temporal\'s limit from a worker that stopped heartbeating', () => {
    expect(describeTrialFailure(activityFailure(new TimeoutFailure(undefined, undefined, 'START_TO_CLOSE'))).type).toBe(failureTypes.JobTimedOut);
    expect(describeTrialFailure(activityFailure(new TimeoutFailure(undefined, undefined, 'HEARTBEAT'))).type).toBe(failureTypes.JobFailed);
  });

  it('records anything else as a failed job with its message', () => {
    expect(describeTrialFailure(new Error('boom'))).toEqual({ type: failureTypes.JobFailed, message: 'boom' });
  });
});
