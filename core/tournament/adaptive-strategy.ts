/**
 * The `adaptive` tournament: successive halving with Swiss pairing and a growing instruction budget
 * per match, a final among the last few ranked by strength over all the evidence, and sequential early
 * stopping inside every match.
 *
 * - Halving (Karnin, Koren and Somekh, "Almost optimal exploration in multi-armed bandits", ICML
 *   2013; Jamieson and Talwalkar, "Non-stochastic best arm identification and hyperparameter
 *   optimization", AISTATS 2016): the field plays a few rounds, the better three fifths by
 *   Bradley–Terry strength go on, and so on until five or fewer remain.
 * - Instruction budget per match (the default `growing` schedule, `adaptiveLevelShapes`): a
 *   first-level match judges 16 instructions, and each level doubles that, so every level costs about
 *   the same while the field shrinks. Most judge calls go to the contenders' long matches, few to
 *   configurations that are clearly worse. The judge activity starts each short match at its own
 *   instruction (`judgingPosition`), so a level's matches cover the whole evaluation set.
 * - Swiss pairing inside a level: the first round pairs at random (seeded), later rounds pair
 *   neighbours in strength who have not met, so close contenders meet each other, where a result
 *   says most about who is on top (the idea behind Chatbot Arena's active sampling; Chiang et al.,
 *   "Chatbot Arena", ICML 2024). Strength is a Bradley–Terry fit over every instruction judged so
 *   far, all levels and all entrants, so early losers still calibrate their opponents.
 * - Final: the survivors play every pair they have not played yet (stage `final`), and the winner is
 *   the finalist with the highest Bradley–Terry strength over every match of the tournament
 *   (`rankByStrength`), the rule the standings apply to an adaptive tournament's tiers, so the
 *   recorded best trial is this strategy's winner. Points over the four final matches each would
 *   throw away the hundreds of instructions the finalists played to get there.
 * - Early stopping: every pairing carries `earlyStop` for the judge activity, which stops a match
 *   once one side leads by a margin of decisive instructions (a sequential sign test / SPRT, see
 *   `sequential-test.ts`). Lopsided matches end after a few dozen instructions.
 *
 * `config.budget` caps the matches (`planAdaptiveSchedule` takes rounds away to fit). Every choice is
 * a pure function of the results of earlier rounds, sorted by match id, so a replayed or continued
 * workflow plans the same matches.
 */
import { z } from 'zod';
import { adaptiveStage } from './adaptive-stage.js';
import {
  adaptiveInstructionCount,
  adaptiveLevelShapes,
  adaptiveMatchCount,
  defaultAdaptiveSchedule,
  planAdaptiveSchedule,
  type AdaptiveLevelShape,
  type AdaptiveSchedule,
  type AdaptiveScheduleName,
  type AdaptiveScheduleOptions,
} from './adaptive-schedule.js';
import { fitBradleyTerry } from './fit-bradley-terry.js';
import { rankByStrength, toPairResult } from './rank-entrants.js';
import { roundRobinPairings, unplayed } from './round-robin-pairings.js';
import { hashSeed, seededRandom, seededShuffle } from './seeded-random.js';
import { defaultEarlyStopMargin, type SequentialTestOptions } from './sequential-test.js';
import type { MatchPairing, MatchSummary, NextMatches, PlanInput, StrategyConfig, TournamentStrategy } from './types.js';

const adaptiveOptions = z.strictObject({
  /**
   * Upper bound on matches; rounds are dropped to fit it. Without one the schedule alone sets the
   * count (`validate` prints it). Early stopping inside matches saves judge calls beyond that, so
   * the calls used are below matches x instructions x orders.
   */
  budget: z.int().min(1).optional(),
  /**
   * How the levels are shaped (`adaptiveLevelShapes`): `growing` (the default) starts with matches of
   * 16 instructions and doubles them at each level, keeping three fifths; `halving` judges every
   * instruction of every match and keeps half, as sweeps started before `growing` did.
   */
  schedule: z.enum(Object.keys(adaptiveLevelShapes) as [AdaptiveScheduleName, ...AdaptiveScheduleName[]]).default(defaultAdaptiveSchedule),
});

/** A validated `adaptive` tournament section. */
export type AdaptiveConfig = StrategyConfig<'adaptive', typeof adaptiveOptions>;

/**
 * The schedule options of a config. A tournament workflow's recorded input from before `schedule`
 * existed has none: it planned with `halving`, and its replays and continuations must plan the same.
 */
