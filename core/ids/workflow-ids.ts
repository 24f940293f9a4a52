/** Workflow ids are business ids, never random: `<sweep>`, `<sweep>/<baseModel>/<trial>`. */
export const workflowIds = {
  sweep: (sweepId: string): string => sweepId,
  trial: (sweepId: string, baseModelId: string, trialKey: string): string => `${sweepId}/${baseModelId}/${trialKey}`,
  tournament: (sweepId: string, baseModelId: string): string => `${sweepId}/${baseModelId}/tournament`,
  evaluation: (sweepId: string, baseModelId: string, trialKey: string): string => `${sweepId}/${baseModelId}/${trialKey}/evaluate`,
};
