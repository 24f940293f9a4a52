/**
 * The report's tournament sections: best configuration per base model, leaderboard with the rating
 * chart, win-rate heatmap and per-block tables.
 */
import { formatParamForDisplay } from '../../core/sweep/format-param-value.js';
import { computeBlockTables } from '../block-tables.js';
import { renderRatingChart } from '../charts/rating-chart.js';
import { renderWinRateHeatmap } from '../charts/win-rate-heatmap.js';
import { escapeHtml } from '../escape-html.js';
import type { ReportView } from '../report-view.js';
import { failuresSectionId } from './failure-section.js';
import { renderSection as section, renderTable as table, renderWorkflowLink as workflowLink } from './render-section.js';
import { computeWinRateMatrix } from '../win-rate-matrix.js';

/** Renders the best configuration (parameters, rating, checkpoint path, workflow link) of each base model. */
export function renderBestSection(view: ReportView): string {
  const { data } = view;
  if (data.best.length === 0) return section('best', 'Best configuration', '<p class="empty">No best trial recorded yet: the tournament has not finished.</p>');
  const rows = data.best.map((b) => {
    const trial = view.trial(b.trialKey);
    const standing = data.standings.find((s) => s.baseModelId === b.baseModelId && s.entrant === b.entrant);
    const params = trial ? Object.entries(trial.params).map(([k, v]) => `<code>${escapeHtml(k)}=${escapeHtml(formatParamForDisplay(v))}</code>`).join(' ') : '';
    return (
      `<tr><td>${escapeHtml(b.baseModelId)}</td><td><code>${escapeHtml(b.trialKey)}</code>${b.epoch === null ? '' : ` at epoch ${b.epoch}`}</td><td>${params}</td>` +
      `<td class="num">${standing ? standing.rating.toFixed(0) : '–'}</td>` +
      `<td class="num">${standing ? `${standing.ciLow.toFixed(0)}–${standing.ciHigh.toFixed(0)}` : '–'}</td>` +
      `<td class="checkpoint"><code>${escapeHtml(b.checkpointPath ?? '(none recorded)')}</code></td>` +
      `<td>${trial ? workflowLink(view, trial.workflowId) : ''}</td></tr>`
    );
  });
  return section(
    'best',
    'Best configuration',
    table('best', ['base model', 'trial', 'parameters', 'rating', '95% CI', 'checkpoint', 'workflow'], rows),
  );
}

/** Renders each base model's leaderboard: the rating chart and the standings table. */
export function renderLeaderboardSection(view: ReportView): string {
  const { data } = view;
  const parts: string[] = [];
  for (const base of view.baseModels) {
    const standings = data.standings.filter((s) => s.baseModelId === base).sort((a, b) => a.rank - b.rank);
    if (standings.length === 0) continue;
    const bestKey = data.best.find((b) => b.baseModelId === base)?.entrant;
    const chart = renderRatingChart(
      standings.map((s) => ({
        label: `#${s.rank} ${view.label(s.entrant)}`,
        rating: s.rating,
        ciLow: s.ciLow,
        ciHigh: s.ciHigh,
        best: s.entrant === bestKey,
        baseline: view.trial(s.trialKey)?.isBaseline ?? false,
      })),
    );
    const rows = standings.map((s) => {
      const trial = view.trial(s.trialKey);
      return (
        `<tr${s.entrant === bestKey ? ' class="best"' : ''}><td class="num">${s.rank}</td><td>${escapeHtml(view.label(s.entrant))}</td>` +
        `<td><code>${escapeHtml(s.trialKey.slice(0, 10))}</code></td><td class="num">${trial?.block ?? '–'}</td>` +
        `<td class="num">${s.rating.toFixed(0)}</td><td class="num">${s.ciLow.toFixed(0)}–${s.ciHigh.toFixed(0)}</td>` +
        `<td class="num">${s.wins}-${s.losses}-${s.ties}</td><td class="num">${(s.score * 100).toFixed(1)}%</td>` +
        `<td>${trial ? workflowLink(view, trial.workflowId) : ''}</td></tr>`
      );
    });
    const failed = data.trials.filter((t) => t.baseModelId === base && t.status === 'failed');
    parts.push(
      `<h3>${escapeHtml(base)}</h3><figure>${chart}<figcaption>Bradley–Terry ratings (Elo scale, 1000 = average entrant) with 95% bootstrap intervals over evaluation instructions; the best trial in red.</figcaption></figure>` +
        table('leaderboard', ['#', 'configuration', 'trial', 'block', 'rating', '95% CI', 'W-L-T', 'score', 'workflow'], rows) +
        (failed.length === 0
          ? ''
          : `<p class="note">Left out (failed; causes and logs under <a href="#${failuresSectionId}">Failed trials</a>): ${failed.map((t) => `${escapeHtml(view.label(t.key))} — ${escapeHtml(t.failureType ?? 'failed')}`).join('; ')}</p>`),
    );
  }
  return section('leaderboard', 'Leaderboard', parts.length === 0 ? '<p class="empty">No standings recorded yet.</p>' : parts.join(''));
}

