import type { PrismaClient } from '../generated/prisma/client.js';

/** No sweep with this id is in the database; `known` lists the most recent ones. */
export class SweepNotFoundError extends Error {
  override readonly name = 'SweepNotFoundError';
  readonly sweepId: string;
  readonly known: readonly string[];

  constructor(sweepId: string, known: readonly string[]) {
    super(`No sweep "${sweepId}" in the database${known.length === 0 ? ' (it holds no sweeps)' : `; recent sweeps: ${known.join(', ')}`}.`);
    this.sweepId = sweepId;
    this.known = known;
  }

  /** Builds the error with the ten most recent sweep ids of the database. */
  static async create(prisma: PrismaClient, sweepId: string): Promise<SweepNotFoundError> {
    const known = await prisma.sweep.findMany({ select: { id: true }, orderBy: { createdAt: 'desc' }, take: 10 });
    return new SweepNotFoundError(sweepId, known.map((s) => s.id));
  }
}
