import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Options for `startEmbeddedPostgres`. */
export interface EmbeddedPostgresOptions {
  /** Folder holding the database files; created when missing. */
  readonly dataDir: string;
  /**
   * Connection pool size the caller will use. The socket server gets `2 * poolSize + 5` connection slots:
   * with fewer, queries fail after the first error (seen with pglite-socket 0.2.17). Defaults to `4`.
   */
  readonly poolSize?: number;
}

/** A running embedded PostgreSQL (PGlite) served on a loopback port for the unchanged `pg`/Prisma clients. */
export interface EmbeddedPostgres extends AsyncDisposable {
  /** `postgresql://…@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Another process already has this data folder open; two writers would silently lose data. */
export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by another pandasweep process (pid ${pid}). ` +
        'Wait for it to finish, or set DATABASE_URL to share a PostgreSQL server between processes.',
    );
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** Starts PGlite on `dataDir` behind a socket server on a free loopback port, holding a lock file. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const poolSize = options.poolSize ?? 4;
  // PGlite's own mkdir is not recursive.
  await mkdir(path.dirname(options.dataDir), { recursive: true });
  const releaseLock = await lockDataDir(options.dataDir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir: options.dataDir });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 * poolSize + 5 });
    await server.start();
    const conn = server.getServerConn();
    const port = Number(conn.split(':').at(-1));
    let stopped = false;
    const stop = async (): Promise<void> => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db?.close();
      await releaseLock();
    };
    return { url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`, stop, [Symbol.asyncDispose]: stop };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await releaseLock();
    throw error;
  }
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && pid !== process.pid) throw new DataDirLockedError(dataDir, pid);
      // A stale lock from a killed process: committed rows are on disk, so take over.
      await rm(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
