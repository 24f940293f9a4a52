/**
 * Which matches one judge activity judges together. Judging a block's round robin as one group lets the
 * activity order all its judgments by prompt prefix (instruction, then the response shown first), so a
 * judge that caches prefixes evaluates each trial's response as "Response 1" once per instruction
 * instead of once per opponent (bench/judge.bench.ts counts the prompt tokens this saves).
 */
import { hashSeed } from './seeded-random.js';
import type { MatchPairing } from './types.js';

/** The most matches in one group: a 16-trial round robin, the PandaLM paper's block. */
export const maxMatchesPerJudgingGroup = 120;

/**
 * Splits `pairings` into judging groups, in order: pairings of the same stage and block, at most
 * {@link maxMatchesPerJudgingGroup} each. A pairing with an early stop (the adaptive strategy's) is a group
 * of its own: its match must be able to stop between write batches without waiting for others.
 */
export function judgingGroups(pairings: readonly MatchPairing[]): MatchPairing[][] {
  const groups: MatchPairing[][] = [];
  const open = new Map<string, MatchPairing[]>();
  for (const pairing of pairings) {
    if (pairing.earlyStop !== undefined) {
      groups.push([pairing]);
      continue;
    }
    const key = `${pairing.stage}/${pairing.block ?? ''}`;
    let group = open.get(key);
    if (group === undefined || group.length >= maxMatchesPerJudgingGroup) {
      group = [];
      open.set(key, group);
      groups.push(group);
    }
    group.push(pairing);
  }
  return groups;
}

/** What the judging order of a group's judgment depends on. */
export interface PrefixOrderKey {
  /** The instruction's position in the evaluation set. */
  readonly instruction: number;
  /** The trials shown as response 1 and response 2. */
  readonly first: string;
  readonly second: string;
}

/**
 * Orders a group's judgments so that consecutive prompts share the longest prefixes: by instruction, then
 * the trial shown first (its response is "Response 1"), then the one shown second.
 */
export function inPrefixOrder<T extends PrefixOrderKey>(judgments: readonly T[]): T[] {
  return [...judgments].sort((x, y) => x.instruction - y.instruction || x.first.localeCompare(y.first) || x.second.localeCompare(y.second));
}

/**
 * Where the instruction at `index` of `count` comes in a match's judging order. A match capped at a few
 * instructions (`earlyStop.maxInstructions`: the adaptive strategy's short matches) starts at an offset
 * hashed from its id and wraps around, so a level's short matches together cover the whole evaluation
 * set instead of all judging its first instructions; every other match judges in the set's order.
 */
export function judgingPosition(pairing: Pick<MatchPairing, 'id' | 'earlyStop'>, index: number, count: number): number {
  if (pairing.earlyStop?.maxInstructions === undefined || count === 0) return index;
  const offset = hashSeed('judging-order', pairing.id) % count;
  return (index - offset + count) % count;
}
