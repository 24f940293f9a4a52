/**
 * Renders a sweep's report as one self-contained HTML document: inline CSS and build-time SVG charts,
 * no scripts and nothing fetched at view time, so the file can be mailed or attached to a paper.
 */
import { workflowIds } from '../core/ids/workflow-ids.js';
import { escapeHtml } from './escape-html.js';
import type { ReportData } from './report-data.js';
import { createReportView, type ReportView } from './report-view.js';
import { renderCurvesSection, renderEffectsSection } from './sections/analysis-sections.js';
import { renderFailuresSection } from './sections/failure-section.js';
import { renderExamplesSection, renderJudgeSection } from './sections/judge-sections.js';
import { renderSection, renderTable, renderWorkflowLink } from './sections/render-section.js';
import { renderEarlyTerminationSection } from './sections/early-termination-section.js';
import { renderEvaluationSection } from './sections/evaluation-section.js';
import { renderTunedVsDefaultSection } from './sections/tuned-vs-default-section.js';
import { renderBestSection, renderBlocksSection, renderLeaderboardSection, renderWinRateSection } from './sections/tournament-sections.js';

/** Renders `data` as a complete HTML document. */
export function renderReport(data: ReportData): string {
  const view = createReportView(data);
  const sections = [
    renderBestSection(view),
    renderTunedVsDefaultSection(view),
    renderEvaluationSection(view),
    renderLeaderboardSection(view),
    renderEarlyTerminationSection(view),
    renderFailuresSection(view),
    renderWinRateSection(view),
    renderBlocksSection(view),
    renderEffectsSection(view),
    renderCurvesSection(view),
    renderJudgeSection(view),
    renderExamplesSection(view),
    renderWorkflowsSection(view),
  ].filter((s) => s !== '');
  const nav = [...sections.join('').matchAll(/<section id="([^"]+)"><h2>([^<]+)<\/h2>/g)].map(([, id, title]) => `<a href="#${id}">${title}</a>`).join(' · ');
  const { sweep } = data;
  const done = data.trials.filter((t) => t.status === 'done').length;
  const failed = data.trials.filter((t) => t.status === 'failed').length;
  const played = data.matches.filter((m) => m.status === 'done').length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pandasweep">
<title>${escapeHtml(`pandasweep report — ${sweep.name}`)}</title>
<style>${css}</style>
</head>
<body>
<header>
<h1>${escapeHtml(sweep.name)} <span class="status status-${escapeHtml(sweep.status)}">${escapeHtml(sweep.status)}</span></h1>
<p class="summary">Sweep <code>${escapeHtml(sweep.id)}</code> from <code>${escapeHtml(sweep.file)}</code>: ${data.trials.length} trials (${done} done, ${failed} failed) over ${view.baseModels.length} base model(s), ${played} matches and ${data.judgments.length} judgments. Started ${escapeHtml(sweep.createdAt)}${sweep.finishedAt ? `, finished ${escapeHtml(sweep.finishedAt)}` : ''}. Report made ${escapeHtml(data.generatedAt)}.</p>
<nav>${nav}</nav>
</header>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

function renderWorkflowsSection(view: ReportView): string {
  const { data } = view;
  const top = [
    `<li>Sweep: ${renderWorkflowLink(view, data.sweep.workflowId)}</li>`,
    ...view.baseModels.map((b) => `<li>Tournament of ${escapeHtml(b)}: ${renderWorkflowLink(view, workflowIds.tournament(data.sweep.id, b))}</li>`),
  ];
  const rows = [...data.trials]
    .sort((a, b) => a.baseModelId.localeCompare(b.baseModelId) || a.index - b.index)
    .map(
      (t) =>
        `<tr><td>${escapeHtml(t.baseModelId)}</td><td>${escapeHtml(view.label(t.key))}</td><td>${escapeHtml(t.status)}${t.failureType ? ` (${escapeHtml(t.failureType)})` : ''}</td><td>${renderWorkflowLink(view, t.workflowId)}</td></tr>`,
    );
  return renderSection(
    'workflows',
    'Workflows',
    `<p>Links open the Temporal Web UI at <code>${escapeHtml(data.temporalUiUrl)}</code> (set TEMPORAL_UI_URL when making the report to point elsewhere).</p><ul>${top.join('')}</ul>` +
      `<details><summary>All ${rows.length} trial workflows</summary>${renderTable('workflows', ['base model', 'configuration', 'status', 'workflow'], rows)}</details>`,
  );
}

const css = `
:root{--fg:#1d1d1f;--muted:#666;--line:#ddd;--accent:#d62728;--blue:#2166ac;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
body{margin:0 auto;max-width:1100px;padding:16px 24px 48px;line-height:1.45}
h1{font-size:1.6rem;margin:.2em 0}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:2em}h3{font-size:1.05rem;margin:1.4em 0 .4em}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em}
pre{white-space:pre-wrap;background:#f6f6f6;padding:8px;border-radius:4px;max-height:260px;overflow:auto}
nav{font-size:.9rem}nav a{color:var(--blue)}
.summary,.note,figcaption{color:var(--muted);font-size:.9rem}
.status{font-size:.8rem;padding:2px 8px;border-radius:10px;background:#eee;vertical-align:middle}.status-done{background:#d8f0d8}.status-failed{background:#f6d5d5}
table{border-collapse:collapse;margin:.6em 0;font-size:.88rem}th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#fafafa}td.num{text-align:right;font-variant-numeric:tabular-nums}td.top{font-weight:700}tr.best td{background:#fdecea;font-weight:600}tr.advanced td:first-child{font-weight:600}
td.checkpoint code,td.logs code,td.cause{word-break:break-all}table.failures td.logs ul{margin:0;padding-left:1.1em}
figure{margin:.6em 0}.grid{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{max-width:100%;height:auto;font-size:11px}
svg .axis-line,svg .tick{stroke:#888}svg .grid{stroke:#eee}svg .tick-label{fill:#555}svg .axis-title{fill:#333;font-size:11px}
svg .ci{stroke:#7aa6d1;stroke-width:3}svg .rating-dot{fill:var(--blue)}svg .best .rating-dot{fill:var(--accent)}svg .best .ci{stroke:#f1a5a6}svg .row-label{fill:#333}svg .best .row-label{font-weight:700}
svg .reference{stroke:#999;stroke-dasharray:3 3}
svg .series{fill:none;stroke-width:1.3;opacity:.75}svg .series.highlight{stroke-width:2.6;opacity:1}
svg .dot{fill:var(--blue);opacity:.7}svg .mean{stroke:var(--accent);stroke-width:3}svg .mean-line{fill:none;stroke:var(--accent);stroke-dasharray:4 3}
svg .bar{fill:#7aa6d1}svg .cell{stroke:#fff;stroke-width:.5}
article.example{border:1px solid var(--line);border-radius:6px;padding:4px 14px 10px;margin:12px 0}
.responses{display:grid;grid-template-columns:1fr 1fr;gap:12px}.responses h4{margin:.4em 0;font-size:.9rem}
.empty{color:var(--muted);font-style:italic}
@media print{nav{display:none}details{display:block}}
`;
