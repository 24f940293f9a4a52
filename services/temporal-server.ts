import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { searchAttributeNames } from '../workflows/shared.js';
import { ensureStateSubdir } from './state-dir.js';
import { findTemporalCli, TemporalCliNotFoundError } from './temporal-cli.js';

/** Options for `startTemporalDevServer`. */
export interface TemporalDevServerOptions {
  /** pandasweep's state folder; the server's history lives in `<stateDir>/temporal/dev.db`. */
  readonly stateDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** gRPC port. Defaults to `7233`. */
  readonly port?: number;
  /** Web UI port. Defaults to `8233`. */
  readonly uiPort?: number;
  /** How long to wait for the port to open, in ms. Defaults to `60_000` (a busy 2-core machine needs ~10 s). */
  readonly startTimeoutMs?: number;
}

/** A Temporal server this process connects to, and whether it started it. */
export interface TemporalServerHandle extends AsyncDisposable {
  /** `host:port` for `Connection.connect`. */
  readonly address: string;
  /** The Web UI, when this process knows it. */
  readonly uiUrl: string | null;
  /** `true` when this process started the server (and will stop it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

/** Returns `true` when something accepts TCP connections on `host:port`. */
export function isPortOpen(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Connects to the local dev server on `port`, starting it (with the Web UI, the search attributes and a
 * persistent history file) when nothing listens there yet.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalServerHandle> {
  const port = options.port ?? 7233;
  const uiPort = options.uiPort ?? 8233;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  if (await isPortOpen('127.0.0.1', port)) {
    const noop = async (): Promise<void> => undefined;
    return { address, uiUrl, started: false, stop: noop, [Symbol.asyncDispose]: noop };
  }
  // On a user's machine without the CLI, the SDK's own download is the last resort.
  const cli = await findTemporalCli(options.env, { download: true });
  if (cli === null) throw new TemporalCliNotFoundError();
  const dir = await ensureStateSubdir(options.stateDir, 'temporal');
  const log = createWriteStream(path.join(dir, 'server.log'), { flags: 'a' });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort),
    '--db-filename', path.join(dir, 'dev.db'),
    '--log-level', 'warn',
    ...Object.values(searchAttributeNames).flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  const child: ResultPromise = execa(cli, args, { reject: false, stdin: 'ignore', cleanup: true });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited = false;
  void child.then(() => {
    exited = true;
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await isPortOpen('127.0.0.1', port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `The Temporal dev server did not start on ${address} (${exited ? 'it exited' : 'timed out'}); see ${path.join(dir, 'server.log')}.`,
      );
    }
    await sleep(200);
  }
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
    await Promise.race([child, sleep(10_000)]);
    if (!exited) child.kill('SIGKILL');
    log.end();
  };
  return { address, uiUrl, started: true, stop, [Symbol.asyncDispose]: stop };
}
