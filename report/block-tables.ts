/**
 * Per-block tables of a tournament: each block's trials with their record in the block's own matches
 * (its first stage), whether they went on to a later stage, and their overall standing.
 *
 * Only the blocks strategy splits trials into several blocks and records the block on its `block`
 * stage matches; every other strategy puts all trials in block 0 and plays its first stage
 * (`round-robin`, `knockout`, `swiss`, `adaptive`) with no block on the matches. So a block's matches
 * are those of the first stage that carry its block or none.
 */
import { matchPoints } from '../core/tournament/match-outcome.js';
import type { ReportMatch, ReportStanding, ReportTrial } from './report-data.js';

/** One trial's row in its block's table. */
export interface BlockTableRow {
  readonly trialKey: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: string;
  /** Matches won, lost and drawn within the block (a match is won by winning more instructions). */
  readonly wins: number;
  readonly losses: number;
  readonly draws: number;
  /** Instruction-level win rate within the block; `null` before any block match finished. */
  readonly blockScore: number | null;
  /** Overall standing, `null` when the trial is not ranked. */
  readonly rank: number | null;
  readonly rating: number | null;
  /** Whether the trial advanced out of the block (played a later-stage match); always `false` without a later stage. */
  readonly advanced: boolean;
}

/** One block of one base model. */
export interface BlockTable {
  readonly baseModelId: string;
  readonly block: number;
  /** The stage the block's matches belong to (`block`, `round-robin`, ...); `null` before any match is planned. */
  readonly stage: string | null;
  /** Whether the base model's tournament has a stage after the block's (the blocks final, the adaptive final). */
  readonly hasLaterStage: boolean;
  readonly rows: readonly BlockTableRow[];
}

/** Builds one table per (base model, block), rows ordered by block score, then rating. */
export function computeBlockTables(trials: readonly ReportTrial[], matches: readonly ReportMatch[], standings: readonly ReportStanding[]): BlockTable[] {
  const standing = new Map(standings.map((s) => [`${s.baseModelId}\u0000${s.trialKey}`, s]));
  const tables: BlockTable[] = [];
  for (const { baseModelId, block, members } of groupByBlock(trials)) {
    const own = matches.filter((m) => m.baseModelId === baseModelId);
    const stage = firstStage(own);
    const blockMatches = own.filter((m) => m.stage === stage && (m.block === null || m.block === block));
    const later = own.filter((m) => m.stage !== stage);
    const advancedKeys = new Set(later.flatMap((m) => [m.a, m.b]));
    const rows = members.map((trial): BlockTableRow => {
      const s = standing.get(`${baseModelId}\u0000${trial.key}`);
      return {
        trialKey: trial.key,
        params: trial.params,
        status: trial.status,
        ...blockRecord(trial.key, blockMatches),
        rank: s?.rank ?? null,
        rating: s?.rating ?? null,
        advanced: advancedKeys.has(trial.key),
      };
    });
    rows.sort((x, y) => (y.blockScore ?? -1) - (x.blockScore ?? -1) || (y.rating ?? -Infinity) - (x.rating ?? -Infinity) || x.trialKey.localeCompare(y.trialKey));
    tables.push({ baseModelId, block, stage, hasLaterStage: later.length > 0, rows });
  }
  return tables.sort((a, b) => a.baseModelId.localeCompare(b.baseModelId) || a.block - b.block);
}

function groupByBlock(trials: readonly ReportTrial[]): { baseModelId: string; block: number; members: ReportTrial[] }[] {
  const groups = new Map<string, { baseModelId: string; block: number; members: ReportTrial[] }>();
  for (const trial of trials) {
    if (trial.block === null) continue;
    const key = `${trial.baseModelId}\u0000${trial.block}`;
    const group = groups.get(key) ?? { baseModelId: trial.baseModelId, block: trial.block, members: [] };
    group.members.push(trial);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The stage of the earliest round: every strategy plays its blocks (or its only stage) first. */
function firstStage(matches: readonly ReportMatch[]): string | null {
  let first: ReportMatch | null = null;
  for (const m of matches) if (first === null || m.round < first.round) first = m;
  return first?.stage ?? null;
}

/** A trial's match record and instruction win rate over `matches` (unplayed ones count for nothing). */
function blockRecord(trialKey: string, matches: readonly ReportMatch[]): Pick<BlockTableRow, 'wins' | 'losses' | 'draws' | 'blockScore'> {
  let wins = 0;
  let losses = 0;
  let draws = 0;
  let points = 0;
  let games = 0;
  for (const m of matches) {
    const isA = m.a === trialKey;
    if (!isA && m.b !== trialKey) continue;
    if (m.aWins + m.bWins + m.ties === 0) continue;
    const got = isA ? matchPoints(m).a : matchPoints(m).b;
    if (got === 1) wins += 1;
    else if (got === 0) losses += 1;
    else draws += 1;
    points += (isA ? m.aWins : m.bWins) + m.ties / 2;
    games += m.aWins + m.bWins + m.ties;
  }
  return { wins, losses, draws, blockScore: games === 0 ? null : points / games };
}
