import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchJobOptions } from '../../../activities/jobs/job-launcher.js';
import { SlurmLauncher } from '../../../activities/jobs/slurm-launcher.js';
import { skipLoudly } from '../../support/skip-loudly.js';
import { localSlurmUnavailable, startLocalSlurmCluster, type LocalSlurmCluster } from '../../support/local-slurm-cluster.js';

const slurm = localSlurmUnavailable();
const unavailable = skipLoudly(slurm && `the Slurm launcher tests: ${slurm}`);

const trainer = resolve('toy/trainer.mjs');
const spawnGrandchild = resolve('test/fixtures/jobs/spawn-grandchild.mjs');

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? 'X');
  } catch {
    return false;
  }
}

describe.skipIf(unavailable !== null)('SlurmLauncher against a local single-node Slurm', () => {
  let cluster: LocalSlurmCluster;
  let launcher: SlurmLauncher;
  let work: string;
  let n = 0;
  beforeAll(async () => {
    cluster = await startLocalSlurmCluster();
    launcher = new SlurmLauncher({ pollIntervalMs: 200, commandEnv: cluster.env });
    work = mkdtempSync(join(cluster.dir, 'jobs-'));
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  function options(argv: string[], extra: Partial<LaunchJobOptions> = {}): LaunchJobOptions {
    n += 1;
    return { argv, cwd: work, env: {}, gpus: 0, name: `job-${n}`, stdoutPath: join(work, `${n}.out`), stderrPath: join(work, `${n}.err`), timeoutMs: null, ...extra };
  }

  it('submits with sbatch, streams output lines and reports success', async () => {
    const lines: string[] = [];
    let started = '';
    const result = await launcher.launch(
      options(['node', trainer, 'train', '--output-dir', join(work, 'out'), '--steps', '3', '--note=it has spaces'], {
        env: { PANDASWEEP_PROBE: 'passed through' },
        onLine: (line, stream) => lines.push(`${stream}:${line}`),
        onStart: (id) => (started = id),
      }),
    );
    expect(result.outcome).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(result.externalId).toBe(started);
    expect(started).toMatch(/^\d+$/);
    expect(lines.filter((l) => l.startsWith('stdout:PANDASWEEP_METRIC'))).toHaveLength(3);
    expect(lines).toContain('stderr:toy trainer: done, quality 1');
    expect(JSON.parse(readFileSync(join(work, 'out', 'checkpoint.json'), 'utf8')).params.note).toBe('it has spaces');
  });

  it('passes the job environment and reports a non-zero exit code with the tail', async () => {
    const result = await launcher.launch(options(['node', '-e', 'console.log(process.env.PANDASWEEP_PROBE); process.exit(5)'], { env: { PANDASWEEP_PROBE: "it's here" } }));
    expect(result.outcome).toBe('failed');
    expect(result.exitCode).toBe(5);
    expect(result.tail).toEqual(["it's here"]);
  });

  it('scancels on abort, and Slurm leaves no grandchild behind', async () => {
    const pidFile = join(work, 'cancel.pid');
    const controller = new AbortController();
    const result = await launcher.launch(
      options(['node', spawnGrandchild, pidFile], {
        signal: controller.signal,
        onLine: (line) => {
          if (line.startsWith('READY')) controller.abort();
        },
      }),
    );
    expect(result.outcome).toBe('cancelled');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(isRunning(grandchild)).toBe(false);
  });

  it('a retry stops a job whose Slurm id it never learned, by the job row its comment names', async () => {
    let slurmId = '';
    const running = launcher.launch(options(['sleep', '60'], { env: { PANDASWEEP_JOB_ID: 's/t/train/1' }, onStart: (id) => (slurmId = id) }));
    for (let i = 0; i < 100 && slurmId === ''; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slurmId).toMatch(/^\d+$/);
    // A retry on another worker, as after its worker died before a heartbeat carried the Slurm id.
    const retry = new SlurmLauncher({ pollIntervalMs: 200, commandEnv: cluster.env });
    expect(await retry.stopStale({ externalId: null, jobId: 's/t/train/2', host: 'gone', currentHost: 'here' })).toBe(false);
    expect(await retry.stopStale({ externalId: null, jobId: 's/t/train/1', host: 'gone', currentHost: 'here' })).toBe(true);
    const result = await running;
    expect(result.outcome).toBe('failed');
    expect(result.externalId).toBe(slurmId);
    expect(await retry.stopStale({ externalId: null, jobId: 's/t/train/1', host: 'gone', currentHost: 'here' })).toBe(false);
  });

  it('cancels a job that runs past its timeout', async () => {
    const result = await launcher.launch(options(['sleep', '60'], { timeoutMs: 1_000 }));
    expect(result.outcome).toBe('timedOut');
    expect(result.exitCode).toBeNull();
  });

  it('reports an sbatch rejection as a launch error', async () => {
    const bad = new SlurmLauncher({ pollIntervalMs: 200, commandEnv: cluster.env, sbatchArgs: ['--partition=no-such-partition'] });
    const result = await bad.launch(options(['true']));
    expect(result.outcome).toBe('failed');
    expect(result.externalId).toBeNull();
    expect(result.launchError).toMatch(/sbatch failed: .*partition/i);
  });
});
