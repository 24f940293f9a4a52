/**
 * The report's "Early termination" section: per base model, its rungs (checkpoints judged, trials stopped
 * there), the training epochs spent against the full grid's, and every trial's path through the rungs.
 */
import { describeEarlyTermination, summarizeEarlyTermination } from '../early-termination-summary.js';
import { escapeHtml } from '../escape-html.js';
import type { ReportView } from '../report-view.js';
import { renderSection as section, renderTable as table } from './render-section.js';

const statusText: Readonly<Record<string, string>> = { done: 'finalist', stopped: 'stopped early', waiting: 'at a rung', failed: 'failed' };

/** Renders the section; empty for a sweep without early termination. */
export function renderEarlyTerminationSection(view: ReportView): string {
  const summaries = summarizeEarlyTermination(view.data.trials);
  if (summaries.length === 0) return '';
  const finished = view.data.sweep.status !== 'running';
  const parts = summaries.map((summary) => {
    const trials = view.data.trials.filter((t) => t.baseModelId === summary.baseModelId && t.earlyTermination !== undefined);
    trials.sort((a, b) => (b.earlyTermination!.epochsTrained - a.earlyTermination!.epochsTrained) || a.index - b.index);
    const rows = trials.map((t) => {
      const rungs = t.earlyTermination!;
      return (
        `<tr><td>${escapeHtml(view.label(t.key))}</td><td><code>${escapeHtml(t.key.slice(0, 10))}</code></td><td>${escapeHtml(statusText[t.status] ?? t.status)}</td>` +
        `<td class="num">${rungs.epochsTrained} of ${rungs.epochs}</td><td class="num">${rungs.rung === null ? '–' : rungs.rung + 1}</td>` +
        `<td>${rungs.checkpoints.map((c) => `<code>${escapeHtml(String(c.epoch))}</code>`).join(' ')}</td></tr>`
      );
    });
    const [rungLine, outcome] = describeEarlyTermination(summary, { finished });
    return (
      `<h3>${escapeHtml(summary.baseModelId)}</h3><p>${escapeHtml(rungLine!.replace(/^Early termination \([^)]*\): /, ''))}</p><p>${escapeHtml(outcome!.trim())}</p>` +
      table('early-termination', ['configuration', 'trial', 'status', 'epochs trained', 'highest rung', 'checkpoints that answered (epochs)'], rows)
    );
  });
  return section(
    'early-termination',
    'Early termination',
    '<p>Each trial trained to a rung, answered the evaluation instructions from that checkpoint and played short matches against the other checkpoints there; the better <code>1/eta</code> went on, the rest stopped early. The final ranked the finalists\' checkpoints, earlier rungs included.</p>' +
      parts.join(''),
  );
}