/** Renders each base model's win-rate matrix as a heatmap (trials in rank order). */
export function renderWinRateSection(view: ReportView): string {
  const parts: string[] = [];
  for (const base of view.baseModels) {
    const standings = view.data.standings.filter((s) => s.baseModelId === base).sort((a, b) => a.rank - b.rank);
    if (standings.length < 2) continue;
    const keys = standings.map((s) => s.entrant);
    const matrix = computeWinRateMatrix(keys, view.tournamentMatches.filter((m) => m.baseModelId === base));
    parts.push(
      `<h3>${escapeHtml(base)}</h3><figure>${renderWinRateHeatmap(matrix, { shortLabels: standings.map((s) => `#${s.rank}`), longLabels: keys.map((k) => view.label(k)) })}` +
        '<figcaption>Row trial\'s instruction win rate against the column trial (ties count half; grey: never met). Axis labels are leaderboard ranks; hover a cell for the configurations and the number of instructions.</figcaption></figure>',
    );
  }
  return section('win-rates', 'Win rates', parts.length === 0 ? '<p class="empty">Fewer than two ranked trials.</p>' : parts.join(''));
}

/** Renders one table per tournament block: the record in the block's own matches; "advanced" only where a later stage exists. */
export function renderBlocksSection(view: ReportView): string {
  const tables = computeBlockTables(view.data.trials, view.tournamentMatches, view.data.standings);
  if (tables.length === 0) return '';
  const parts = tables.map((t) => {
    const rows = t.rows.map(
      (r) =>
        `<tr${r.advanced ? ' class="advanced"' : ''}><td>${escapeHtml(view.label(r.trialKey))}</td><td>${escapeHtml(r.status)}</td>` +
        `<td class="num">${r.wins}-${r.losses}-${r.draws}</td><td class="num">${r.blockScore === null ? '–' : `${(r.blockScore * 100).toFixed(1)}%`}</td>` +
        `<td class="num">${r.rank ?? '–'}</td><td class="num">${r.rating === null ? '–' : r.rating.toFixed(0)}</td>` +
        (t.hasLaterStage ? `<td>${r.advanced ? 'yes' : ''}</td>` : '') +
        '</tr>',
    );
    const header = ['configuration', 'status', 'W-L-D', 'block score', 'rank', 'rating', ...(t.hasLaterStage ? ['advanced'] : [])];
    // Outside the blocks strategy the one block is the whole field: name the stage its record comes from.
    const stage = t.stage === null || t.stage === 'block' ? '' : ` (${t.stage} stage)`;
    return `<h3>${escapeHtml(t.baseModelId)} — block ${t.block}${escapeHtml(stage)}</h3>` + table('block-table', header, rows);
  });
  return section('blocks', 'Blocks', parts.join(''));
}
