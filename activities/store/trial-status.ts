/** Trial status writes: the stage a trial is in, and a failed trial's failure (a failed trial is data, not an error). */
import { trialRowId } from '../../core/ids/row-ids.js';
import type { StoreDeps } from './store-deps.js';

/** Creates `markTrialStatus` and `markTrialFailed`. */
export function createTrialStatusActivities({ prisma }: StoreDeps) {
  return {
    /** Sets a trial's status (`training`, `generating`, ...). */
    async markTrialStatus(input: { sweepId: string; trialKey: string; status: string }): Promise<void> {
      await prisma.trial.update({ where: { id: trialRowId(input.sweepId, input.trialKey) }, data: { status: input.status } });
    },

    /** Records a failed trial with the failure type and message (a failed trial is data, not an error). */
    async markTrialFailed(input: { sweepId: string; trialKey: string; failureType: string; message: string }): Promise<void> {
      await prisma.trial.update({
        where: { id: trialRowId(input.sweepId, input.trialKey) },
        data: { status: 'failed', failureType: input.failureType, failureMessage: input.message.slice(0, 8_000), finishedAt: new Date() },
      });
    },
  };
}
