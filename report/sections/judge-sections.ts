/**
 * The report's judge sections: statistics of the judge's verdicts and a few example judgments.
 */
import { renderBarChart } from '../charts/bar-chart.js';
import { escapeHtml } from '../escape-html.js';
import { computeJudgeStats } from '../judge-stats.js';
import type { ReportView } from '../report-view.js';
import { renderSection, renderTable } from './render-section.js';

/** Renders the order-conflict rate, tie rate, verdict shares, mean probabilities and confidence histogram. */
export function renderJudgeSection(view: ReportView): string {
  const stats = computeJudgeStats(view.data.judgments);
  if (stats.judgments === 0) return renderSection('judge', 'Judge', '<p class="empty">No judgments recorded yet.</p>');
  const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
  const rows = [
    ['judgments', String(stats.judgments)],
    ['instructions judged in both orders', String(stats.pairedInstructions)],
    ['order-conflict rate (the two orders disagree)', pct(stats.orderConflictRate)],
    ['tie rate', pct(stats.tieRate)],
    ['verdicts: first shown / second shown / tie', stats.verdictShares ? `${pct(stats.verdictShares.first)} / ${pct(stats.verdictShares.second)} / ${pct(stats.verdictShares.tie)}` : '–'],
    ['judgments with probabilities', String(stats.withProbabilities)],
    [
      'mean P("1") / P("2") / P("Tie")',
      stats.meanProbabilities ? `${stats.meanProbabilities.one.toFixed(3)} / ${stats.meanProbabilities.two.toFixed(3)} / ${stats.meanProbabilities.tie.toFixed(3)}` : '–',
    ],
    ...(stats.promptTokens === null
      ? []
      : [
          [
            'prompt tokens per judgment: evaluated / full prompt',
            `${stats.promptTokens.meanEvaluated.toFixed(0)} / ${stats.promptTokens.meanTotal.toFixed(0)} (${pct(stats.promptTokens.meanEvaluated / stats.promptTokens.meanTotal)}; the rest was a cached prefix)`,
          ],
        ]),
    ...stats.judges.map((j) => [`judge ${j.judgeId}`, `${j.judgments} judgments, median ${j.medianLatencyMs.toFixed(1)} ms`]),
  ].map(([k, v]) => `<tr><th scope="row">${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`);
  const charts: string[] = [];
  if (stats.verdictShares) {
    charts.push(
      `<figure>${renderBarChart(
        [
          { label: 'first', value: stats.verdictShares.first },
          { label: 'second', value: stats.verdictShares.second },
          { label: 'tie', value: stats.verdictShares.tie },
        ],
        { id: 'verdict-shares', xLabel: 'verdict (shown order)', yLabel: 'share', format: (x) => pct(x) },
      )}<figcaption>A judge without position bias gives "first" and "second" equally often.</figcaption></figure>`,
    );
  }
  if (stats.withProbabilities > 0) {
    charts.push(
      `<figure>${renderBarChart(
        stats.confidenceHistogram.map((count, i) => ({ label: (i / 10).toFixed(1), value: count })),
        { id: 'verdict-confidence', xLabel: 'probability of the chosen label', yLabel: 'judgments' },
      )}<figcaption>First-token probability of the winning label.</figcaption></figure>`,
    );
  }
  return renderSection('judge', 'Judge', renderTable('judge-stats', ['statistic', 'value'], rows) + `<div class="grid">${charts.join('')}</div>`);
}

/** Renders the example judgments with the judge's reasons (full mode), or says why there are none. */
export function renderExamplesSection(view: ReportView): string {
  const { examples } = view.data;
  if (examples.length === 0) {
    return renderSection('examples', 'Example judgments', '<p class="empty">No judgment has a reason: the judge ran in verdict mode (first-token probabilities only). Set the judge\'s mode to <code>full</code> to record reasons.</p>');
  }
  const verdictText = (v: number, order: 1 | 2, a: string, b: string): string => {
    if (v === 0) return 'Tie';
    const firstIsA = order === 1;
    const winner = (v === 1) === firstIsA ? a : b;
    return `Response ${v} (${winner})`;
  };
  const items = examples.map((e) => {
    const a = view.label(e.trialA);
    const b = view.label(e.trialB);
    const shownFirst = e.order === 1 ? a : b;
    const shownSecond = e.order === 1 ? b : a;
    return (
      `<article class="example"><h3>${escapeHtml(e.baseModelId)}: ${escapeHtml(a)} vs ${escapeHtml(b)}${e.order === 2 ? ' (swapped order)' : ''}</h3>` +
      `<p class="instruction"><strong>Instruction:</strong> ${escapeHtml(e.instruction)}</p>` +
      (e.input === '' ? '' : `<p class="input"><strong>Input:</strong> ${escapeHtml(e.input)}</p>`) +
      `<div class="responses"><div><h4>Response 1 — ${escapeHtml(shownFirst)}</h4><pre>${escapeHtml(e.response1)}</pre></div>` +
      `<div><h4>Response 2 — ${escapeHtml(shownSecond)}</h4><pre>${escapeHtml(e.response2)}</pre></div></div>` +
      `<p class="verdict"><strong>Verdict:</strong> ${escapeHtml(verdictText(e.verdict, e.order, a, b))}</p>` +
      `<p class="reason"><strong>Reason:</strong> ${escapeHtml(e.reason ?? '')}</p>` +
      (e.reference === null ? '' : `<details><summary>Reference answer</summary><pre>${escapeHtml(e.reference)}</pre></details>`) +
      '</article>'
    );
  });
  return renderSection('examples', 'Example judgments', items.join(''));
}
