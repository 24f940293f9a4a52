import { readdirSync, readFileSync } from 'node:fs';
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
  /** gRPC port. Defaults to the first of 7233, 7234, … that no other folder's server holds. */
  readonly port?: number;
  /** Web UI port. Defaults to the gRPC port + 1000. */
  readonly uiPort?: number;
  /** Told what happens: starting, joining this folder's server, a port held by another folder's. */
  readonly log?: (line: string) => void;
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
  /** The pid of this folder's server when this process joined it rather than starting one. */
  readonly joinedPid?: number;
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

/** A running `temporal server start-dev`, as its command line says. */
export interface DevServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly uiPort: number;
  /** Its `--db-filename`: which state folder it belongs to. */
  readonly dbFile: string;
}

/**
 * Lists the dev servers running on this machine from /proc (empty where there is none, e.g. on macOS:
 * then a busy port is taken as a server to join, as before).
 */
export function findDevServers(): DevServerProcess[] {
  const found: DevServerProcess[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return found;
  }
  for (const entry of entries) {
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const at = argv.indexOf('start-dev');
    if (at < 1 || argv[at - 1] !== 'server') continue;
    const flag = (name: string) => {
      const i = argv.indexOf(name);
      return i === -1 ? undefined : argv[i + 1];
    };
    const dbFile = flag('--db-filename');
    const port = Number(flag('--port') ?? 7233);
    if (dbFile !== undefined) found.push({ pid: Number(entry), port, uiPort: Number(flag('--ui-port') ?? port + 1000), dbFile: path.resolve(dbFile) });
  }
  return found;
}

// The pandasweep process that started it is gone: it was re-parented (to init, or to a subreaper).
function isOrphan(pid: number): boolean {
  const parent = parentPid(pid);
  if (parent === undefined) return false;
  if (parent === 1) return true;
  try {
    return !readFileSync(`/proc/${parent}/cmdline`, 'utf8').includes('pandasweep');
  } catch {
    return true;
  }
}

function parentPid(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after its ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

async function stopProcess(pid: number, port: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && (await isPortOpen('127.0.0.1', port, 200))) await sleep(100);
  if (await isPortOpen('127.0.0.1', port, 200)) process.kill(pid, 'SIGKILL');
}

// Default ports a folder's server may take when an earlier one is held by another folder's server.
const defaultPorts = Array.from({ length: 10 }, (_, i) => 7233 + i);

/**
 * Connects to this state folder's local dev server: the one already running on its history file
 * (`<stateDir>/temporal/dev.db`), say left by a CLI that was killed, is joined and named; otherwise one is
 * started (Web UI, search attributes, that history file) on the first port that no other folder's server
 * holds, so runs from two folders never write into one history. An explicit `port` held by another
 * folder's server is an error; held by a server that is not a dev server, it is joined.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalServerHandle> {
  const dbFile = path.resolve(options.stateDir, 'temporal', 'dev.db');
  const noop = async (): Promise<void> => undefined;
  const servers = findDevServers();
  const own = servers.find((server) => server.dbFile === dbFile);
  if (own !== undefined && (options.port === undefined || options.port === own.port) && (await isPortOpen('127.0.0.1', own.port))) {
    // Left behind by a CLI that was killed (its parent is gone): this process adopts it and stops it at
    // the end, as if it had started it. One that a `pandasweep server` still runs is only joined.
    const orphan = isOrphan(own.pid);
    options.log?.(`Joining the local Temporal dev server of this folder (pid ${own.pid}, port ${own.port}${orphan ? ', left by an earlier run; stopped when this one ends' : ''}).`);
    const stop = orphan ? () => stopProcess(own.pid, own.port) : noop;
    return { address: `127.0.0.1:${own.port}`, uiUrl: `http://127.0.0.1:${own.uiPort}`, started: orphan, joinedPid: own.pid, stop, [Symbol.asyncDispose]: stop };
  }
  let port: number | undefined;
  for (const candidate of options.port === undefined ? defaultPorts : [options.port]) {
    if (!(await isPortOpen('127.0.0.1', candidate))) {
      port = candidate;
      break;
    }
    const holder = servers.find((server) => server.port === candidate);
    if (holder === undefined && options.port !== undefined) {
      // Not a dev server we can see (a cluster, another platform): use it, as asked.
      return { address: `127.0.0.1:${candidate}`, uiUrl: `http://127.0.0.1:${options.uiPort ?? candidate + 1000}`, started: false, stop: noop, [Symbol.asyncDispose]: noop };
    }
    const whose = holder === undefined ? 'another program' : `the local server of ${path.dirname(path.dirname(holder.dbFile))} (pid ${holder.pid})`;
    if (options.port !== undefined) throw new Error(`Port ${candidate} is held by ${whose}; stop it, or pick another port.`);
    options.log?.(`Port ${candidate} is held by ${whose}; this folder's server takes the next free port.`);
  }
  if (port === undefined) throw new Error(`Ports ${defaultPorts[0]}-${defaultPorts.at(-1)} are all held by other Temporal servers; stop one, or set TEMPORAL_ADDRESS.`);
  const uiPort = options.uiPort ?? port + 1000;
  const address = `127.0.0.1:${port}`;
  const uiUrl = `http://127.0.0.1:${uiPort}`;
  options.log?.(`Starting the local Temporal dev server on port ${port} (set TEMPORAL_ADDRESS to use a cluster)…`);
  // On a user's machine without the CLI, the SDK's own download is the last resort.
  const cli = await findTemporalCli(options.env, { download: true });
  if (cli === null) throw new TemporalCliNotFoundError();
  const dir = await ensureStateSubdir(options.stateDir, 'temporal');
  const logFile = path.join(dir, 'server.log');
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort),
    '--db-filename', dbFile,
    '--log-level', 'warn',
    ...Object.values(searchAttributeNames).flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
  ];
  // Straight into the file, not through this process: a server whose output pipe closes when a killed
  // CLI's end of it goes would die at its next log line; this way it lives on, to be adopted (above).
  // In its own process group, so a signal to the CLI's group (Ctrl-C, `timeout`) reaches the CLI only: it
  // stops its worker first and the server last, instead of the server dying under a worker still
  // reporting its jobs. The exit hook stands in for execa's `cleanup`, which skips detached children.
  const child: ResultPromise = execa(cli, args, { reject: false, stdin: 'ignore', stdout: { file: logFile, append: true }, stderr: { file: logFile, append: true }, detached: true });
  const killOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let exited = false;
  void child.then(() => {
    exited = true;
    process.off('exit', killOnExit);
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await isPortOpen('127.0.0.1', port))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `The Temporal dev server did not start on ${address} (${exited ? 'it exited' : 'timed out'}); see ${logFile}.`,
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
  };
  return { address, uiUrl, started: true, stop, [Symbol.asyncDispose]: stop };
}
