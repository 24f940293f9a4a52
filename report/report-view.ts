/**
 * Lookups the report's sections share: trials by key, short labels, ranks and Temporal UI links.
 */
import { formatParamForDisplay } from '../core/spec/format-param-value.js';
import { confirmStage } from '../core/tournament/confirmation.js';
import type { ReportData, ReportMatch, ReportTrial } from './report-data.js';

/** The report data with the lookups every section needs. */
export interface ReportView {
  readonly data: ReportData;
  readonly trial: (key: string) => ReportTrial | undefined;
  /** A short human label: the parameters that vary within the trial's base model, else its key. */
  readonly label: (key: string) => string;
  /** The Temporal Web UI page of a workflow. */
  readonly workflowUrl: (workflowId: string) => string;
  readonly baseModels: readonly string[];
  /** The tournaments' matches: every match but the tuned-vs-default confirmations that follow them. */
  readonly tournamentMatches: readonly ReportMatch[];
}

/** Builds the lookups of `data`. */
export function createReportView(data: ReportData): ReportView {
  const trials = new Map(data.trials.map((t) => [t.key, t]));
  const varying = new Map<string, string[]>();
  const baseModels = [...new Set([...data.trials.map((t) => t.baseModelId), ...data.standings.map((s) => s.baseModelId)])].sort();
  for (const base of baseModels) {
    const members = data.trials.filter((t) => t.baseModelId === base);
    const names = [...new Set(members.flatMap((t) => Object.keys(t.params)))].sort();
    varying.set(base, names.filter((n) => new Set(members.map((t) => JSON.stringify(t.params[n]))).size > 1));
  }
  const uiBase = data.temporalUiUrl.replace(/\/+$/, '');
  return {
    data,
    trial: (key) => trials.get(key),
    label: (key) => {
      const t = trials.get(key);
      if (t === undefined) return key.slice(0, 8);
      const names = varying.get(t.baseModelId) ?? [];
      const text = names.map((n) => `${n}=${formatParamForDisplay(t.params[n])}`).join(' ');
      return `${text === '' ? key.slice(0, 8) : text}${t.isBaseline ? ' (baseline)' : ''}`;
    },
    workflowUrl: (workflowId) => temporalWorkflowUrl(uiBase, data.temporalNamespace, workflowId),
    baseModels,
    tournamentMatches: data.matches.filter((m) => m.stage !== confirmStage),
  };
}

/** Returns the Temporal Web UI address of one workflow. */
export function temporalWorkflowUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
