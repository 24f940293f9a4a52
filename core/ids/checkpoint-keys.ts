/**
 * Checkpoint keys: what a tournament entrant is when a sweep terminates trials early. A trial's
 * checkpoint after `epoch` epochs is `<trial key>@<epoch>`; a plain trial key stands for the trial's
 * trained model, as in a sweep without early termination. Tournament code treats both as opaque
 * entrant keys; this file is the only one that knows their layout.
 */

/** Returns the entrant key of a trial's checkpoint after `epoch` epochs. */
export function checkpointKey(trialKey: string, epoch: number): string {
  return `${trialKey}@${epoch}`;
}

/** An entrant key split into its trial and epoch (`epoch` 0: the trial's trained model, no epoch named). */
export interface EntrantRef {
  readonly trialKey: string;
  readonly epoch: number;
}

/** Splits an entrant key made by {@link checkpointKey} (or a plain trial key). */
export function parseEntrantKey(entrant: string): EntrantRef {
  const at = entrant.lastIndexOf('@');
  if (at <= 0) return { trialKey: entrant, epoch: 0 };
  const epoch = Number(entrant.slice(at + 1));
  return Number.isFinite(epoch) && epoch > 0 ? { trialKey: entrant.slice(0, at), epoch } : { trialKey: entrant, epoch: 0 };
}

/** The trial an entrant key belongs to. */
export function trialKeyOfEntrant(entrant: string): string {
  return parseEntrantKey(entrant).trialKey;
}

/** A short label for people: the first 8 characters of the trial key, with `@<epoch>` for a checkpoint. */
export function shortEntrantLabel(entrant: string): string {
  const { trialKey, epoch } = parseEntrantKey(entrant);
  return epoch === 0 ? trialKey.slice(0, 8) : `${trialKey.slice(0, 8)}@${epoch}`;
}

/** The tournament entrant a picked best trial is: its checkpoint under early termination (an `epoch`), else the trial. */
export function bestEntrantOf(best: { readonly trialKey: string | null; readonly epoch?: number }): string | null {
  return best.trialKey === null ? null : best.epoch === undefined ? best.trialKey : checkpointKey(best.trialKey, best.epoch);
}
