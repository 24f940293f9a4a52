/**
 * The one place that looks through Temporal's failure wrappers: an activity's or child workflow's
 * failure wraps what was thrown inside it, possibly several levels deep (a trial's job inside the sweep).
 * Pure, so workflows, activities and the CLI share it.
 */
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure } from '@temporalio/common';

/** A failure with its wrappers taken off. */
export interface UnwrappedFailure {
  /** What was thrown at the bottom: an `ApplicationFailure`, a timeout, a plain error. */
  readonly root: unknown;
  /** The wrappers from the outside in: each activity or child workflow the failure came through. */
  readonly chain: readonly (ActivityFailure | ChildWorkflowFailure)[];
}

/** Takes every activity and child-workflow wrapper off `error`. */
export function unwrapFailure(error: unknown): UnwrappedFailure {
  const chain: (ActivityFailure | ChildWorkflowFailure)[] = [];
  let current = error;
  while ((current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) && current.cause !== undefined) {
    chain.push(current);
    current = current.cause;
  }
  return { root: current, chain };
}

/** The type of the `ApplicationFailure` at the bottom of `error`, or `undefined` when there is none. */
export function applicationFailureType(error: unknown): string | undefined {
  const { root } = unwrapFailure(error);
  return root instanceof ApplicationFailure ? (root.type ?? undefined) : undefined;
}
