/**
 * Connects the CLI to Temporal and the database: a cluster and PostgreSQL when `TEMPORAL_ADDRESS` and
 * `DATABASE_URL` are set, else the embedded default (a local dev server and PGlite under the state folder).
 */
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { openDatabase, type Database } from '../services/database.js';
import { resolveStateDir } from '../services/state-dir.js';
import { startTemporalDevServer, type TemporalServerHandle } from '../services/temporal-server.js';
import { defaultTaskQueue } from '../workflows/shared.js';
import type { CliContext } from './command.js';

/** What a command works with. Close it on every path. `WithDatabase` is false for `database: false`. */
export interface Session<WithDatabase extends boolean = true> extends AsyncDisposable {
  readonly stateDir: string;
  /** The database; `undefined` when `database: false` was asked for. */
  readonly db: WithDatabase extends true ? Database : undefined;
  /** Present when the command asked for Temporal. */
  readonly temporal?: {
    readonly client: Client;
    readonly address: string;
    readonly namespace: string;
    /** Base task queue (`PANDASWEEP_TASK_QUEUE`, default `pandasweep`). */
    readonly taskQueue: string;
    readonly uiUrl: string | null;
    /** For an in-process worker. */
    readonly workerConnection: NativeConnection;
    /** True when this process started a dev server. */
    readonly startedServer: boolean;
  };
  close(): Promise<void>;
}

/** Options for `openSession`. */
export interface OpenSessionOptions {
  /** Connect to Temporal too (starting a local dev server when `TEMPORAL_ADDRESS` is unset). Defaults to `true`. */
  readonly temporal?: boolean;
  /** Open the database. Defaults to `true`. */
  readonly database?: boolean;
}

/** Temporal could not be reached at the configured address. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
  readonly address: string;

  constructor(address: string, cause: unknown) {
    super(
      `Cannot reach Temporal at ${address}: ${(cause as Error).message}. Check that the server runs and TEMPORAL_ADDRESS is right ` +
        '(host:port), or unset TEMPORAL_ADDRESS to let pandasweep start a local dev server.',
      { cause },
    );
    this.address = address;
  }
}

/** Opens the database and, unless told otherwise, Temporal. */
export async function openSession(ctx: CliContext, options?: OpenSessionOptions & { readonly database?: true }): Promise<Session>;
/** Opens Temporal only. */
export async function openSession(ctx: CliContext, options: OpenSessionOptions & { readonly temporal?: true; readonly database: false }): Promise<Session<false>>;
export async function openSession(ctx: CliContext, options: OpenSessionOptions = {}): Promise<Session<boolean>> {
  const stateDir = resolveStateDir(ctx.env, ctx.cwd);
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    let temporal: Session<boolean>['temporal'];
    if (options.temporal ?? true) {
      const namespace = ctx.env.TEMPORAL_NAMESPACE ?? 'default';
      let server: TemporalServerHandle | null = null;
      let address = ctx.env.TEMPORAL_ADDRESS ?? '';
      if (address === '') {
        server = await startTemporalDevServer({ stateDir, env: ctx.env, log: (line) => ctx.stderr.write(`${line}\n`) });
        closers.push(() => server!.stop());
        address = server.address;
      }
      let connection: Connection;
      try {
        connection = await Connection.connect({ address, connectTimeout: '10s' });
      } catch (error) {
        throw new TemporalUnreachableError(address, error);
      }
      closers.push(() => connection.close());
      // Only now: the runtime forwards core's logs through a handle that keeps Node running until its
      // last native connection closes (one whose connect fails shuts the runtime down itself), so it
      // must not exist when the client could not connect and no native connection will ever close.
      installRuntimeLogger(ctx.env);
      let workerConnection: NativeConnection;
      try {
        workerConnection = await NativeConnection.connect({ address });
      } catch (error) {
        throw new TemporalUnreachableError(address, error);
      }
      closers.push(() => workerConnection.close());
      temporal = {
        client: new Client({ connection, namespace }),
        address,
        namespace,
        taskQueue: ctx.env.PANDASWEEP_TASK_QUEUE || defaultTaskQueue,
        uiUrl: server?.uiUrl ?? ctx.env.TEMPORAL_UI_URL ?? null,
        workerConnection,
        startedServer: server?.started ?? false,
      };
    }
    let db: Database | undefined;
    if (options.database ?? true) {
      const databaseUrl = ctx.env.DATABASE_URL;
      const opened = await openDatabase({ stateDir, ...(databaseUrl ? { databaseUrl } : {}) });
      closers.push(() => opened.close());
      db = opened;
    }
    return { stateDir, db, ...(temporal ? { temporal } : {}), close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One line for a failed activity attempt, from the SDK's log entry. */
export function summarizeActivityFailure(meta: Record<string, unknown> | undefined): string {
  const error = meta?.error;
  const cause = error instanceof Error ? (error.message.trim().split('\n')[0] ?? '') : String(error ?? 'unknown error');
  const type = error instanceof ApplicationFailure && error.type ? `${error.type}: ` : '';
  const attempt = typeof meta?.attempt === 'number' ? ` (attempt ${meta.attempt})` : '';
  return `[WARN] ${String(meta?.activityType ?? 'activity')} failed for ${String(meta?.workflowId ?? '?')}${attempt}: ${type}${cause}`;
}

// The SDK logs every worker state change at INFO; a terminal wants warnings only unless asked.
function installRuntimeLogger(env: NodeJS.ProcessEnv): void {
  const level = (env.PANDASWEEP_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  const base = new DefaultLogger(level);
  const detailed = level === 'TRACE' || level === 'DEBUG';
  const logger = new DefaultLogger(level, (entry) => {
    // Activity-only workers (train, judge) are expected to have no workflows; that is not worth a warning.
    if (entry.message.startsWith('No workflows registered')) return;
    // A failed attempt is one line (which activity, which workflow, the cause with its log paths); the
    // SDK's dump with stack traces only when PANDASWEEP_LOG_LEVEL asks for DEBUG or TRACE.
    if (entry.message === 'Activity failed' && !detailed) {
      process.stderr.write(`${summarizeActivityFailure(entry.meta)}\n`);
      return;
    }
    base.log(entry.level, entry.message, entry.meta);
  });
  try {
    // Core's own lines (a worker whose server went away first, say) come through this logger too, to
    // stderr: printed by core itself they carry colour codes and land on stdout, among --json output.
    Runtime.install({ logger, telemetryOptions: { logging: { filter: { core: level }, forward: {} } } });
  } catch {
    // Already installed in this process (a second session, or a test): keep the first.
  }
}
