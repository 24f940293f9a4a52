/**
 * The local Temporal dev server belongs to its state folder: it dies with the CLI that started it (even
 * a kill -9), the commands of that folder join the one `pandasweep server` keeps running there, by name,
 * and a command of another folder never writes into it (it starts its own server on the next free
 * port). Real dev servers, started by the CLI as a newcomer's would; PostgreSQL from DATABASE_URL.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDevServers, isPortOpen } from '../../../services/temporal-server.js';
import { findJobProcesses, spawnCli, uniqueName, waitFor, type CliProcess } from '../../support/faults/fault-harness.js';
import { writeFaultSweep } from '../../support/faults/write-fault-sweep.js';
import { isRunning } from '../../support/worker-process.js';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

describe('the local dev server of a state folder', () => {
  let db: TestDatabase;
  let dir: string;
  const processes: CliProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-local-server-'));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const demo = path.join(repoRoot, 'sweeps/demo.yaml');
  const dbOf = (home: string) => path.join(home, 'temporal', 'dev.db');
  const serverOf = (home: string) => findDevServers().find((s) => s.dbFile === dbOf(home));
  // No TEMPORAL_ADDRESS: the embedded default's own dev server.
  const spawnIn = (home: string, args: readonly string[], options: { processGroup?: boolean } = {}) => {
    const proc = spawnCli(args, { temporalAddress: '', databaseUrl: db.url, home, taskQueue: 'local-server-test' }, options);
    processes.push(proc);
    return proc;
  };

  it('dies with the CLI that started it, even one killed with SIGKILL', async () => {
    const home = path.join(dir, 'killed');
    await mkdir(home);
    const run = spawnIn(home, ['run', demo, '--worker']);
    const server = await waitFor('the folder\'s dev server', () => serverOf(home), { alive: [run], timeoutMs: 60_000 });
    await waitFor('its port to open', () => isPortOpen('127.0.0.1', server.port), { alive: [run], timeoutMs: 60_000 });
    await run.kill('SIGKILL');
    await waitFor('the server to stop', () => !isRunning(server.pid), { timeoutMs: 20_000 });
  });

  // Ctrl-C or `timeout` signal the whole group: the server must not go first, under a worker still
  // reporting its jobs (core's retries then printed raw, coloured WARN lines on stdout).
  it('outlives the worker when a signal reaches the whole process group, and nothing lands on stdout', async () => {
    const home = path.join(dir, 'group');
    await mkdir(home);
    const sweep = await writeFaultSweep(home, { name: uniqueName('group-signal'), stepSleepSeconds: 0.5, retries: 0 });
    const run = spawnIn(home, ['run', sweep.file], { processGroup: true });
    const server = await waitFor('the folder\'s dev server', () => serverOf(home), { alive: [run], timeoutMs: 60_000 });
    const job = await waitFor('training under way', () => db.prisma.job.findFirst({ where: { trial: { sweepId: sweep.sweepId }, kind: 'train', finishedAt: null } }), { alive: [run], timeoutMs: 120_000 });
    await waitFor('the job process', () => findJobProcesses([job.id]).length > 0, { alive: [run] });
    const exit = await run.kill('SIGTERM');
    expect(exit.exitCode, exit.stderr).toBe(130);
    expect(exit.stdout).toBe('');
    // The worker finished its stopped attempts while the server still took their completions.
    const jobs = await db.prisma.job.findMany({ where: { trial: { sweepId: sweep.sweepId } } });
    expect(jobs.every((j) => j.finishedAt !== null)).toBe(true);
    await waitFor('the server to stop', () => !isRunning(server.pid), { timeoutMs: 20_000 });
  });

  it('is joined by its own folder, by name, and never by another folder', async () => {
    const [homeA, homeB] = [path.join(dir, 'a'), path.join(dir, 'b')];
    await Promise.all([mkdir(homeA), mkdir(homeB)]);
    const kept = spawnIn(homeA, ['server']);
    const serverA = await waitFor('folder A\'s dev server', () => serverOf(homeA), { alive: [kept], timeoutMs: 60_000 });
    await waitFor('its port to open', () => isPortOpen('127.0.0.1', serverA.port), { alive: [kept], timeoutMs: 60_000 });
    const env = (home: string) => ({ DATABASE_URL: db.url, PANDASWEEP_HOME: home });

    const fromB = await runCli(['run', demo, '--detach'], { env: env(homeB) });
    expect(fromB.exitCode, fromB.stderr).toBe(0);
    expect(fromB.stderr).toContain(`Port ${serverA.port} is held by the local server of ${homeA} (pid ${serverA.pid}); this folder's server takes the next free port.`);
    const portB = Number(/Starting the local Temporal dev server on port (\d+)/.exec(fromB.stderr)?.[1]);
    expect(portB).toBeGreaterThan(serverA.port);
    // B's server stopped with its command; A's is untouched.
    await waitFor('folder B\'s server to stop', () => serverOf(homeB) === undefined, { timeoutMs: 20_000 });
    expect(isRunning(serverA.pid)).toBe(true);

    const fromA = await runCli(['run', demo, '--detach'], { env: env(homeA) });
    expect(fromA.exitCode, fromA.stderr).toBe(0);
    expect(fromA.stderr).toContain(`Joining the local Temporal dev server of this folder (pid ${serverA.pid}, port ${serverA.port}).`);
    expect(fromA.stderr).not.toContain('Starting the local Temporal dev server');
    // Joined, not adopted: the server `pandasweep server` keeps stays up.
    expect(isRunning(serverA.pid)).toBe(true);
  });
});
