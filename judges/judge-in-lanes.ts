/**
 * Runs judgments on parallel lanes, each a contiguous run of the items in their order: with items in
 * prefix order (core/tournament/judging-groups.ts) and one lane per judge sequence, consecutive prompts
 * of a lane share their header, instruction and response 1, which the llama judge keeps cached.
 */

/** Options of {@link judgeInLanes}. */
export interface JudgeInLanesOptions<R> {
  /** Lanes run at once (the judge's `parallelism`). */
  readonly lanes: number;
  /** Receives the results in batches of `batchSize`, one batch at a time. */
  readonly store: (results: readonly R[]) => Promise<void>;
  readonly batchSize: number;
  /** Stops every lane (the activity's cancellation). Defaults to none. */
  readonly signal?: AbortSignal;
}

/** The contiguous runs of `items` that {@link judgeInLanes} gives its lanes, in lane order (none for no items). */
export function laneRanges<T>(items: readonly T[], lanes: number): T[][] {
  if (items.length === 0) return [];
  const size = Math.ceil(items.length / Math.max(1, Math.min(lanes, items.length)));
  return Array.from({ length: Math.ceil(items.length / size) }, (_, lane) => items.slice(lane * size, (lane + 1) * size));
}

/**
 * Judges `items` with `judgeOne` on `lanes` lanes. On a failure the other lanes stop, the results already
 * judged are stored, and the failure is thrown.
 */
export async function judgeInLanes<T, R>(
  items: readonly T[],
  judgeOne: (item: T, signal: AbortSignal) => Promise<R>,
  { lanes, store, batchSize, signal }: JudgeInLanesOptions<R>,
): Promise<void> {
  const failed = new AbortController();
  const laneSignal = signal === undefined ? failed.signal : AbortSignal.any([signal, failed.signal]);
  const pending: R[] = [];
  let writing = Promise.resolve();
  const flush = (): Promise<void> => {
    const results = pending.splice(0);
    if (results.length > 0) writing = writing.then(() => store(results));
    return writing;
  };
  try {
    await Promise.all(
      laneRanges(items, lanes).map(async (range) => {
        try {
          for (const item of range) {
            laneSignal.throwIfAborted();
            pending.push(await judgeOne(item, laneSignal));
            if (pending.length >= batchSize) await flush();
          }
        } catch (error) {
          failed.abort(error);
          throw error;
        }
      }),
    );
  } finally {
    await flush();
  }
}
