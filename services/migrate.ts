import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** `prisma/migrations`, resolved from this file so the CLI works from any folder. */
export const defaultMigrationsDir = fileURLToPath(new URL('../prisma/migrations', import.meta.url));

// The advisory lock id Prisma Migrate takes, so our runner and `prisma migrate deploy` never interleave.
const prismaAdvisoryLockId = 72707369;

/** A migration folder as Prisma lays it out: `<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  readonly name: string;
  readonly sql: string;
  /** sha256 of the file in hex, as Prisma records it in `_prisma_migrations.checksum`. */
  readonly checksum: string;
}

/** What `applyMigrations` did. */
export interface MigrationReport {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** The database and the code disagree about migrations; running on would corrupt data. */
export class MigrationStateError extends Error {
  override readonly name = 'MigrationStateError';
  readonly migration: string;
  readonly problem: 'unknown-to-code' | 'checksum-mismatch' | 'failed' | 'rolled-back' | 'missing-earlier';

  constructor(migration: string, problem: MigrationStateError['problem'], message: string) {
    super(message);
    this.migration = migration;
    this.problem = problem;
  }
}

/** Reads the migration folders in order (their names start with a sortable timestamp). */
export async function readMigrationFiles(migrationsDir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(migrationsDir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}

// Exactly the table Prisma Migrate creates, so a user's `prisma migrate deploy` sees our history as its own.
const createMigrationsTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the pending migrations in order, each in its own transaction, and records them in
 * `_prisma_migrations` the way Prisma does. Refuses (MigrationStateError) when the database holds a
 * migration this code does not know (it is newer), an edited migration, a failed one, or a gap: a
 * migration missing although a later one is applied.
 */
export async function applyMigrations(connectionString: string, migrationsDir = defaultMigrationsDir): Promise<MigrationReport> {
  const files = await readMigrationFiles(migrationsDir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [prismaAdvisoryLockId]);
    try {
      await client.query(createMigrationsTable);
      const { rows } = await client.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      checkHistory(rows, files);
      const done = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file.name)) continue;
        await applyOne(client, file);
        applied.push(file.name);
      }
      return { applied, alreadyApplied: files.filter((f) => done.has(f.name)).map((f) => f.name) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [prismaAdvisoryLockId]);
    }
  } finally {
    await client.end();
  }
}

function checkHistory(rows: readonly AppliedRow[], files: readonly MigrationFile[]): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    const file = byName.get(row.migration_name);
    if (file === undefined) {
      throw new MigrationStateError(
        row.migration_name,
        'unknown-to-code',
        `The database has migration ${row.migration_name}, which this version of pandasweep does not know: the database is newer than the code. Upgrade pandasweep, or point DATABASE_URL at another database.`,
      );
    }
    if (row.finished_at === null) {
      throw new MigrationStateError(
        row.migration_name,
        'failed',
        `Migration ${row.migration_name} started but did not finish. Inspect the database, then mark it rolled back with \`npx prisma migrate resolve --rolled-back ${row.migration_name}\`.`,
      );
    }
    if (row.checksum !== file.checksum) {
      throw new MigrationStateError(
        row.migration_name,
        'checksum-mismatch',
        `Migration ${row.migration_name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… in prisma/migrations). Restore the original file.`,
      );
    }
  }
  // Applying an earlier migration on top of later ones would run its SQL against a schema it never saw.
  const done = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
  const lastDone = files.findLastIndex((f) => done.has(f.name));
  const gap = files.slice(0, Math.max(0, lastDone)).find((f) => !done.has(f.name));
  if (gap !== undefined) {
    throw new MigrationStateError(
      gap.name,
      'missing-earlier',
      `The database lacks migration ${gap.name} although the later migration ${files[lastDone]?.name ?? ''} is applied: its history has a gap. Restore the database from a backup, or point DATABASE_URL at another database.`,
    );
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
