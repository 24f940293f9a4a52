/**
 * What early termination did to a base model's trials, from their recorded rungs: how many checkpoints
 * each rung judged, how many trials it stopped, and the training epochs spent against the full grid's.
 * Pure; status, leaderboard and report show it.
 */
import type { ReportTrial } from './report-data.js';

/** One base model's early termination. */
export interface EarlyTerminationSummary {
  readonly baseModelId: string;
  /** Rungs reached so far, in order: their epoch, the checkpoints judged there, the trials stopped there (and their keys). */
  readonly rungs: readonly { readonly index: number; readonly epoch: number; readonly checkpoints: number; readonly stopped: number; readonly stoppedTrials: readonly string[] }[];
  /** Trials trained to their last epoch (finalists), stopped early, and failed. */
  readonly finalists: number;
  readonly stopped: number;
  readonly failed: number;
  /** Epochs trained so far, and what training every trial to its last epoch takes. */
  readonly epochsTrained: number;
  readonly epochsPlanned: number;
}

/** Summarises every base model whose trials were early-terminated (the others are left out). */
export function summarizeEarlyTermination(trials: readonly ReportTrial[]): EarlyTerminationSummary[] {
  const byBase = new Map<string, ReportTrial[]>();
  for (const t of trials) if (t.earlyTermination !== undefined) byBase.set(t.baseModelId, [...(byBase.get(t.baseModelId) ?? []), t]);
  return [...byBase].sort(([a], [b]) => (a < b ? -1 : 1)).map(([baseModelId, own]) => {
    const rungEpochs = new Map<number, number>();
    for (const t of own) for (const c of t.earlyTermination!.checkpoints) if (c.rung !== null) rungEpochs.set(c.rung, c.epoch);
    const rungs = [...rungEpochs].sort(([a], [b]) => a - b).map(([index, epoch]) => {
      const stoppedTrials = own.filter((t) => t.status === 'stopped' && t.earlyTermination!.rung === index).map((t) => t.key);
      return { index, epoch, checkpoints: own.filter((t) => t.earlyTermination!.checkpoints.some((c) => c.rung === index)).length, stopped: stoppedTrials.length, stoppedTrials };
    });
    return {
      baseModelId,
      rungs,
      finalists: own.filter((t) => t.status === 'done').length,
      stopped: own.filter((t) => t.status === 'stopped').length,
      failed: own.filter((t) => t.status === 'failed').length,
      epochsTrained: round(own.reduce((sum, t) => sum + t.earlyTermination!.epochsTrained, 0)),
      epochsPlanned: round(own.reduce((sum, t) => sum + t.earlyTermination!.epochs, 0)),
    };
  });
}

/** Trial keys a terminal line lists per rung; the rest are counted (`--json` and the report list all). */
const listedTrialsPerRung = 8;

/**
 * Lines for a terminal: the rungs, then the trials' outcome and the epochs trained against the full
 * grid's (with the epochs saved once the sweep has `finished`), then per rung the trials stopped there.
 */
export function describeEarlyTermination(summary: EarlyTerminationSummary, options: { readonly finished: boolean }): string[] {
  const rungs = summary.rungs.map((r) => `${r.checkpoints} at epoch ${r.epoch}${r.stopped > 0 ? ` (${r.stopped} stopped)` : ''}`).join(' -> ') || 'none reached yet';
  const share = summary.epochsPlanned === 0 ? 0 : summary.epochsTrained / summary.epochsPlanned;
  return [
    `Early termination (${summary.baseModelId}): rungs ${rungs}`,
    `  ${summary.finalists} finalist${summary.finalists === 1 ? '' : 's'}, ${summary.stopped} stopped early${summary.failed > 0 ? `, ${summary.failed} failed` : ''}; ` +
      `${summary.epochsTrained} of the full grid's ${summary.epochsPlanned} training epochs trained (${(share * 100).toFixed(0)}%)` +
      (options.finished ? `, ${round(summary.epochsPlanned - summary.epochsTrained)} saved` : ''),
    ...summary.rungs
      .filter((r) => r.stopped > 0)
      .map((r) => {
        const listed = r.stoppedTrials.slice(0, listedTrialsPerRung).map((key) => key.slice(0, 8));
        const more = r.stoppedTrials.length - listed.length;
        return `  stopped at rung ${r.index + 1} (epoch ${r.epoch}): ${listed.join(' ')}${more > 0 ? ` (+${more} more)` : ''}`;
      }),
  ];
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
