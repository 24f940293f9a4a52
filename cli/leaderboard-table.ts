/**
 * The leaderboard as stored in the database, rendered for a terminal (fixed width), as Markdown, or
 * as a JSON document. Reading is separate from rendering so the renderers are pure.
 */
import { shortEntrantLabel } from '../core/ids/checkpoint-keys.js';
import { formatParamsForDisplay } from '../core/sweep/format-param-value.js';
import { describeEarlyTermination, summarizeEarlyTermination, type EarlyTerminationSummary } from '../report/early-termination-summary.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { wrapHanging, wrapText } from './wrap-text.js';
import { groupFailuresByCause, trialFailure, type TrialFailure } from '../report/failure-causes.js';
import { downstreamEvaluations, formatMetric, renderEvaluationTable, type BaseModelEvaluation } from '../report/downstream-evaluation.js';
import { readBestTrials, readConfirmations, readEvaluations, readStandings, readSweep, readTrials, type StandingRecord } from '../report/read-sweep.js';
import { describeSecondOpinions, describeTunedVsDefault, tunedVsDefault, tunedVsDefaultToJson, type TunedVsDefault, type TunedVsDefaultJson } from '../report/tuned-vs-default.js';
import { SweepNotFoundError } from '../report/sweep-not-found-error.js';

/** One leaderboard row: a standing (without its match count) and what the table shows of its trial. */
export interface LeaderboardRow extends Omit<StandingRecord, 'matches'> {
  readonly block: number | null;
  readonly isBaseline: boolean;
  readonly params: Record<string, unknown>;
  readonly checkpointPath: string | null;
}

/** A sweep's leaderboard as stored: standings per base model, the best trials, and trial details. */
export interface Leaderboard {
  readonly sweepId: string;
  readonly status: string;
  readonly rows: readonly LeaderboardRow[];
  readonly best: readonly { readonly baseModelId: string; readonly trialKey: string; readonly epoch: number | null; readonly checkpointPath: string | null }[];
  readonly trials: ReadonlyMap<string, { readonly params: Record<string, unknown>; readonly status: string; readonly failureType: string | null; readonly failureMessage?: string | null }>;
  /** Tuned vs default per base model. */
  readonly tunedVsDefault: readonly TunedVsDefault[];
  /** The `evaluate` job's results per base model (only base models with evaluated trials). */
  readonly evaluations: readonly BaseModelEvaluation[];
  /** Early termination per base model (only early-terminated ones). */
  readonly earlyTermination: readonly EarlyTerminationSummary[];
}

/** Options of `readLeaderboard`. */
export interface ReadLeaderboardOptions {
  /** Throw `SweepNotFoundError` when the sweep is not in the database (else an empty board with status `unknown`). Defaults to `false`. */
  readonly requireSweep?: boolean;
}

/** Reads a sweep's leaderboard from the database only (works after every worker is gone). */
export async function readLeaderboard(prisma: PrismaClient, sweepId: string, options: ReadLeaderboardOptions = {}): Promise<Leaderboard> {
  const [sweep, standings, best, trials, confirmations, evaluations] = await Promise.all([
    readSweep(prisma, sweepId),
    readStandings(prisma, sweepId),
    readBestTrials(prisma, sweepId),
    readTrials(prisma, sweepId),
    readConfirmations(prisma, sweepId),
    readEvaluations(prisma, sweepId),
  ]);
  if (sweep === null && options.requireSweep === true) throw await SweepNotFoundError.create(prisma, sweepId);
  const trialOf = new Map(trials.map((t) => [t.key, t]));
  return {
    sweepId,
    status: sweep?.status ?? 'unknown',
    rows: standings.flatMap((s) => {
      // A standing's trial is always there (foreign key); a row is never shown without it.
      const trial = trialOf.get(s.trialKey);
      if (trial === undefined) return [];
      const { matches: _matches, ...standing } = s;
      // A checkpoint of an early-terminated trial has its own folder.
      const checkpointPath = s.epoch === null ? trial.checkpointPath : (trial.earlyTermination?.checkpoints.find((c) => c.epoch === s.epoch)?.path ?? null);
      return [{ ...standing, block: trial.block, isBaseline: trial.isBaseline, params: trial.params, checkpointPath }];
    }),
    best,
    trials: new Map(trials.map((t) => [t.key, { params: t.params, status: t.status, failureType: t.failureType, failureMessage: t.failureMessage }])),
    tunedVsDefault: tunedVsDefault({ trials, best, confirmations }),
    evaluations: downstreamEvaluations({ evaluations, standings, trials }),
    earlyTermination: summarizeEarlyTermination(trials),
  };
}

/** Options for `renderLeaderboard`. */
export interface RenderLeaderboardOptions {
  /** Terminal width in columns; no output line is longer. Defaults to `100`. */
  readonly width?: number;
}

