/**
 * Why trials failed, as every view shows it (`status`, `leaderboard`, the HTML report): the failure
 * type and the first line of the recorded message, with trials that failed alike grouped under one
 * cause so ten identical failures read as one line.
 */

/** What a view needs of a trial to say why it failed. */
export interface FailureSource {
  readonly key: string;
  readonly failureType: string | null;
  readonly failureMessage: string | null;
}

/** One failed trial: its failure type and the first line of its recorded cause. */
export interface TrialFailure {
  readonly trialKey: string;
  readonly failureType: string;
  readonly cause: string;
}

/** Failed trials that share a failure type and cause. */
export interface FailureGroup<T extends TrialFailure> {
  readonly failureType: string;
  /** The shared cause, each trial's key in it written `<trial>`. */
  readonly cause: string;
  /** In the order given. */
  readonly failures: readonly T[];
}

/** The first line of a recorded failure: the cause, without the job's log tail that follows it. */
export function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/** The failure type (`failed` when none was recorded) and the one-line cause of a failed trial. */
export function trialFailure(trial: FailureSource): TrialFailure {
  return { trialKey: trial.key, failureType: trial.failureType ?? 'failed', cause: firstLine(trial.failureMessage ?? '') };
}

/**
 * Groups failures by type and cause, in the order each cause first appears. A message names its own
 * trial (its key, its log folder), so the key is replaced by `<trial>` before comparing.
 */
export function groupFailuresByCause<T extends TrialFailure>(failures: readonly T[]): FailureGroup<T>[] {
  const groups = new Map<string, { failureType: string; cause: string; failures: T[] }>();
  for (const failure of failures) {
    const cause = failure.cause.replaceAll(failure.trialKey, '<trial>');
    const id = `${failure.failureType}\u0000${cause}`;
    const group = groups.get(id) ?? { failureType: failure.failureType, cause, failures: [] };
    group.failures.push(failure);
    groups.set(id, group);
  }
  return [...groups.values()];
}
