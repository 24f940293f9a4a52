/** The sweep already recorded under an id. */
export interface RecordedSweep {
  readonly name: string;
  readonly file: string;
}

/**
 * Returns why a sweep may not use an id another sweep has (a different name, same slug: "Sweep ☃" and
 * "sweep"), or `undefined` when the id is the sweep's own. One home for the check the CLI makes before it
 * starts a workflow and the one registration makes for runs started elsewhere.
 */
export function sweepIdClash(sweepId: string, name: string, recorded: RecordedSweep | null): string | undefined {
  if (recorded === null || recorded.name === name) return undefined;
  return `the sweep name "${name}" has the id "${sweepId}", which the sweep "${recorded.name}" (${recorded.file}) already has; give this sweep a name of its own`;
}
