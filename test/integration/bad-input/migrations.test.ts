/**
 * A database whose migration history does not match the code (issue 7, bad input): newer than the code,
 * or with a gap (a later migration applied, an earlier one missing). pandasweep refuses to touch it,
 * names the migration, and what was recorded stays as it was.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationStateError } from '../../../services/migrate.js';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase } from '../../support/test-database.js';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function writeMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, 'migration.sql'), sql);
}

describe('a database whose migrations do not match the code', () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-migrations-'));
  });
  afterAll(async () => rm(tmp, { recursive: true, force: true }));

  it('refuses a gap (a later migration applied, an earlier one missing), naming the missing one, and changes nothing', async () => {
    const later = path.join(tmp, 'later-only');
    const both = path.join(tmp, 'both');
    await writeMigration(later, '20300102000000_later', 'CREATE TABLE "Later" ("id" TEXT PRIMARY KEY);');
    await writeMigration(both, '20300101000000_earlier', 'CREATE TABLE "Earlier" ("id" TEXT PRIMARY KEY);');
    await writeMigration(both, '20300102000000_later', 'CREATE TABLE "Later" ("id" TEXT PRIMARY KEY);');
    await using db = await createTestDatabase({ migrate: false });
    expect((await applyMigrations(db.url, later)).applied).toEqual(['20300102000000_later']);
    await withClient(db.url, (c) => c.query(`INSERT INTO "Later" (id) VALUES ('kept')`));

    const error = await applyMigrations(db.url, both).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationStateError);
    expect((error as MigrationStateError).problem).toBe('missing-earlier');
    expect((error as MigrationStateError).migration).toBe('20300101000000_earlier');
    expect((error as Error).message).toContain('20300101000000_earlier');
    expect((error as Error).message).toContain('20300102000000_later');

    await withClient(db.url, async (c) => {
      expect((await c.query(`SELECT id FROM "Later"`)).rows).toEqual([{ id: 'kept' }]);
      expect((await c.query(`SELECT to_regclass('"Earlier"') AS t`)).rows[0].t).toBeNull();
      expect((await c.query(`SELECT migration_name FROM _prisma_migrations`)).rows).toEqual([{ migration_name: '20300102000000_later' }]);
    });
  });

  it('applies migrations in order when there is no gap (the check does not refuse a database that is merely behind)', async () => {
    const both = path.join(tmp, 'both');
    await using db = await createTestDatabase({ migrate: false });
    const first = path.join(tmp, 'earlier-only');
    await writeMigration(first, '20300101000000_earlier', 'CREATE TABLE "Earlier" ("id" TEXT PRIMARY KEY);');
    await applyMigrations(db.url, first);
    expect((await applyMigrations(db.url, both)).applied).toEqual(['20300102000000_later']);
  });

  it('`pandasweep run` against a database newer than the code exits 1 naming the migration, and keeps what was recorded', async () => {
    await using db = await createTestDatabase();
    await db.prisma.sweep.create({ data: { id: 'earlier-sweep', name: 'earlier sweep', file: 'x.yaml', plan: { kept: true }, status: 'done', workflowId: 'earlier-sweep' } });
    await withClient(db.url, (c) =>
      c.query(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ('00000000-0000-4000-8000-000000000001', repeat('0', 64), '29990101000000_from_a_newer_pandasweep', now(), now(), 1)`,
      ),
    );
    const home = await mkdtemp(path.join(tmp, 'home-'));
    const run = await runCli(['run', path.join(repoRoot, 'sweeps/demo.yaml'), '--json', '--worker'], {
      cwd: tmp,
      env: { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: home },
      timeoutMs: 60_000,
    });
    expect(run.exitCode, run.stderr).toBe(1);
    expect(run.stderr).toContain('29990101000000_from_a_newer_pandasweep');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await db.prisma.sweep.findMany({ select: { id: true, status: true, plan: true } })).toEqual([{ id: 'earlier-sweep', status: 'done', plan: { kept: true } }]);
    expect(await db.prisma.trial.count()).toBe(0);
  });
});
