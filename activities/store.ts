/**
 * Database activities (Prisma), one file per concern under `store/`. Every write is idempotent — unique
 * keys plus upsert or `skipDuplicates` — because Temporal runs activities at least once.
 */
import { createConfirmationStoreActivities } from './store/confirmation.js';
import { createEvaluationStoreActivities } from './store/evaluation.js';
import { createSweepRegistrationActivities } from './store/sweep-registration.js';
import type { StoreDeps } from './store/store-deps.js';
import { createTournamentStoreActivities } from './store/tournament.js';
import { createTrialOutputActivities } from './store/trial-outputs.js';
import { createRungStoreActivities } from './store/rungs.js';
import { createTrialStatusActivities } from './store/trial-status.js';

export type { StoreDeps } from './store/store-deps.js';
export type { RegisterSweepInput, RegisterSweepResult } from './store/sweep-registration.js';
export type { ConfirmationResult, RecordConfirmationInput } from './store/confirmation.js';
export type { BestTrialResult, FinalizeTournamentInput, PairingRow } from './store/tournament.js';
export type { RecordCheckpointInput, RecordedRungs } from './store/rungs.js';
export { createJobStore } from './store/prisma-job-store.js';

/** Creates the store activities over one Prisma client (activity names as workflow histories record them). */
export function createStoreActivities(deps: StoreDeps) {
  return {
    ...createSweepRegistrationActivities(deps),
    ...createTrialStatusActivities(deps),
    ...createTrialOutputActivities(deps),
    ...createTournamentStoreActivities(deps),
    ...createConfirmationStoreActivities(deps),
    ...createEvaluationStoreActivities(deps),
    ...createRungStoreActivities(deps),
  };
}

/** The store activities' type, for `proxyActivities`. */
export type StoreActivities = ReturnType<typeof createStoreActivities>;
