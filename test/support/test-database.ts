/**
 * A fresh PostgreSQL database per test file, migrated by the project's own runner and dropped after.
 * Uses TEST_DATABASE_URL (an admin connection), default postgresql://postgres@127.0.0.1:5432/postgres.
 */
import { randomBytes } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';
import { applyMigrations } from '../../services/migrate.js';

/** A throw-away database. */
export interface TestDatabase extends AsyncDisposable {
  readonly url: string;
  readonly name: string;
  readonly prisma: PrismaClient;
  drop(): Promise<void>;
}

/** The admin connection tests create databases through. */
export const adminDatabaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database (migrated unless `migrate` is false) and a Prisma client on it. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `pandasweep_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = databaseUrlFor(name);
  if (options.migrate ?? true) await applyMigrations(url);
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 4 }) });
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await prisma.$disconnect();
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  return { url, name, prisma, drop, [Symbol.asyncDispose]: drop };
}

/** The URL of database `name` on the admin connection's server. */
export function databaseUrlFor(name: string): string {
  const url = new URL(adminDatabaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
