/**
 * All activities, combined from one factory per side effect. Workflows import `type Activities` only.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import { createJobActivities } from './jobs/run-job.js';
import type { GpuSlotPool } from './jobs/gpu-slots.js';
import type { JobLauncher } from './jobs/job-launcher.js';
import { createJudgeActivities } from './judge.js';
import type { JudgeCache } from './judge-cache.js';
import { createJobStore, createStoreActivities } from './store.js';

/** What the activities need from the worker process. */
export interface ActivityDeps {
  readonly prisma: PrismaClient;
  readonly judges: JudgeCache;
  readonly slots: GpuSlotPool;
  readonly hostname: string;
  /** How jobs run (`LocalLauncher`, `SlurmLauncher`). Defaults to local processes. */
  readonly launcher?: JobLauncher;
}

/** Creates every activity over the worker's shared resources. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createStoreActivities({ prisma: deps.prisma }),
    ...createJudgeActivities({ prisma: deps.prisma, judges: deps.judges }),
    ...createJobActivities({
      store: createJobStore({ prisma: deps.prisma }),
      slots: deps.slots,
      hostname: deps.hostname,
      ...(deps.launcher ? { launcher: deps.launcher } : {}),
    }),
  };
}

/** Every activity's type, for `proxyActivities<Activities>()`. */
export type Activities = ReturnType<typeof createActivities>;
