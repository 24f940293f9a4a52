/**
 * The report's "Downstream evaluation" section: per base model, the `evaluate` job's results for its best
 * trials and the baseline side by side (the PandaLM paper's lm-eval comparison), and why any failed.
 */
import { escapeHtml } from '../escape-html.js';
import { downstreamEvaluations, formatMetric } from '../downstream-evaluation.js';
import type { ReportView } from '../report-view.js';
import { renderSection as section, renderTable as table } from './render-section.js';

/** Renders the section; empty when the sweep has no `evaluate` job. */
export function renderEvaluationSection(view: ReportView): string {
  const { data } = view;
  const evaluations = downstreamEvaluations({ evaluations: data.evaluations, standings: data.standings, trials: data.trials });
  if (evaluations.length === 0) return '';
  const parts = evaluations.map((e) => {
    const best = (name: string): number => Math.max(...e.trials.map((t) => t.metrics[name] ?? -Infinity));
    const rows = e.metricNames.map(
      (name) =>
        `<tr><td><code>${escapeHtml(name)}</code></td>${e.trials
          .map((t) => `<td class="num${t.metrics[name] !== undefined && t.metrics[name] === best(name) && e.trials.length > 1 ? ' top' : ''}">${formatMetric(t.metrics[name])}</td>`)
          .join('')}</tr>`,
    );
    const failed = e.trials.filter((t) => t.status !== 'done');
    return (
      `<h3>${escapeHtml(e.baseModelId)}</h3>` +
      (rows.length === 0 ? '<p class="empty">No results recorded yet.</p>' : table('evaluation', ['metric', ...e.trials.map((t) => `${t.role}: ${view.label(t.trialKey)}`)], rows)) +
      failed.map((t) => `<p class="note">${escapeHtml(`${t.role} ${view.label(t.trialKey)}: evaluation ${t.status}${t.error === null ? '' : ` — ${t.error}`}`)}</p>`).join('')
    );
  });
  return section(
    'evaluation',
    'Downstream evaluation',
    `<p>The sweep's <code>evaluate</code> job on each base model's best trials by tournament rank and on the baseline: its <code>PANDASWEEP_METRIC</code> values and the numbers of the JSON file it wrote (the highest value of each metric in bold).</p>${parts.join('')}`,
  );
}
