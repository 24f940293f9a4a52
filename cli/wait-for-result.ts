/**
 * Waits for a workflow's result in a way an interrupt can end: the result is a long poll that the SDK
 * repeats, and it must stop before the connection closes.
 */
import type { ConnectionLike, WorkflowHandle } from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';

// The SDK adds an abort listener to the call's signal for every RPC and never removes it
// (@temporalio/client connection.js), so one signal for a long wait collects one per long poll (Node warns
// at 11, a day-long sweep would hold thousands): each window has a fresh signal, dropped with its listeners.
const windowMs = 60_000;

/** The workflow's result, or `undefined` once `stop` aborts. Errors other than the abort pass through. */
export async function waitForResult<T extends Workflow>(connection: ConnectionLike, handle: WorkflowHandle<T>, stop: AbortSignal): Promise<WorkflowResultType<T> | undefined> {
  while (!stop.aborted) {
    const window = new AbortController();
    const end = (): void => window.abort();
    stop.addEventListener('abort', end, { once: true });
    const timer = setTimeout(end, windowMs);
    try {
      return await connection.withAbortSignal(window.signal, () => handle.result());
    } catch (error) {
      if (!window.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      stop.removeEventListener('abort', end);
    }
  }
  return undefined;
}
