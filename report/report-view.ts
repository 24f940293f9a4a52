/**
 * Lookups the report's sections share: trials by key, short labels, ranks and Temporal UI links.
 */
import { parseEntrantKey, trialKeyOfEntrant } from '../core/ids/checkpoint-keys.js';
import { formatParamForDisplay } from '../core/sweep/format-param-value.js';
import { rungIndexOfStage } from '../core/early-termination/rungs.js';
import { confirmStage } from '../core/tournament/confirmation.js';
import type { ReportData, ReportMatch, ReportTrial } from './report-data.js';

/** The report data with the lookups every section needs. */
export interface ReportView {
  readonly data: ReportData;
  /** A trial by its key, or by the key of one of its checkpoints (`trial@epoch`). */
  readonly trial: (key: string) => ReportTrial | undefined;
  /** A short human label: the parameters that vary within the trial's base model, else its key; a checkpoint adds its epoch. */
  readonly label: (key: string) => string;
  /** The Temporal Web UI page of a workflow. */
  readonly workflowUrl: (workflowId: string) => string;
  readonly baseModels: readonly string[];
  /** The tournaments' matches: every match but the tuned-vs-default confirmations that follow them and early termination's rung matches. */
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
    trial: (key) => trials.get(trialKeyOfEntrant(key)),
    label: (key) => {
      const { trialKey, epoch } = parseEntrantKey(key);
      const at = epoch === 0 ? '' : ` @ epoch ${epoch}`;
      const t = trials.get(trialKey);
      if (t === undefined) return `${trialKey.slice(0, 8)}${at}`;
      const names = varying.get(t.baseModelId) ?? [];
      const text = names.map((n) => `${n}=${formatParamForDisplay(t.params[n])}`).join(' ');
      return `${text === '' ? trialKey.slice(0, 8) : text}${at}${t.isBaseline ? ' (baseline)' : ''}`;
    },
    workflowUrl: (workflowId) => temporalWorkflowUrl(uiBase, data.temporalNamespace, workflowId),
    baseModels,
    tournamentMatches: data.matches.filter((m) => m.stage !== confirmStage && rungIndexOfStage(m.stage) === undefined),
  };
}

/** Returns the Temporal Web UI address of one workflow. */
export function temporalWorkflowUrl(uiUrl: string, namespace: string, workflowId: string): string {
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
