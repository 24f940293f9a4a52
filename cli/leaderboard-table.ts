import type { PrismaClient } from '../generated/prisma/client.js';

/** One leaderboard row. */
export interface LeaderboardRow {
  readonly baseModelId: string;
  readonly trialKey: string;
  readonly rank: number;
  readonly block: number | null;
  readonly isBaseline: boolean;
  readonly params: Record<string, unknown>;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  readonly points: number;
  readonly score: number;
  readonly rating: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly checkpointPath: string | null;
}

/** A sweep's leaderboard as stored: standings per base model, the best trials, and trial details. */
export interface Leaderboard {
  readonly sweepId: string;
  readonly status: string;
  readonly rows: readonly LeaderboardRow[];
  readonly best: readonly { readonly baseModelId: string; readonly trialKey: string; readonly checkpointPath: string | null }[];
  readonly trials: ReadonlyMap<string, { readonly params: Record<string, unknown>; readonly status: string; readonly failureType: string | null }>;
}

/** Reads a sweep's leaderboard from the database only (works after every worker is gone). */
export async function readLeaderboard(prisma: PrismaClient, sweepId: string): Promise<Leaderboard> {
  const [sweep, standings, best, trials] = await Promise.all([
    prisma.sweep.findUnique({ where: { id: sweepId } }),
    prisma.standing.findMany({ where: { sweepId }, include: { trial: true }, orderBy: [{ baseModelId: 'asc' }, { rank: 'asc' }] }),
    prisma.bestTrial.findMany({ where: { sweepId } }),
    prisma.trial.findMany({ where: { sweepId }, select: { key: true, params: true, status: true, failureType: true } }),
  ]);
  const prefix = `${sweepId}/`;
  return {
    sweepId,
    status: sweep?.status ?? 'unknown',
    rows: standings.map((s) => ({
      baseModelId: s.baseModelId,
      trialKey: s.trial.key,
      rank: s.rank,
      block: s.trial.block,
      isBaseline: s.trial.isBaseline,
      params: (s.trial.params ?? {}) as Record<string, unknown>,
      wins: s.wins,
      losses: s.losses,
      ties: s.ties,
      points: s.points,
      score: s.score,
      rating: s.rating,
      ciLow: s.ciLow,
      ciHigh: s.ciHigh,
      checkpointPath: s.trial.checkpointPath,
    })),
    best: best.map((b) => ({ baseModelId: b.baseModelId, trialKey: b.trialId.slice(prefix.length), checkpointPath: b.checkpointPath })),
    trials: new Map(trials.map((t) => [t.key, { params: (t.params ?? {}) as Record<string, unknown>, status: t.status, failureType: t.failureType }])),
  };
}

/** Options for `renderLeaderboard`. */
export interface RenderLeaderboardOptions {
  /** Terminal width in columns. Defaults to `100`. */
  readonly width?: number;
}

/** Renders the leaderboard as plain-text tables, one per base model, no wider than `width`. */
export function renderLeaderboard(board: Leaderboard, options: RenderLeaderboardOptions = {}): string {
  const width = options.width ?? 100;
  const out: string[] = [];
  const byBase = new Map<string, LeaderboardRow[]>();
  for (const row of board.rows) byBase.set(row.baseModelId, [...(byBase.get(row.baseModelId) ?? []), row]);
  for (const [baseModelId, rows] of byBase) {
    out.push(`\nLeaderboard — ${board.sweepId} / ${baseModelId}`);
    const header = ['#', 'trial', 'blk', 'rating', '95% CI', 'W-L-T', 'score', 'params'];
    const body = rows.map((r) => [
      String(r.rank),
      r.trialKey.slice(0, 8) + (r.isBaseline ? '*' : ''),
      r.block === null ? '-' : String(r.block),
      r.rating.toFixed(0),
      `${r.ciLow.toFixed(0)}..${r.ciHigh.toFixed(0)}`,
      `${r.wins}-${r.losses}-${r.ties}`,
      r.score.toFixed(3),
      formatParams(r.params),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
    const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 0);
    widths[widths.length - 1] = Math.max(10, Math.min(widths.at(-1)!, width - fixed));
    const line = (cells: string[]): string =>
      cells.map((c, i) => (i === cells.length - 1 ? truncate(c, widths[i]!) : i === 0 || i >= 3 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line));
    if (rows.some((r) => r.isBaseline)) out.push('* baseline configuration');
  }
  const failed = [...board.trials].filter(([, t]) => t.status === 'failed');
  if (failed.length > 0) out.push(`\n${failed.length} trial(s) failed and were left out: ${failed.map(([k, t]) => `${k.slice(0, 8)} (${t.failureType ?? 'failed'})`).join(', ')}`);
  return `${out.join('\n')}\n`;
}

function formatParams(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
