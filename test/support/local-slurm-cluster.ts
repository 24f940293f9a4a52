import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { execa } from 'execa';

/** A single-node Slurm (munged + slurmctld + slurmd on localhost) started for a test file. */
export interface LocalSlurmCluster {
  /** Environment the Slurm commands need (`SLURM_CONF`). */
  readonly env: Readonly<Record<string, string>>;
  /** Scratch folder of the cluster; jobs may write there. */
  readonly dir: string;
  /** Stops the daemons (by their pid files) and removes the folder. */
  stop(): Promise<void>;
}

const binaries = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch'];

/**
 * Why a local Slurm cannot run here, or `null` when it can: it needs Debian's `slurm-wlm` packages
 * (`slurmctld slurmd slurm-client munge`), the munge key and root (slurmd runs jobs as their user).
 */
export function localSlurmUnavailable(): string | null {
  const missing = binaries.filter((b) => !existsSync(b));
  if (missing.length > 0) return `Slurm is not installed (missing ${missing.join(', ')}; apt-get install slurmctld slurmd slurm-client munge)`;
  if (!existsSync('/etc/munge/munge.key')) return 'no /etc/munge/munge.key';
  if (process.getuid?.() !== 0) return 'a local slurmd needs root';
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Starts the daemons in a fresh folder and waits until the node is idle. */
export async function startLocalSlurmCluster(): Promise<LocalSlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pandasweep-slurm-'));
  for (const sub of ['spool', 'state', 'log', 'munge']) mkdirSync(join(dir, sub));
  chmodSync(join(dir, 'munge'), 0o700);
  copyFileSync('/etc/munge/munge.key', join(dir, 'munge', 'munge.key'));
  chmodSync(join(dir, 'munge', 'munge.key'), 0o400);
  const socket = join(dir, 'munge', 'munge.sock');
  const node = hostname().split('.')[0] ?? 'localhost';
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      'ClusterName=pandasweep-test',
      `SlurmctldHost=${node}(127.0.0.1)`,
      'AuthType=auth/munge',
      `AuthInfo=socket=${socket}`,
      'CredType=cred/munge',
      'SlurmUser=root',
      'SlurmdUser=root',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
      // linuxproc tracks a job's processes by ancestry, so scancel reaches its grandchildren without cgroups.
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/builtin',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'ReturnToService=2',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'MpiDefault=none',
      // Short grace between SIGTERM and SIGKILL keeps cancel tests quick.
      'KillWait=2',
      'MinJobAge=300',
      `NodeName=${node} NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN`,
      'PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { SLURM_CONF: conf };
  const cluster: LocalSlurmCluster = {
    env,
    dir,
    stop: async () => {
      for (const pidFile of ['slurmd.pid', 'slurmctld.pid', join('munge', 'munged.pid')]) {
        try {
          process.kill(Number(readFileSync(join(dir, pidFile), 'utf8').trim()), 'SIGTERM');
        } catch {
          // Not started or already gone.
        }
      }
      await delay(500);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await execa('/usr/sbin/munged', [
      `--key-file=${join(dir, 'munge', 'munge.key')}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
      `--log-file=${join(dir, 'munge', 'munged.log')}`,
      `--seed-file=${join(dir, 'munge', 'seed')}`,
      '--force',
    ]);
    await execa('/usr/sbin/slurmctld', ['-c'], { env });
    await execa('/usr/sbin/slurmd', [], { env });
    for (let i = 0; i < 60; i++) {
      const { stdout } = await execa('sinfo', ['--noheader', '--format=%T'], { env, reject: false });
      if (stdout.trim() === 'idle') return cluster;
      await delay(500);
    }
    throw new Error(`local Slurm node did not become idle; see ${join(dir, 'log')}`);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
