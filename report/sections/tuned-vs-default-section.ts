/**
 * The report's "Tuned vs default" section: one win/tie/lose table across base models, as the PandaLM
 * paper compares models tuned with its picked hyperparameters against Alpaca's defaults, then per base
 * model what the best trial changed from the baseline and what the comparison found.
 */
import { formatParamForDisplay } from '../../core/sweep/format-param-value.js';
import { escapeHtml } from '../escape-html.js';
import type { ReportView } from '../report-view.js';
import type { ReportConfirmation } from '../report-data.js';
import { agreement, confirmationVerdict, describeSecondOpinions, describeTunedVsDefault, tunedVsDefault } from '../tuned-vs-default.js';
import { renderSection as section, renderTable as table } from './render-section.js';

/** Renders the section; empty when no base model has a baseline (nothing to compare). */
export function renderTunedVsDefaultSection(view: ReportView): string {
  const { data } = view;
  const entries = tunedVsDefault({ trials: data.trials, best: data.best, confirmations: data.confirmations }).filter((e) => e.state !== 'no-baseline');
  if (entries.length === 0) return '';
  const secondOpinions = entries.some((e) => e.state === 'confirmed' && e.secondOpinions.length > 0);
  const row = (baseModelId: string, c: ReportConfirmation): string =>
    `<tr><td>${escapeHtml(baseModelId)}</td><td>${escapeHtml(c.judge === 'tournament' ? 'tournament judge' : c.judge)}</td>` +
    `<td>${escapeHtml(view.label(c.bestTrialKey))}</td><td>${escapeHtml(view.label(c.baselineTrialKey))}</td>` +
    `<td class="num">${c.wins}</td><td class="num">${c.ties}</td><td class="num">${c.losses}</td>` +
    `<td class="num">${c.winRate.toFixed(2)} (${c.ciLow.toFixed(2)}–${c.ciHigh.toFixed(2)})</td><td>${confirmationVerdict(c)}</td>` +
    (secondOpinions ? `<td>${c.judge === 'tournament' ? '–' : escapeHtml(agreement(c).replace('agrees with the tournament judge on ', ''))}</td>` : '') +
    '</tr>';
  const rows = entries.flatMap((e) => {
    if (e.state !== 'confirmed') return [`<tr><td>${escapeHtml(e.baseModelId)}</td><td colspan="${secondOpinions ? 9 : 8}">${escapeHtml(describeTunedVsDefault(e).replace(/^[^:]*: /, ''))}</td></tr>`];
    return [row(e.baseModelId, e.confirmation), ...e.secondOpinions.map((c) => row(e.baseModelId, c))];
  });
  const details = entries.flatMap((e) => {
    if (e.state !== 'confirmed') return [];
    const c = e.confirmation;
    const best = view.trial(c.bestTrialKey)?.params ?? {};
    const baseline = view.trial(c.baselineTrialKey)?.params ?? {};
    const changed = [...new Set([...Object.keys(best), ...Object.keys(baseline)])]
      .sort()
      .filter((name) => JSON.stringify(best[name] ?? null) !== JSON.stringify(baseline[name] ?? null))
      .map((name) => `<code>${escapeHtml(name)}</code> ${escapeHtml(formatParamForDisplay(baseline[name] ?? '–'))} → ${escapeHtml(formatParamForDisplay(best[name] ?? '–'))}`);
    return [
      `<h3>${escapeHtml(e.baseModelId)}</h3>` +
        `<p>${escapeHtml(describeTunedVsDefault(e))}.</p>` +
        describeSecondOpinions(e).map((line) => `<p>${escapeHtml(line)}.</p>`).join('') +
        `<p class="note">Changed from the baseline: ${changed.length === 0 ? 'nothing' : changed.join(', ')}. Judged by <code>${escapeHtml(c.judgeId)}</code> over every evaluation instruction in both orders; judgments from tournament matches between the two were reused.</p>`,
    ];
  });
  return section(
    'tuned-vs-default',
    'Tuned vs default',
    `<p>The best trial of each base model against the sweep's baseline configuration: instructions won, tied and lost by the best trial, and its win rate ((wins + ties / 2) / instructions) with a 95% bootstrap interval over instructions.</p>` +
      table('tuned-vs-default', ['base model', 'judge', 'best', 'baseline', 'wins', 'ties', 'losses', 'win rate (95% CI)', 'verdict', ...(secondOpinions ? ['agreement with the tournament judge'] : [])], rows) +
      details.join(''),
  );
}
