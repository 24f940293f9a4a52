import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations } from './migrate.js';

/** Options for `openDatabase`. */
export interface OpenDatabaseOptions {
  /** PostgreSQL URL; when absent, the embedded database under `stateDir` is used. */
  readonly databaseUrl?: string;
  /** pandasweep's state folder (see `resolveStateDir`). */
  readonly stateDir: string;
  /** Apply pending migrations before returning. Defaults to `true`. */
  readonly migrate?: boolean;
  /** Pool size of the Prisma client on PostgreSQL (the embedded database always uses 1). Defaults to `4`. */
  readonly poolSize?: number;
}

/** An open database: one Prisma client per process, plus what it runs on. */
export interface Database extends AsyncDisposable {
  readonly prisma: PrismaClient;
  readonly url: string;
  readonly kind: 'postgres' | 'embedded';
  close(): Promise<void>;
}

/** The database could not be reached; the message says what to check. */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(cause as Error).message}. ` +
        'Check that the server runs and DATABASE_URL is right (postgresql://user:password@host:5432/database), ' +
        'or unset DATABASE_URL to use the embedded database.',
      { cause },
    );
    this.url = redactUrl(url);
  }
}

/** Opens PostgreSQL (`databaseUrl`) or the embedded database, migrates it and returns a Prisma client. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let poolSize = options.poolSize ?? 4;
  let embedded: EmbeddedPostgres | undefined;
  let url = options.databaseUrl;
  if (url === undefined || url === '') {
    // PGlite runs one query at a time anyway, and with several connections pglite-socket 0.2.17 was seen
    // answering a statement on the wrong connection (an update missing a row another one had just
    // inserted): one connection is both correct and as fast.
    poolSize = 1;
    embedded = await startEmbeddedPostgres({ dataDir: path.join(options.stateDir, 'db'), poolSize });
    url = embedded.url;
  } else {
    await checkReachable(url);
  }
  try {
    if (options.migrate ?? true) await applyMigrations(url);
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
    let closed = false;
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await embedded?.stop();
    };
    return { prisma, url, kind: embedded ? 'embedded' : 'postgres', close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function checkReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new DatabaseUnreachableError(url, error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Hides the password of a connection URL for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
