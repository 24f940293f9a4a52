import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, MigrationStateError, readMigrationFiles } from '../../../services/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('migrations on real PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db?.drop());

  it('applies every migration once and records it the way Prisma does', async () => {
    const files = await readMigrationFiles();
    const first = await applyMigrations(db.url);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const second = await applyMigrations(db.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(files.map((f) => f.name));

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations');
    await client.end();
    expect(rows).toHaveLength(files.length);
    for (const file of files) {
      const row = rows.find((r) => r.migration_name === file.name);
      const bytes = await readFile(path.join(defaultMigrationsDir, file.name, 'migration.sql'));
      expect(row?.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row?.finished_at).not.toBeNull();
      expect(row?.applied_steps_count).toBe(1);
    }
  });

  it('refuses a database that has a migration the code does not know, naming it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-migrations-'));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, '29990101000000_from_the_future'));
    await writeFile(path.join(dir, '29990101000000_from_the_future', 'migration.sql'), 'CREATE TABLE "Future" ("id" TEXT);');
    await using future = await createTestDatabase({ migrate: false });
    await applyMigrations(future.url, dir);
    const error = await applyMigrations(future.url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationStateError);
    expect((error as MigrationStateError).problem).toBe('unknown-to-code');
    expect((error as Error).message).toContain('29990101000000_from_the_future');
  });

  it('refuses an edited migration', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-migrations-'));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await using edited = await createTestDatabase({ migrate: false });
    await applyMigrations(edited.url, dir);
    const [first] = await readMigrationFiles(dir);
    await writeFile(path.join(dir, first!.name, 'migration.sql'), `${first!.sql}\n-- edited\n`);
    const error = await applyMigrations(edited.url, dir).catch((e: unknown) => e);
    expect((error as MigrationStateError).problem).toBe('checksum-mismatch');
  });
});
