import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { summarizeActivityFailure } from '../../../cli/open-session.js';

describe('summarizeActivityFailure', () => {
  it('makes one line of the SDK\'s failed-attempt entry: activity, workflow, attempt, type and cause', () => {
    const error = ApplicationFailure.create({ message: 'train job for t1 exited with code 1 (attempt 2, logs: /l/o, /l/e)\n--- last output ---\nTraceback', type: 'JobFailed' });
    expect(summarizeActivityFailure({ error, attempt: 2, activityType: 'runJob', workflowId: 's/m/t1' })).toBe(
      '[WARN] runJob failed for s/m/t1 (attempt 2): JobFailed: train job for t1 exited with code 1 (attempt 2, logs: /l/o, /l/e)',
    );
  });

  it('copes with an entry that lacks the usual fields', () => {
    expect(summarizeActivityFailure(undefined)).toBe('[WARN] activity failed for ?: unknown error');
  });
});
