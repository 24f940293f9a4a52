import type { PrismaClient } from '../../generated/prisma/client.js';

/** What the store activities (and the job store) need. */
export interface StoreDeps {
  readonly prisma: PrismaClient;
}