function scheduleOptions(config: AdaptiveConfig): AdaptiveScheduleOptions & { readonly schedule: AdaptiveScheduleName } {
  const recorded: Partial<AdaptiveConfig> = config;
  return { schedule: recorded.schedule ?? 'halving', ...(config.budget === undefined ? {} : { budget: config.budget }) };
}

/** The schedule of an adaptive tournament of `n` entrants under `config` (its budget and its `schedule`). */
export function adaptiveScheduleOf(n: number, config: AdaptiveConfig): AdaptiveSchedule {
  return planAdaptiveSchedule(n, scheduleOptions(config));
}

/**
 * Plans the adaptive tournament (see the file comment): levels of Swiss rounds, then a final among
 * the survivors. Each call replays the rounds from the results and returns the first round
 * with matches still to play.
 */
export function planAdaptive(input: PlanInput<AdaptiveConfig>): NextMatches {
  const entrants = [...input.blocks.flat()].sort();
  const schedule = adaptiveScheduleOf(entrants.length, input.config);
  const shape: AdaptiveLevelShape = adaptiveLevelShapes[scheduleOptions(input.config).schedule];
  const seedOrder = new Map(seededShuffle(entrants, seededRandom(hashSeed('adaptive', input.config.seed))).map((e, i) => [e, i]));
  const byId = new Map(input.results.map((r) => [r.id, r]));
  const earlyStop: SequentialTestOptions = { margin: defaultEarlyStopMargin };
  const played: MatchSummary[] = [];
  const met = new Set<string>();
  // Refit only when results were added: a call replays every round and sorts several fields per round.
  let fitted: { count: number; logits: Map<string, number> } | undefined;
  const strengthOrder = (field: readonly string[]): string[] => {
    if (fitted?.count !== played.length) {
      // Warm start from the previous fit: a round moves the strengths only a little.
      const options = fitted === undefined ? {} : { start: fitted.logits };
      fitted = { count: played.length, logits: fitBradleyTerry(entrants, played.map(toPairResult), options) };
    }
    const logits = fitted.logits;
    return [...field].sort((x, y) => (logits.get(y) ?? 0) - (logits.get(x) ?? 0) || (seedOrder.get(x) ?? 0) - (seedOrder.get(y) ?? 0));
  };
  // The winner as the standings rank it: a fresh fit over every match, as they make one.
  const strongest = (field: readonly string[]) => rankByStrength(field, fitBradleyTerry(entrants, played.map(toPairResult)))[0] ?? null;
  const leader = (field: readonly string[]) => (played.length === 0 ? null : (strengthOrder(field)[0] ?? null));

  let survivors = [...entrants];
  let round = 0;
  for (const level of schedule.levels) {
    for (let r = 0; r < level.rounds; r++) {
      round++;
      const remaining = schedule.cap - played.length;
      const ranked = played.length === 0 ? [...survivors].sort((x, y) => (seedOrder.get(x) ?? 0) - (seedOrder.get(y) ?? 0)) : strengthOrder(survivors);
      const stop = level.instructions === undefined ? earlyStop : { ...earlyStop, maxInstructions: level.instructions };
      const pairings = swissPairings(ranked, met, round, stop).slice(0, Math.max(0, remaining));
      const pending = unplayed(pairings, new Set(byId.keys()));
      if (pending.length > 0) return { pairings: pending, done: false, winner: leader(survivors) };
      record(pairings, byId, played, met);
      if (schedule.truncated && played.length >= schedule.cap) {
        return { pairings: [], done: true, winner: strongest(entrants) };
      }
    }
    survivors = strengthOrder(survivors).slice(0, shape.survivors(level.size));
  }

  const finalists = chooseFinalists(strengthOrder(entrants), survivors, met, schedule, played.length);
  const finalPairings: MatchPairing[] = roundRobinPairings([...finalists].sort(), {
    stage: 'final',
    round: round + 1,
    include: (a, b) => !met.has(pairKey(a, b)),
  }).map((p) => ({ ...p, earlyStop }));
  const pendingFinal = unplayed(finalPairings, new Set(byId.keys()));
  if (pendingFinal.length > 0) return { pairings: pendingFinal, done: false, winner: leader(finalists) };
  record(finalPairings, byId, played, met);
  // The standings rank the entrants of final matches first, by strength over every match (rankByStrength).
  const tier = finalPairings.length > 0 ? [...new Set(finalPairings.flatMap((p) => [p.a, p.b]))].sort() : entrants;
  return { pairings: [], done: true, winner: strongest(tier) };
}

