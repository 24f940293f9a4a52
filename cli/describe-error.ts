import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { unwrapFailure } from '../core/errors/unwrap-failure.js';

/** Whether the error is a sweep workflow that ended because someone cancelled it (`pandasweep cancel`, the Web UI). */
export function isCancelledSweep(error: unknown): boolean {
  return error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure;
}

/**
 * Returns a one-paragraph description of an operational error: the root cause of a failed workflow
 * (through its activity and child-workflow failures), or the error's own message.
 */
export function describeOperationalError(error: unknown): string {
  if (isCancelledSweep(error)) {
    return 'The sweep was cancelled (pandasweep cancel, or the Web UI). Finished trials and judgments are kept: run the same command again to go on from there.';
  }
  if (error instanceof WorkflowFailedError) {
    const root = rootCause(error.cause);
    return `The sweep failed: ${root}. Fix the cause and run the same command again: finished trials and judgments are kept.`;
  }
  return error instanceof Error ? error.message : String(error);
}

function rootCause(error: unknown): string {
  const { root, chain } = unwrapFailure(error);
  const path = chain.map((wrapper) => (wrapper instanceof ActivityFailure ? `activity ${wrapper.activityType}` : `workflow ${wrapper.execution.workflowId}`));
  const message = root instanceof ApplicationFailure ? `${root.type ?? 'Error'}: ${root.message}` : root instanceof Error ? root.message : String(root);
  return path.length > 0 ? `${message} (in ${path.join(' -> ')})` : message;
}
