/**
 * Database row ids: business ids built from the sweep, never random, so a retried activity upserts the
 * row it wrote before. The only place that knows their layout, both ways.
 */
import { parseEntrantKey } from './checkpoint-keys.js';

/** Database id of a trial row: unique across sweeps, stable across reruns. */
export function trialRowId(sweepId: string, trialKey: string): string {
  return `${sweepId}/${trialKey}`;
}

/** The trial key inside a trial row id of `sweepId` (the inverse of {@link trialRowId}). */
export function trialKeyOfRowId(sweepId: string, rowId: string): string {
  const prefix = `${sweepId}/`;
  if (!rowId.startsWith(prefix)) throw new RangeError(`${rowId} is not a trial row id of sweep ${sweepId}`);
  return rowId.slice(prefix.length);
}

/**
 * Where an entrant's rows are: its trial's row id and the epoch of its checkpoint (0 for a plain trial
 * key). Its own row id, as matches record it, is `trialRowId(sweepId, entrant)`.
 */
export function entrantRows(sweepId: string, entrant: string): { readonly trialId: string; readonly epoch: number } {
  const { trialKey, epoch } = parseEntrantKey(entrant);
  return { trialId: trialRowId(sweepId, trialKey), epoch };
}

/** The entrant row id of a trial row's answers after `epoch` epochs (the inverse of {@link entrantRows}). */
export function entrantRowIdOf(trialId: string, epoch: number): string {
  return epoch === 0 ? trialId : `${trialId}@${epoch}`;
}

/** Database id of a match row. */
export function matchRowId(sweepId: string, baseModelId: string, pairingId: string): string {
  return `${sweepId}/${baseModelId}/${pairingId}`;
}

/** Database id of a job row: one attempt of one kind (`train`, `generate`) of a trial. */
export function jobRowId(sweepId: string, trialKey: string, kind: string, attempt: number): string {
  return `${trialRowId(sweepId, trialKey)}/${kind}/${attempt}`;
}
