/**
 * Markup shared by the report's sections: a titled section, a table, a Temporal UI link.
 */
import { escapeHtml } from '../escape-html.js';
import type { ReportView } from '../report-view.js';

/** Wraps section content (HTML) in a `<section>` with an id and heading. */
export function renderSection(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

/** Renders a table with the given class, header cells (text) and rows (HTML `<tr>` elements). */
export function renderTable(cls: string, header: readonly string[], rows: readonly string[]): string {
  return `<table class="${cls}"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Links to a workflow's page in the Temporal Web UI. */
export function renderWorkflowLink(view: ReportView, workflowId: string): string {
  return `<a class="workflow-link" href="${escapeHtml(view.workflowUrl(workflowId))}">${escapeHtml(workflowId)}</a>`;
}