/**
 * Counts the halving rounds (`adaptive`) and the final among the survivors (`final`) as
 * `planAdaptiveSchedule` fits them into the `budget` (a full round robin at most); the total never
 * exceeds the budget.
 */
export function adaptiveStageCounts(blockSizes: readonly number[], config: AdaptiveConfig): Record<string, number> {
  const n = blockSizes.reduce((sum, size) => sum + size, 0);
  const schedule = adaptiveScheduleOf(n, config);
  const total = adaptiveMatchCount(schedule);
  const adaptive = Math.min(schedule.levelMatches, total);
  return { [adaptiveStage]: adaptive, final: total - adaptive };
}

/** Instructions the adaptive tournament judges at most (`adaptiveInstructionCount`). */
export function adaptiveInstructionsJudged(blockSizes: readonly number[], config: AdaptiveConfig, instructions: number): number {
  const n = blockSizes.reduce((sum, size) => sum + size, 0);
  return adaptiveInstructionCount(adaptiveScheduleOf(n, config), instructions);
}

/** The adaptive tournament (see the file comment). */
export const adaptiveStrategy = {
  name: 'adaptive',
  description: 'successive halving with Swiss pairing and growing matches, a final ranked by strength over all matches, and early stopping',
  optionsSchema: adaptiveOptions,
  plan: planAdaptive,
  matchCount: adaptiveStageCounts,
  instructionsJudged: adaptiveInstructionsJudged,
} satisfies TournamentStrategy<AdaptiveConfig>;

/**
 * Pairs `ranked` (best first) Swiss-style: each unpaired entrant meets the best-placed unpaired one it
 * has not met. An entrant with no such opponent sits the round out: a rematch would repeat the same
 * judgments.
 */
function swissPairings(ranked: readonly string[], met: ReadonlySet<string>, round: number, earlyStop: SequentialTestOptions): MatchPairing[] {
  const unpaired = [...ranked];
  const out: MatchPairing[] = [];
  while (unpaired.length > 1) {
    const a = unpaired.shift() as string;
    const index = unpaired.findIndex((b) => !met.has(pairKey(a, b)));
    if (index < 0) continue;
    const [b] = unpaired.splice(index, 1) as [string];
    const [first, second] = a < b ? [a, b] : [b, a];
    out.push({ id: `${adaptiveStage}-${round}-${first}-${second}`, a: first, b: second, stage: adaptiveStage, block: null, round, earlyStop });
  }
  return out;
}

/**
 * Returns the finalists: the survivors, plus for any survivor who already met all the others the
 * strongest entrant it has not met, so that every finalist plays in the final (the standings find a
 * final's tier by its matches). Extra finalists, then the weakest survivors, are dropped while the
 * final would overrun the match cap.
 */
function chooseFinalists(
  byStrength: readonly string[],
  survivors: readonly string[],
  met: ReadonlySet<string>,
  schedule: AdaptiveSchedule,
  playedCount: number,
): string[] {
  const finalists = [...survivors];
  const added: string[] = [];
  for (let i = 0; i < finalists.length && finalists.length > 1; i++) {
    const f = finalists[i] as string;
    if (finalists.some((g) => g !== f && !met.has(pairKey(f, g)))) continue;
    const extra = byStrength.find((g) => !finalists.includes(g) && !met.has(pairKey(f, g)));
    if (extra === undefined) continue;
    finalists.push(extra);
    added.push(extra);
    i = -1;
  }
  const unmetPairs = (field: readonly string[]) => {
    let count = 0;
    for (let i = 0; i < field.length; i++) for (let j = i + 1; j < field.length; j++) if (!met.has(pairKey(field[i] as string, field[j] as string))) count++;
    return count;
  };
  let field = finalists;
  while (field.length > 1 && playedCount + unmetPairs(field) > schedule.cap) {
    const drop = added.pop() ?? field[field.length - 1];
    field = field.filter((f) => f !== drop);
  }
  return field;
}

function record(pairings: readonly MatchPairing[], byId: ReadonlyMap<string, MatchSummary>, played: MatchSummary[], met: Set<string>): void {
  for (const p of pairings) {
    const result = byId.get(p.id);
    if (result === undefined) continue;
    played.push(result);
    met.add(pairKey(p.a, p.b));
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
