import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { applicationFailureType, unwrapFailure } from '../../../../core/errors/unwrap-failure.js';

const inner = ApplicationFailure.nonRetryable('exit 2: no such file', 'JobBadInput');
const activity = new ActivityFailure('activity failed', 'runJob', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', inner);
const child = new ChildWorkflowFailure('default', { workflowId: 's/m/t', runId: 'r' }, 'trialWorkflow', RetryState.NON_RETRYABLE_FAILURE, activity);

describe('unwrapFailure', () => {
  it('takes off every activity and child-workflow wrapper, outside in', () => {
    const { root, chain } = unwrapFailure(child);
    expect(root).toBe(inner);
    expect(chain).toEqual([child, activity]);
    expect(applicationFailureType(child)).toBe('JobBadInput');
  });

  it('leaves an unwrapped error as it is, and has no type for a plain error', () => {
    expect(unwrapFailure(inner)).toEqual({ root: inner, chain: [] });
    const plain = new ActivityFailure('x', 'runJob', '1', RetryState.TIMEOUT, 'worker', new Error('boom'));
    expect(applicationFailureType(plain)).toBeUndefined();
    expect(applicationFailureType('not an error')).toBeUndefined();
  });
});
