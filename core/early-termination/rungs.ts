/**
 * Rungs: the epochs at which early termination judges trials. Pure arithmetic shared by the plan, the
 * scheduler, the workflow and the simulation.
 */

/** Rung epochs and the reduction factor, as the scheduler needs them. */
export interface RungLadder {
  /** Epochs of the rungs, ascending: `minEpochs x eta^k` below the longest trial's epochs. */
  readonly epochs: readonly number[];
  readonly eta: number;
}

// Rung epochs are products of decimals (0.5 x 3 = 1.5): rounding keeps `1.5` from turning into 1.4999999.
function roundEpoch(epoch: number): number {
  return Math.round(epoch * 1e6) / 1e6;
}

/** Returns the rung epochs `minEpochs x eta^k` (k = 0, 1, ...) below `maxEpochs`; the first always, even at `maxEpochs`. */
export function rungEpochs(minEpochs: number, eta: number, maxEpochs: number): number[] {
  const out = [roundEpoch(minEpochs)];
  for (let e = roundEpoch(minEpochs * eta); e < maxEpochs; e = roundEpoch(e * eta)) out.push(e);
  return out;
}

/**
 * Returns the epochs a trial of `epochs` epochs stops at: each rung below its last epoch, then its last
 * epoch (which may itself be a rung's).
 */
export function trialStops(epochs: number, ladder: RungLadder): number[] {
  return [...ladder.epochs.filter((e) => e < epochs), epochs];
}

/** Returns the index of the rung at `epoch`, or `-1` when no rung is there. */
export function rungIndexAt(epoch: number, ladder: RungLadder): number {
  return ladder.epochs.indexOf(epoch);
}

/** How many of `n` checkpoints at a rung go on: the better `1/eta`, at least one. */
export function promotionSlots(n: number, eta: number): number {
  return n <= 0 ? 0 : Math.max(1, Math.floor(n / eta + 1e-9));
}

/** What every rung stage's name starts with. */
export const rungStagePrefix = 'rung-';

/** The stage name of the matches at rung `index` (0-based): `rung-1` for the first. */
export function rungStage(index: number): string {
  return `${rungStagePrefix}${index + 1}`;
}

/** Returns the 0-based rung index of a stage name made by {@link rungStage}, or `undefined` for any other stage. */
export function rungIndexOfStage(stage: string): number | undefined {
  const match = /^rung-(\d+)$/.exec(stage);
  return match === null ? undefined : Number(match[1]) - 1;
}
