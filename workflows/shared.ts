/**
 * Definitions shared by workflows, the worker and the CLI (the only Temporal client): task queues,
 * search attributes, queries and workflow ids. Deterministic code only.
 */
import { defineSearchAttributeKey } from '@temporalio/common';
import type { SearchAttributeKey, SearchAttributePair } from '@temporalio/common/lib/search-attributes.js';
import { defineQuery } from '@temporalio/workflow';

/** The base task queue name when `PANDASWEEP_TASK_QUEUE` does not set another. */
export const defaultTaskQueue = 'pandasweep';

/** The kinds of task queue a worker can poll. */
export type QueueName = 'control' | 'train' | 'judge';

/**
 * Task queues derived from one base name: workflows and database work on the base itself, GPU jobs on
 * `<base>-train`, the judge model on `<base>-judge`. Workflows derive them from their own task queue, so
 * two deployments (or two test runs) on one Temporal namespace never take each other's work.
 */
export function taskQueuesFor(base: string): Record<QueueName, string> {
  return { control: base, train: `${base}-train`, judge: `${base}-judge` };
}

/** Names of the search attributes registered on the dev server so the Web UI can filter by them. */
export const searchAttributeNames = {
  sweepId: 'SweepId',
  baseModel: 'BaseModel',
  stage: 'Stage',
} as const;

/** Typed search attribute keys (all Keyword). */
export const searchAttributes = {
  sweepId: defineSearchAttributeKey(searchAttributeNames.sweepId, 'KEYWORD'),
  baseModel: defineSearchAttributeKey(searchAttributeNames.baseModel, 'KEYWORD'),
  stage: defineSearchAttributeKey(searchAttributeNames.stage, 'KEYWORD'),
} satisfies Record<string, SearchAttributeKey<'KEYWORD'>>;

/** The search attributes of a child workflow of a sweep: its sweep, its base model and its stage. */
export function childSearchAttributes(sweepId: string, baseModelId: string, stage: string): SearchAttributePair[] {
  return [
    { key: searchAttributes.sweepId, value: sweepId },
    { key: searchAttributes.baseModel, value: baseModelId },
    { key: searchAttributes.stage, value: stage },
  ];
}

/** Where a sweep stands, as its workflow knows it. */
export interface SweepProgress {
  readonly stage: 'registering' | 'training' | 'judging' | 'done' | 'cancelled' | 'failed';
  readonly trials: { readonly total: number; readonly running: number; readonly done: number; readonly failed: number; readonly stopped?: number };
  readonly baseModels: readonly {
    readonly id: string;
    readonly stage: 'training' | 'judging' | 'evaluating' | 'done';
    /** The best trial, or its best checkpoint (`trial@epoch`) under early termination. */
    readonly bestTrialKey: string | null;
    /** Under early termination: each rung's checkpoints so far, promoted and stopped. */
    readonly rungs?: readonly { readonly epoch: number; readonly expected: number; readonly present: number; readonly promoted: number; readonly stopped: number; readonly closed: boolean }[];
  }[];
}

/** Returns the sweep's progress (trials by state, stage per base model, best trial when known). */
export const sweepProgressQuery = defineQuery<SweepProgress>('progress');
