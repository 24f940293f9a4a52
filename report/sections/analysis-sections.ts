/**
 * The report's analysis sections: hyperparameter effects and training curves.
 */
import { renderLineChart } from '../charts/line-chart.js';
import { renderStripChart } from '../charts/strip-chart.js';
import { escapeHtml } from '../escape-html.js';
import { computeParamEffects } from '../param-effects.js';
import type { ReportView } from '../report-view.js';
import { renderSection, renderTable } from './render-section.js';

/** Renders, per base model, a strip chart of ratings for each hyperparameter that varies, largest effect first. */
export function renderEffectsSection(view: ReportView): string {
  const effects = computeParamEffects(view.data.trials, view.data.standings);
  if (effects.length === 0) return renderSection('effects', 'Hyperparameter effects', '<p class="empty">No hyperparameter takes two values among the ranked trials.</p>');
  const parts: string[] = [];
  for (const base of view.baseModels) {
    const mine = effects.filter((e) => e.baseModelId === base);
    if (mine.length === 0) continue;
    const charts = mine.map(
      (e) =>
        `<figure class="effect">${renderStripChart(
          e.values.map((v) => ({ label: v.value, values: v.ratings, mean: v.meanRating })),
          { id: `effect-${e.param}`, xLabel: e.param, yLabel: 'rating' },
        )}<figcaption>${escapeHtml(e.param)}: spread of means ${e.spread.toFixed(0)} rating points</figcaption></figure>`,
    );
    const rows = mine.flatMap((e) =>
      e.values.map((v) => `<tr><td>${escapeHtml(e.param)}</td><td>${escapeHtml(v.value)}</td><td class="num">${v.ratings.length}</td><td class="num">${v.meanRating.toFixed(0)}</td></tr>`),
    );
    parts.push(`<h3>${escapeHtml(base)}</h3><div class="grid">${charts.join('')}</div><details><summary>Table</summary>${renderTable('effects', ['parameter', 'value', 'trials', 'mean rating'], rows)}</details>`);
  }
  return renderSection('effects', 'Hyperparameter effects', '<p>Each dot is one trial\'s rating; bars mark the mean at each value.</p>' + parts.join(''));
}

/** Renders one line chart per base model and metric from the recorded training curves; the best trial in red. */
export function renderCurvesSection(view: ReportView): string {
  const { data } = view;
  if (data.curves.length === 0) return renderSection('curves', 'Training curves', '<p class="empty">No metrics recorded (the trainer printed no PANDASWEEP_METRIC lines).</p>');
  const parts: string[] = [];
  for (const base of view.baseModels) {
    const curves = data.curves.filter((c) => c.baseModelId === base);
    if (curves.length === 0) continue;
    const best = data.best.find((b) => b.baseModelId === base)?.trialKey;
    const names = [...new Set(curves.map((c) => c.name))].sort();
    const charts = names.map((name) => {
      const series = curves
        .filter((c) => c.name === name)
        .map((c) => ({ label: `${view.label(c.trialKey)}${c.trialKey === best ? ' (best)' : ''}`, points: c.points, highlight: c.trialKey === best }));
      return `<figure class="curve">${renderLineChart(series, { id: `curve-${name}`, xLabel: 'step', yLabel: name })}<figcaption>${escapeHtml(name)} of ${series.length} trials${best === undefined ? '' : `; red: the best, ${escapeHtml(view.label(best))}`}</figcaption></figure>`;
    });
    parts.push(`<h3>${escapeHtml(base)}</h3><div class="grid">${charts.join('')}</div>`);
  }
  return renderSection('curves', 'Training curves', parts.join(''));
}
