/**
 * Ranking the models of PandaLM's test set from pairwise verdicts, with the tournament's own standings
 * code: what `pandasweep rank` prints, and what the judge-eval tests compare. Pure.
 */
import { z } from 'zod';
import type { Verdict } from '../judging/judge-types.js';
import { computeStandings, type Standing } from '../tournament/standings.js';
import type { MatchRecord } from '../tournament/types.js';
import { testsetItemSchema } from './judge-eval-files.js';

/** A test-set item with the two models it compares: `cmp_key` is `modelA_modelB`, response 1 is modelA's. */
export const rankItemSchema = testsetItemSchema.extend({
  cmp_key: z.string().regex(/^[^_]+_[^_]+$/, 'expected "modelA_modelB"'),
});
export const rankTestsetSchema = z.array(rankItemSchema).min(1);
export type RankItem = z.infer<typeof rankItemSchema>;

/** One model pair's record (instruction level). */
export interface RankPair {
  readonly a: string;
  readonly b: string;
  readonly aWins: number;
  readonly bWins: number;
  readonly ties: number;
}

/** One model's standing; `wins`/`losses`/`ties` count judged items, `match*` count model pairs won. */
export interface RankStanding {
  readonly model: string;
  readonly rank: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  readonly score: number;
  readonly rating: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly matchWins: number;
  readonly matchLosses: number;
  readonly matchTies: number;
  readonly points: number;
}

/** What `rank --json` prints. */
export interface RankReport {
  /** `human` (majority of the three annotators) or the predictions file. */
  readonly source: string;
  /** Items ranked: the test set's, or those the predictions file covers. */
  readonly items: number;
  /** Items in the test set. */
  readonly testsetItems: number;
  readonly pairs: RankPair[];
  readonly standings: RankStanding[];
}

/**
 * Ranks the models of PandaLM's test set from pairwise verdicts (one per item, `verdicts` keyed by
 * `idx`): each model pair is one match, each item one instruction, and the tournament's standings code
 * does the rest (points, head-to-head, Bradley–Terry with bootstrap intervals over instructions).
 */
export function rankModels(items: readonly RankItem[], verdicts: ReadonlyMap<number, Verdict>, options: { seed: number; bootstrap: number }): Omit<RankReport, 'source' | 'testsetItems'> {
  const matches = new Map<string, { a: string; b: string; aWins: number; bWins: number; ties: number; perInstruction: { instructionId: string; scoreA: number }[] }>();
  for (const item of items) {
    const [a, b] = item.cmp_key.split('_') as [string, string];
    const verdict = verdicts.get(item.idx) ?? 0;
    const match = matches.get(item.cmp_key) ?? { a, b, aWins: 0, bWins: 0, ties: 0, perInstruction: [] };
    if (verdict === 1) match.aWins++;
    else if (verdict === 2) match.bWins++;
    else match.ties++;
    // Items sharing an instruction resample together: the bootstrap draws instructions, not items.
    match.perInstruction.push({ instructionId: JSON.stringify([item.instruction, item.input]), scoreA: verdict === 1 ? 1 : verdict === 2 ? 0 : 0.5 });
    matches.set(item.cmp_key, match);
  }
  const records: MatchRecord[] = [...matches].map(([id, m]) => ({ id, stage: 'round-robin', block: null, ...m }));
  const models = [...new Set(records.flatMap((m) => [m.a, m.b]))].sort();
  const { standings } = computeStandings({ entrants: models, matches: records, ...options });
  return {
    items: items.length,
    pairs: records.map(({ a, b, aWins, bWins, ties }) => ({ a, b, aWins, bWins, ties })),
    standings: standings.map(toRankStanding),
  };
}

function toRankStanding(s: Standing): RankStanding {
  return {
    model: s.trial, rank: s.rank,
    wins: s.instructionWins, losses: s.instructionLosses, ties: s.instructionTies,
    score: s.score, rating: s.rating, ciLow: s.ciLow, ciHigh: s.ciHigh,
    matchWins: s.wins, matchLosses: s.losses, matchTies: s.ties, points: s.points,
  };
}
