/** One halving level of the adaptive tournament: Swiss rounds among `size` survivors before the cut. */
export interface AdaptiveLevel {
  /** Survivors playing at this level. */
  readonly size: number;
  /** Swiss rounds at this level; each round plays at most floor(size / 2) matches. */
  readonly rounds: number;
}

/** How many matches the adaptive strategy plans for a field, level by level. */
export interface AdaptiveSchedule {
  /** Halving levels, largest field first; each ends by keeping the better half (rounded up). */
  readonly levels: readonly AdaptiveLevel[];
  /** Survivors of the last level, who play each other in the final (every pair not met before). */
  readonly finalSize: number;
  /** Upper bound on the matches of the halving levels. */
  readonly levelMatches: number;
  /** Upper bound on the final's matches: every pair of finalists. */
  readonly finalMatches: number;
  /**
   * The match cap: the budget, or a full round robin when that is smaller or no budget is given. The
   * strategy never plans more; it equals the planned total only when the budget binds.
   */
  readonly cap: number;
  /** True when even the smallest schedule exceeds the cap; the strategy then stops when the cap is used up. */
  readonly truncated: boolean;
}

/** Options of `planAdaptiveSchedule`. */
export interface AdaptiveScheduleOptions {
  /** Upper bound on matches (the sweep's `tournament.budget`). Defaults to a full round robin. */
  readonly budget?: number;
  /** Largest field that goes straight to the final. Defaults to `defaultAdaptiveFinalSize`. */
  readonly finalSize?: number;
}

/** Largest field that plays the final round robin: five finalists, at most ten final matches. */
export const defaultAdaptiveFinalSize = 5;

/**
 * Swiss rounds per level by field size: two while the field is large (most of its members are far
 * from the top, and two results say so), three once it is small (its members are close, and a third
 * round is cheap there).
 */
function defaultRounds(size: number): number {
  return size > 20 ? 2 : 3;
}

function pairs(n: number): number {
  return n < 2 ? 0 : (n * (n - 1)) / 2;
}

function levelsFor(n: number, finalSize: number): AdaptiveLevel[] {
  const levels: AdaptiveLevel[] = [];
  for (let size = n; size > finalSize; size = Math.ceil(size / 2)) levels.push({ size, rounds: defaultRounds(size) });
  return levels;
}

function finalSizeOf(n: number, levels: readonly AdaptiveLevel[]): number {
  const last = levels[levels.length - 1];
  return last === undefined ? n : Math.ceil(last.size / 2);
}

function countOf(levels: readonly AdaptiveLevel[]): number {
  return levels.reduce((sum, l) => sum + l.rounds * Math.floor(l.size / 2), 0);
}

/**
 * Plans the adaptive tournament's shape for `n` entrants: halving levels (Swiss rounds, then the
 * better half goes on) until at most `finalSize` remain, then a final among them. When the default
 * shape does not fit the budget, rounds are taken from the most expensive levels first (down to one
 * per level), then the final shrinks (down to two); if even that does not fit, the schedule is
 * `truncated` and the strategy plays until the cap is used up.
 */
export function planAdaptiveSchedule(n: number, options: AdaptiveScheduleOptions = {}): AdaptiveSchedule {
  const { finalSize: largestFinal = defaultAdaptiveFinalSize } = options;
  const cap = Math.max(0, Math.min(options.budget ?? pairs(n), pairs(n)));
  for (let target = Math.max(2, largestFinal); target >= 2; target--) {
    const levels = levelsFor(n, target);
    const finalSize = finalSizeOf(n, levels);
    const finalMatches = pairs(finalSize);
    for (;;) {
      const levelMatches = countOf(levels);
      if (levelMatches + finalMatches <= cap) return { levels, finalSize, levelMatches, finalMatches, cap, truncated: false };
      // Take a round from the level where a round costs most, as long as it keeps one.
      let best = -1;
      for (let i = 0; i < levels.length; i++) {
        const size = levels[i]?.size ?? 0;
        if ((levels[i]?.rounds ?? 0) > 1 && (best < 0 || size > (levels[best]?.size ?? 0))) best = i;
      }
      const level = levels[best];
      if (level === undefined) break;
      levels[best] = { size: level.size, rounds: level.rounds - 1 };
    }
  }
  const levels = levelsFor(n, 2).map((l) => ({ size: l.size, rounds: 1 }));
  const finalSize = finalSizeOf(n, levels);
  return { levels, finalSize, levelMatches: countOf(levels), finalMatches: pairs(finalSize), cap, truncated: true };
}

/** Returns the planned number of matches of a schedule: its total, or the cap when that binds first. */
export function adaptiveMatchCount(schedule: AdaptiveSchedule): number {
  return Math.min(schedule.cap, schedule.levelMatches + schedule.finalMatches);
}
