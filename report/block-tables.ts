/**
 * Per-block tables of a blocks tournament: each block's trials with their record in that block's
 * matches, and their overall standing.
 */
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
  /** Whether the trial advanced out of the block (played a later-stage match). */
  readonly advanced: boolean;
}

/** One block of one base model. */
export interface BlockTable {
  readonly baseModelId: string;
  readonly block: number;
  readonly rows: readonly BlockTableRow[];
}

/** Builds one table per (base model, block), rows ordered by block score, then rating. */
export function computeBlockTables(trials: readonly ReportTrial[], matches: readonly ReportMatch[], standings: readonly ReportStanding[]): BlockTable[] {
  const standing = new Map(standings.map((s) => [`${s.baseModelId}\u0000${s.trialKey}`, s]));
  const groups = new Map<string, { baseModelId: string; block: number; trials: ReportTrial[] }>();
  for (const trial of trials) {
    if (trial.block === null) continue;
    const key = `${trial.baseModelId}\u0000${trial.block}`;
    const group = groups.get(key) ?? { baseModelId: trial.baseModelId, block: trial.block, trials: [] };
    group.trials.push(trial);
    groups.set(key, group);
  }
  const tables: BlockTable[] = [];
  for (const { baseModelId, block, trials: members } of groups.values()) {
    const blockMatches = matches.filter((m) => m.baseModelId === baseModelId && m.stage === 'block' && m.block === block);
    const laterStage = new Set(matches.filter((m) => m.baseModelId === baseModelId && m.stage !== 'block').flatMap((m) => [m.a, m.b]));
    const rows = members.map((trial): BlockTableRow => {
      let wins = 0;
      let losses = 0;
      let draws = 0;
      let points = 0;
      let games = 0;
      for (const m of blockMatches) {
        const isA = m.a === trial.key;
        if (!isA && m.b !== trial.key) continue;
        const own = isA ? m.aWins : m.bWins;
        const other = isA ? m.bWins : m.aWins;
        if (own + other + m.ties === 0) continue;
        if (own > other) wins += 1;
        else if (own < other) losses += 1;
        else draws += 1;
        points += own + m.ties / 2;
        games += own + other + m.ties;
      }
      const s = standing.get(`${baseModelId}\u0000${trial.key}`);
      return {
        trialKey: trial.key,
        params: trial.params,
        status: trial.status,
        wins,
        losses,
        draws,
        blockScore: games === 0 ? null : points / games,
        rank: s?.rank ?? null,
        rating: s?.rating ?? null,
        advanced: laterStage.has(trial.key),
      };
    });
    rows.sort((x, y) => (y.blockScore ?? -1) - (x.blockScore ?? -1) || (y.rating ?? -Infinity) - (x.rating ?? -Infinity) || x.trialKey.localeCompare(y.trialKey));
    tables.push({ baseModelId, block, rows });
  }
  return tables.sort((a, b) => a.baseModelId.localeCompare(b.baseModelId) || a.block - b.block);
}