/**
 * Renders the leaderboard as plain-text tables, one per base model, no line wider than `width`: the
 * parameter column is shortened to fit and free text is wrapped.
 */
export function renderLeaderboard(board: Leaderboard, options: RenderLeaderboardOptions = {}): string {
  const width = options.width ?? 100;
  const out: string[] = [];
  for (const [baseModelId, rows] of groupByBase(board.rows)) {
    out.push('', truncate(`Leaderboard — ${board.sweepId} / ${baseModelId}`, width));
    // Only the parameters that tell trials apart fit a terminal; the shared ones go below the table.
    const { varying, shared } = splitParams(rows.map((r) => r.params));
    const header = ['#', 'trial', 'blk', 'rating', '95% CI', 'W-L-T', 'score', 'params'];
    const body = rows.map((r) => [
      String(r.rank),
      shortEntrantLabel(r.entrant) + (r.isBaseline ? '*' : ''),
      r.block === null ? '-' : String(r.block),
      r.rating.toFixed(0),
      `${r.ciLow.toFixed(0)}..${r.ciHigh.toFixed(0)}`,
      `${r.wins}-${r.losses}-${r.ties}`,
      r.score.toFixed(3),
      formatParamsForDisplay(Object.fromEntries(Object.entries(r.params).filter(([name]) => varying.has(name))), ' '),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
    const fixed = widths.slice(0, -1).reduce((a, b) => a + b + 2, 0);
    widths[widths.length - 1] = Math.max(6, Math.min(widths.at(-1)!, width - fixed));
    const rightAligned = new Set([0, 3, 4, 5, 6]);
    const line = (cells: string[]): string =>
      truncate(
        cells
          .map((c, i) => (i === cells.length - 1 ? truncate(c, widths[i]!) : rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
          .join('  ')
          .trimEnd(),
        width,
      );
    out.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line));
    if (rows.some((r) => r.isBaseline)) out.push('* baseline configuration');
    if (Object.keys(shared).length > 0) out.push(...wrapText(`Same in every trial: ${formatParamsForDisplay(shared, ' ')}`, width));
    const best = board.best.find((b) => b.baseModelId === baseModelId);
    if (best) out.push(...wrapText(`Best: ${best.trialKey}${best.epoch === null ? '' : ` at epoch ${best.epoch}`}  checkpoint ${best.checkpointPath ?? '(none recorded)'}`, width));
    const early = board.earlyTermination.find((e) => e.baseModelId === baseModelId);
    if (early) out.push(...describeEarlyTermination(early, { finished: board.status !== 'running' }).flatMap((line) => wrapText(line, width)));
    const confirmed = board.tunedVsDefault.find((t) => t.baseModelId === baseModelId);
    if (confirmed) out.push(...[describeTunedVsDefault(confirmed), ...describeSecondOpinions(confirmed)].flatMap((line) => wrapText(line, width)));
    const evaluated = board.evaluations.find((e) => e.baseModelId === baseModelId);
    if (evaluated) out.push(...renderEvaluationTable(evaluated, width));
  }
  if (board.rows.length === 0) out.push(`No standings recorded for sweep ${board.sweepId} (status: ${board.status}).`);
  const failed = failedTrials(board);
  if (failed.length > 0) {
    out.push('', ...wrapText(`${failed.length} trial(s) failed and were left out: ${failed.map((f) => `${f.trialKey.slice(0, 8)} (${f.failureType})`).join(', ')}`, width));
    for (const group of groupFailuresByCause(failed)) {
      const who = group.failures.length === 1 ? group.failures[0]!.trialKey.slice(0, 8) : `${group.failures.length} trials`;
      out.push(...wrapHanging(`  ${who}  ${group.failureType}: ${group.cause}`, width, 4));
    }
  }
  return `${out.join('\n')}\n`;
}

/** Renders the leaderboard as Markdown: one heading and table per base model, full keys and parameters. */
export function renderLeaderboardMarkdown(board: Leaderboard): string {
  const out: string[] = [`# Leaderboard — ${escapeCell(board.sweepId)}`, '', `Status: ${escapeCell(board.status)}`];
  for (const [baseModelId, rows] of groupByBase(board.rows)) {
    out.push('', `## ${escapeCell(baseModelId)}`, '');
    const best = board.best.find((b) => b.baseModelId === baseModelId);
    if (best) out.push(`Best: \`${best.trialKey}\`${best.epoch === null ? '' : ` at epoch ${best.epoch}`} — checkpoint \`${best.checkpointPath ?? '(none recorded)'}\``, '');
    const early = board.earlyTermination.find((e) => e.baseModelId === baseModelId);
    if (early) out.push(...describeEarlyTermination(early, { finished: board.status !== 'running' }).map((line) => escapeCell(line.trim())), '');
    const confirmed = board.tunedVsDefault.find((t) => t.baseModelId === baseModelId);
    if (confirmed) out.push(...[describeTunedVsDefault(confirmed), ...describeSecondOpinions(confirmed).map((line) => `- ${line}`)].map(escapeCell), '');
    const evaluated = board.evaluations.find((e) => e.baseModelId === baseModelId);
    if (evaluated && evaluated.metricNames.length > 0) {
      out.push(
        `| downstream metric | ${evaluated.trials.map((t) => `${escapeCell(t.role)} \`${t.trialKey}\``).join(' | ')} |`,
        `|---|${evaluated.trials.map(() => '--:').join('|')}|`,
        ...evaluated.metricNames.map((name) => `| ${escapeCell(name)} | ${evaluated.trials.map((t) => formatMetric(t.metrics[name])).join(' | ')} |`),
        '',
      );
    }
    out.push('| # | trial | block | rating | 95% CI | W-L-T | score | params |', '|--:|---|--:|--:|--:|--:|--:|---|');
    for (const r of rows) {
      out.push(
        `| ${r.rank} | \`${r.entrant}\`${r.isBaseline ? ' (baseline)' : ''} | ${r.block ?? '–'} | ${r.rating.toFixed(0)} | ${r.ciLow.toFixed(0)}–${r.ciHigh.toFixed(0)} | ` +
          `${r.wins}-${r.losses}-${r.ties} | ${r.score.toFixed(3)} | ${escapeCell(formatParamsForDisplay(r.params, ', '))} |`,
      );
    }
  }
  const failed = failedTrials(board);
  if (failed.length > 0) out.push('', `Failed trials (left out): ${failed.map((f) => `\`${f.trialKey}\` (${escapeCell(f.failureType)})`).join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** The `--json` document of `pandasweep leaderboard`. */
export interface LeaderboardJson {
  readonly sweepId: string;
  readonly status: string;
  readonly baseModels: {
    readonly id: string;
    readonly best: { readonly trialKey: string; readonly epoch: number | null; readonly checkpointPath: string | null } | null;
    /** Early termination's rungs and epochs, `null` for a base model trained without it. */
    readonly earlyTermination: EarlyTerminationSummary | null;
    readonly rows: readonly LeaderboardRow[];
    readonly tunedVsDefault: TunedVsDefaultJson | null;
    /** The `evaluate` job's results, trials in rank order with the baseline last; `null` without evaluations. */
    readonly evaluation: BaseModelEvaluation | null;
  }[];
  readonly failed: readonly TrialFailure[];
}

/** Converts the leaderboard into its JSON document (maps become arrays). */
export function leaderboardToJson(board: Leaderboard): LeaderboardJson {
  const bases = new Set([...board.rows.map((r) => r.baseModelId), ...board.best.map((b) => b.baseModelId)]);
  return {
    sweepId: board.sweepId,
    status: board.status,
    baseModels: [...bases].sort().map((id) => {
      const best = board.best.find((b) => b.baseModelId === id);
      const confirmed = board.tunedVsDefault.find((t) => t.baseModelId === id);
      return {
        id,
        best: best ? { trialKey: best.trialKey, epoch: best.epoch, checkpointPath: best.checkpointPath } : null,
        earlyTermination: board.earlyTermination.find((e) => e.baseModelId === id) ?? null,
        rows: board.rows.filter((r) => r.baseModelId === id),
        tunedVsDefault: confirmed === undefined ? null : tunedVsDefaultToJson(confirmed),
        evaluation: board.evaluations.find((e) => e.baseModelId === id) ?? null,
      };
    }),
    failed: failedTrials(board),
  };
}

function groupByBase(rows: readonly LeaderboardRow[]): Map<string, LeaderboardRow[]> {
  const byBase = new Map<string, LeaderboardRow[]>();
  for (const row of rows) byBase.set(row.baseModelId, [...(byBase.get(row.baseModelId) ?? []), row]);
  return byBase;
}

function failedTrials(board: Leaderboard): TrialFailure[] {
  return [...board.trials]
    .filter(([, t]) => t.status === 'failed')
    .map(([key, t]) => trialFailure({ key, failureType: t.failureType, failureMessage: t.failureMessage ?? null }));
}

/** Splits parameter names into those whose values differ between trials and the values all trials share. */
function splitParams(all: readonly Record<string, unknown>[]): { varying: Set<string>; shared: Record<string, unknown> } {
  const names = new Set(all.flatMap((params) => Object.keys(params)));
  const varying = new Set<string>();
  const shared: Record<string, unknown> = {};
  for (const name of names) {
    const values = new Set(all.map((params) => JSON.stringify(params[name] ?? null)));
    if (values.size > 1 || all.length === 1) varying.add(name);
    else shared[name] = all[0]?.[name];
  }
  return { varying, shared };
}


function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
