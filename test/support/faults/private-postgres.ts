/**
 * A private PostgreSQL instance for fault injection (`initdb` + `pg_ctl` on a temporary folder and a free
 * port), so a test can stop and restart the server under a running sweep without touching the machine's
 * shared cluster on 5432. `initdb` refuses to run as root, so as root the binaries run as `postgres`.
 */
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { applyMigrations } from '../../../services/migrate.js';
import { freePort } from './free-port.js';

/** A running private PostgreSQL server. */
export interface PrivatePostgres extends AsyncDisposable {
  readonly port: number;
  /** Admin connection URL (`postgres` database, trust auth). */
  readonly adminUrl: string;
  /** Creates a database migrated by the project's own runner and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server. `immediate` is a crash (no checkpoint, clients cut off). Defaults to `immediate`. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts the stopped server again on the same port and data folder. */
  start(): Promise<void>;
  /** Stops and removes everything. */
  dispose(): Promise<void>;
}

/**
 * Finds PostgreSQL 15's server binaries (`PANDASWEEP_TEST_PG_BIN`, else `/usr/lib/postgresql/15/bin`,
 * else the newest installed version); `null` when there are none.
 */
export async function findPostgresBin(): Promise<string | null> {
  const explicit = process.env.PANDASWEEP_TEST_PG_BIN;
  if (explicit) return existsSync(path.join(explicit, 'pg_ctl')) ? explicit : null;
  const root = '/usr/lib/postgresql';
  const preferred = path.join(root, '15', 'bin');
  if (existsSync(path.join(preferred, 'initdb'))) return preferred;
  const versions = await readdir(root).catch(() => [] as string[]);
  const found = versions
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return found[0] === undefined ? null : path.join(root, found[0], 'bin');
}

/** Creates, starts and returns a private PostgreSQL server; throws when no binaries are installed. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await findPostgresBin();
  if (bin === null) throw new Error('PostgreSQL server binaries not found (install postgresql-15 or set PANDASWEEP_TEST_PG_BIN)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await execa('id', ['-u', 'postgres'])).stdout);
    const gid = Number((await execa('id', ['-g', 'postgres'])).stdout);
    await chown(dir, uid, gid);
  }
  const run = (program: string, args: readonly string[]) =>
    asRoot ? execa('runuser', ['-u', 'postgres', '--', path.join(bin, program), ...args]) : execa(path.join(bin, program), args);

  await run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  // fsync off: the test crashes the server process, not the host, so durability comes from the WAL alone.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = async (): Promise<void> => {
    await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'immediate'): Promise<void> => {
    await run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  };
  await start();
  const adminUrl = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    await stop('immediate').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  return {
    port,
    adminUrl,
    async createDatabase(name: string): Promise<string> {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const url = `postgresql://postgres@127.0.0.1:${port}/${name}`;
      await applyMigrations(url);
      return url;
    },
    stop,
    start,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
