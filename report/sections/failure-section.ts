/**
 * The report's failed-trials section: why each failed trial failed, grouped by cause, with the log
 * files of its last job attempt, so the report alone says where to look and what to fix.
 */
import { escapeHtml } from '../escape-html.js';
import { groupFailuresByCause, trialFailure, type FailureGroup, type TrialFailure } from '../failure-causes.js';
import type { ReportTrial } from '../report-data.js';
import type { ReportView } from '../report-view.js';
import { renderSection, renderTable } from './render-section.js';

/** Section id, for links from the other sections. */
export const failuresSectionId = 'failures';

type FailedTrial = TrialFailure & { readonly trial: ReportTrial };

/** Renders one table per base model of its failed trials grouped by cause; nothing when no trial failed. */
export function renderFailuresSection(view: ReportView): string {
  const failed = view.data.trials.filter((t) => t.status === 'failed');
  if (failed.length === 0) return '';
  const parts = view.baseModels.flatMap((base) => {
    const mine = failed.filter((t) => t.baseModelId === base).map((trial): FailedTrial => ({ ...trialFailure(trial), trial }));
    if (mine.length === 0) return [];
    const rows = groupFailuresByCause(mine).map((group) => renderGroupRow(view, group));
    return [`<h3>${escapeHtml(base)}</h3>` + renderTable('failures', ['type', 'cause', 'trials', 'configurations and logs of their last job attempt'], rows)];
  });
  const intro = `<p>${failed.length} trial(s) failed and were left out of the tournament. A cause is the first line the trial recorded (<code>&lt;trial&gt;</code> stands for each trial's key); the job's full output is in its logs.</p>`;
  return renderSection(failuresSectionId, 'Failed trials', intro + parts.join(''));
}

function renderGroupRow(view: ReportView, group: FailureGroup<FailedTrial>): string {
  const trials = group.failures.map(({ trial }) => `<li>${escapeHtml(view.label(trial.key))} <code>${escapeHtml(trial.key.slice(0, 10))}</code>${renderLogs(trial)}</li>`);
  return (
    `<tr><td>${escapeHtml(group.failureType)}</td><td class="cause">${group.cause === '' ? '<span class="empty">no message recorded</span>' : escapeHtml(group.cause)}</td>` +
    `<td class="num">${group.failures.length}</td><td class="logs"><ul>${trials.join('')}</ul></td></tr>`
  );
}

// A trial can fail before any job started (a missing secret, too few GPUs): then there is no log to name.
function renderLogs(trial: ReportTrial): string {
  const job = trial.lastJob;
  if (job === null) return ' — no job started';
  return ` — ${escapeHtml(job.kind)} attempt ${job.attempt}: <code>${escapeHtml(job.stderrPath)}</code>, <code>${escapeHtml(job.stdoutPath)}</code>`;
}
