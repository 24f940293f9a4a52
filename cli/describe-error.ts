import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure, ChildWorkflowFailure } from '@temporalio/common';

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
  let current = error;
  const chain: string[] = [];
  while (current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) {
    chain.push(current instanceof ActivityFailure ? `activity ${current.activityType}` : `workflow ${current.execution.workflowId}`);
    current = current.cause;
  }
  const message = current instanceof ApplicationFailure ? `${current.type ?? 'Error'}: ${current.message}` : current instanceof Error ? current.message : String(current);
  return chain.length > 0 ? `${message} (in ${chain.join(' -> ')})` : message;
}
