/** Workflow ids are business ids, never random: `<sweep>`, `<sweep>/<baseModel>/<trial>`. */
export const workflowIds = {
  sweep: (sweepId: string): string => sweepId,
  trial: (sweepId: string, baseModelId: string, trialKey: string): string => `${sweepId}/${baseModelId}/${trialKey}`,
  /** One stop of an early-terminated trial: its training to `epoch` and that checkpoint's answers. */
  trialStop: (sweepId: string, baseModelId: string, trialKey: string, epoch: number): string => `${sweepId}/${baseModelId}/${trialKey}/epoch-${epoch}`,
  tournament: (sweepId: string, baseModelId: string): string => `${sweepId}/${baseModelId}/tournament`,
  evaluation: (sweepId: string, baseModelId: string, trialKey: string): string => `${sweepId}/${baseModelId}/${trialKey}/evaluate`,
};
