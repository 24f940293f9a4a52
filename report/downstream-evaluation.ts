/**
 * The downstream evaluation per base model, as every view shows it: the evaluated trials side by side
 * (by tournament rank, the baseline last) with their results, and why an evaluation failed. Pure.
 */
import type { ReportEvaluation, ReportStanding, ReportTrial } from './report-data.js';

/** One evaluated trial in its base model's comparison. */
export interface EvaluatedTrial extends ReportEvaluation {
  /** `#1`, `#2`, … by tournament rank, `baseline` for the baseline outside the top (`#3 baseline` inside it). */
  readonly role: string;
}

/** One base model's evaluated trials and the metric names any of them reported. */
export interface BaseModelEvaluation {
  readonly baseModelId: string;
  readonly trials: readonly EvaluatedTrial[];
  /** Sorted. */
  readonly metricNames: readonly string[];
}

/** What `downstreamEvaluations` reads. */
export interface DownstreamEvaluationInput {
  readonly evaluations: readonly ReportEvaluation[];
  readonly standings: readonly Pick<ReportStanding, 'baseModelId' | 'trialKey' | 'rank'>[];
  readonly trials: readonly Pick<ReportTrial, 'key' | 'isBaseline'>[];
}

/** Groups the evaluations by base model, trials in rank order with the baseline last. */
export function downstreamEvaluations({ evaluations, standings, trials }: DownstreamEvaluationInput): BaseModelEvaluation[] {
  const rankOf = new Map(standings.map((s) => [`${s.baseModelId}/${s.trialKey}`, s.rank]));
  const baselines = new Set(trials.filter((t) => t.isBaseline).map((t) => t.key));
  const byBase = new Map<string, ReportEvaluation[]>();
  for (const e of evaluations) byBase.set(e.baseModelId, [...(byBase.get(e.baseModelId) ?? []), e]);
  return [...byBase]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([baseModelId, own]) => {
      const rank = (e: ReportEvaluation) => rankOf.get(`${baseModelId}/${e.trialKey}`) ?? Infinity;
      const baselineLast = (e: ReportEvaluation) => (baselines.has(e.trialKey) ? 1 : 0);
      const sorted = [...own].sort((x, y) => baselineLast(x) - baselineLast(y) || rank(x) - rank(y) || x.trialKey.localeCompare(y.trialKey));
      const role = (e: ReportEvaluation): string => {
        const r = rank(e);
        const place = Number.isFinite(r) ? `#${r}` : '';
        return baselines.has(e.trialKey) ? `${place === '' ? '' : `${place} `}baseline` : place || 'unranked';
      };
      return {
        baseModelId,
        trials: sorted.map((e) => ({ ...e, role: role(e) })),
        metricNames: [...new Set(own.flatMap((e) => Object.keys(e.metrics)))].sort(),
      };
    });
}

/**
 * The comparison as terminal lines: one column per trial (`#1 f2a09a50`), one row per metric, then a
 * line per evaluation that is not done. Cells are cut so that no line is longer than `width`.
 */
export function renderEvaluationTable(evaluation: BaseModelEvaluation, width: number): string[] {
  const columns = evaluation.trials.map((t) => `${t.role} ${t.trialKey.slice(0, 8)}`);
  const nameWidth = Math.min(Math.max(6, ...evaluation.metricNames.map((n) => n.length)), Math.max(6, width - columns.length * 12));
  const cell = (text: string, w: number) => text.padStart(w);
  const widths = columns.map((c) => Math.max(10, c.length));
  const line = (name: string, cells: string[]) => cut(`  ${cut(name, nameWidth).padEnd(nameWidth)}  ${cells.map((c, i) => cell(c, widths[i]!)).join('  ')}`.trimEnd(), width);
  const out = [cut(`Downstream evaluation (${evaluation.baseModelId}):`, width)];
  if (evaluation.metricNames.length > 0) {
    out.push(line('metric', columns));
    for (const name of evaluation.metricNames) out.push(line(name, evaluation.trials.map((t) => formatMetric(t.metrics[name]))));
  }
  for (const t of evaluation.trials) {
    if (t.status === 'done') continue;
    out.push(cut(`  ${t.role} ${t.trialKey.slice(0, 8)}: ${t.status === 'failed' ? `evaluation failed: ${firstLine(t.error ?? '')}` : `evaluation ${t.status}`}`, width));
  }
  return out;
}

/** A metric value with four significant decimals, `–` when the trial did not report it. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined) return '–';
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(value) : value.toFixed(4);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
