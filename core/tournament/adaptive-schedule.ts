/** One level of the adaptive tournament: Swiss rounds among `size` survivors before the cut. */
export interface AdaptiveLevel {
  /** Survivors playing at this level. */
  readonly size: number;
  /** Swiss rounds at this level; each round plays at most floor(size / 2) matches. */
  readonly rounds: number;
  /** Instructions each match of this level judges at most (it may stop earlier on a clear lead); absent: all. */
  readonly instructions?: number;
}

/** How many matches the adaptive strategy plans for a field, level by level. */
export interface AdaptiveSchedule {
  /** Levels, largest field first; each ends by keeping the better part (the shape's `survivors`). */
  readonly levels: readonly AdaptiveLevel[];
  /** Survivors of the last level, who play each other in the final (every pair not met before). */
  readonly finalSize: number;
  /** Upper bound on the matches of the levels. */
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
  /** How the levels are shaped. Defaults to `defaultAdaptiveSchedule`. */
  readonly schedule?: AdaptiveScheduleName;
}

/** Largest field that plays the final round robin: five finalists, at most ten final matches. */
export const defaultAdaptiveFinalSize = 5;

/** How a schedule's levels are shaped: who goes on, how many rounds, how long the matches are. */
export interface AdaptiveLevelShape {
  /** The field that goes on from a level of `size`; always smaller, so the levels end. */
  survivors(size: number): number;
  /** Swiss rounds of the level at `levelIndex` (0 for the first), of `size` entrants. */
  rounds(levelIndex: number, size: number): number;
  /** Instructions each match of that level judges at most; absent: every instruction. */
  instructions(levelIndex: number): number | undefined;
}

/**
 * The schedules a sweep can ask for (`tournament.schedule`).
 *
 * - `growing` (the default): a first-level match judges about 14 instructions and each later level
 *   doubles that (16, 28, 56, 112, 224, ..., in whole steps of 4 because the judge activity checks a
 *   match between write batches of 4 instructions, both orders), so every level costs about the same
 *   while the field shrinks: telling the bottom of 80 from the top takes a few short matches, telling
 *   the last few apart takes long ones. Three fifths go on rather than half, because the short
 *   matches are noisy and halving cut the best trial of a flat field too often; four rounds at the
 *   first level, where each entrant's only evidence is its own matches, three later.
 *   bench/selection.bench.ts: at least the block tournament's P(best) and no more regret on every
 *   shape, with under 10% of its judge calls.
 * - `halving`: every match judges every instruction (it can still stop early on a clear lead), half
 *   go on, two rounds while the field is larger than 20 and three after: about 20% of the block
 *   tournament's judge calls for the same accuracy. Sweeps started before `growing` existed keep it.
 */
export const adaptiveLevelShapes = {
  growing: {
    survivors: (size) => Math.min(size - 1, Math.ceil(size * 0.6)),
    rounds: (levelIndex) => (levelIndex === 0 ? 4 : 3),
    instructions: (levelIndex) => 4 * Math.ceil(3.5 * 2 ** levelIndex),
  },
  halving: {
    survivors: (size) => Math.min(size - 1, Math.ceil(size / 2)),
    rounds: (_levelIndex, size) => (size > 20 ? 2 : 3),
    instructions: () => undefined,
  },
} as const satisfies Record<string, AdaptiveLevelShape>;

/** The name of an adaptive schedule. */
export type AdaptiveScheduleName = keyof typeof adaptiveLevelShapes;

/** The schedule a sweep gets without `schedule`. */
export const defaultAdaptiveSchedule: AdaptiveScheduleName = 'growing';

function pairs(n: number): number {
  return n < 2 ? 0 : (n * (n - 1)) / 2;
}

function levelsFor(n: number, finalSize: number, shape: AdaptiveLevelShape): AdaptiveLevel[] {
  const levels: AdaptiveLevel[] = [];
  for (let size = n; size > finalSize; size = shape.survivors(size)) {
    const instructions = shape.instructions(levels.length);
    levels.push({ size, rounds: shape.rounds(levels.length, size), ...(instructions === undefined ? {} : { instructions }) });
  }
  return levels;
}

function finalSizeOf(n: number, levels: readonly AdaptiveLevel[], shape: AdaptiveLevelShape): number {
  const last = levels[levels.length - 1];
  return last === undefined ? n : shape.survivors(last.size);
}

function countOf(levels: readonly AdaptiveLevel[]): number {
  return levels.reduce((sum, l) => sum + l.rounds * Math.floor(l.size / 2), 0);
}

/**
 * Plans the adaptive tournament's shape for `n` entrants: levels (Swiss rounds of matches, then the
 * better part goes on, as `schedule` shapes them) until at most `finalSize` remain, then a final
 * among them. When the default shape does not fit the budget, rounds are taken from the most expensive levels first (down to one
 * per level), then the final shrinks (down to two); if even that does not fit, the schedule is
 * `truncated` and the strategy plays until the cap is used up.
 */
export function planAdaptiveSchedule(n: number, options: AdaptiveScheduleOptions = {}): AdaptiveSchedule {
  const { finalSize: largestFinal = defaultAdaptiveFinalSize, schedule = defaultAdaptiveSchedule } = options;
  const shape: AdaptiveLevelShape = adaptiveLevelShapes[schedule];
  const cap = Math.max(0, Math.min(options.budget ?? pairs(n), pairs(n)));
  for (let target = Math.max(2, largestFinal); target >= 2; target--) {
    const levels = levelsFor(n, target, shape);
    const finalSize = finalSizeOf(n, levels, shape);
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
      levels[best] = { ...level, rounds: level.rounds - 1 };
    }
  }
  const levels = levelsFor(n, 2, shape).map((l) => ({ ...l, rounds: 1 }));
  const finalSize = finalSizeOf(n, levels, shape);
  return { levels, finalSize, levelMatches: countOf(levels), finalMatches: pairs(finalSize), cap, truncated: true };
}

/** Returns the planned number of matches of a schedule: its total, or the cap when that binds first. */
export function adaptiveMatchCount(schedule: AdaptiveSchedule): number {
  return Math.min(schedule.cap, schedule.levelMatches + schedule.finalMatches);
}

/**
 * Returns the most instructions the schedule's matches judge over an evaluation set of `instructions`:
 * each level's matches up to its `instructions` cap, the final's every instruction, in that order until
 * the match cap is used up. Early stopping only lowers it.
 */
export function adaptiveInstructionCount(schedule: AdaptiveSchedule, instructions: number): number {
  let left = schedule.cap;
  let total = 0;
  for (const level of schedule.levels) {
    const matches = Math.min(left, level.rounds * Math.floor(level.size / 2));
    total += matches * Math.min(level.instructions ?? instructions, instructions);
    left -= matches;
  }
  return total + Math.min(left, schedule.finalMatches) * instructions;
}
