/**
 * The embedded default: PGlite behind a loopback socket, migrated by our runner, used through the
 * unchanged Prisma client; data survives a reopen, and a second process is refused while one holds it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../services/database.js';
import { DataDirLockedError, startEmbeddedPostgres } from '../../../services/embedded-postgres.js';

describe('embedded database (PGlite)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('migrates, stores through Prisma, and keeps rows across a reopen', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-embedded-'));
    dirs.push(stateDir);
    const first = await openDatabase({ stateDir });
    expect(first.kind).toBe('embedded');
    await first.prisma.sweep.create({ data: { id: 'e', name: 'E', file: '/e.yaml', plan: {}, workflowId: 'e' } });
    await first.prisma.trial.create({ data: { id: 'e/t', sweepId: 'e', baseModelId: 'm', key: 't', params: { lr: 1 }, index: 0, workflowId: 'x' } });
    // The unique key guards idempotent writes here too.
    await expect(first.prisma.trial.create({ data: { id: 'e/t2', sweepId: 'e', baseModelId: 'm', key: 't', params: {}, index: 1, workflowId: 'x' } })).rejects.toThrow();
    expect(await first.prisma.trial.count()).toBe(1); // the failed insert did not break the connection
    await first.close();

    const second = await openDatabase({ stateDir });
    expect(await second.prisma.trial.findUniqueOrThrow({ where: { id: 'e/t' } })).toMatchObject({ params: { lr: 1 } });
    await second.close();
  });

  it('refuses a data folder another live process holds', async () => {
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-embedded-'));
    dirs.push(stateDir);
    const dataDir = path.join(stateDir, 'db');
    await import('node:fs/promises').then((fs) => fs.writeFile(`${dataDir}.lock`, String(process.ppid)));
    const error = await startEmbeddedPostgres({ dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataDirLockedError);
    expect((error as Error).message).toContain(String(process.ppid));
  });
});
