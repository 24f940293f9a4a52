// pandasweep worker [--queues control,train,judge] [--gpus 0,1,2,3] [--launcher local|slurm]
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { detectGpus } from '../../activities/jobs/gpu-slots.js';
import type { JobLauncher } from '../../activities/jobs/job-launcher.js';
import { LocalLauncher } from '../../activities/jobs/local-launcher.js';
import { defaultSlurmPollIntervalMs, SlurmLauncher } from '../../activities/jobs/slurm-launcher.js';
import type { QueueName } from '../../worker.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession } from '../open-session.js';

const queueNames: readonly QueueName[] = ['control', 'train', 'judge'];
const launcherNames = ['local', 'slurm'] as const;

interface WorkerOptions {
  readonly queues: string;
  readonly gpus?: string;
  readonly judgeMatches: string;
  readonly launcher: string;
  readonly sbatchArg: readonly string[];
  readonly slurmPoll: string;
}

/** `pandasweep worker`: a long-running worker process for a cluster (GPU hosts, judge hosts). */
export const workerCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('worker')
      .description('Run a worker that trains, generates and judges for sweeps on TEMPORAL_ADDRESS, recording into DATABASE_URL.')
      .option('--queues <list>', `task queues to poll (${queueNames.join(', ')})`, queueNames.join(','))
      .option('--gpus <ids>', 'GPU ids this worker hands to jobs, e.g. 0,1,2,3 (default: detected with nvidia-smi, else none)')
      .option('--judge-matches <n>', 'matches judged at once in this process', '2')
      .option('--launcher <name>', `how jobs run: ${launcherNames.join(' or ')} (slurm: sbatch/squeue/sacct/scancel on this host's cluster)`, 'local')
      .option('--sbatch-arg <arg>', 'extra sbatch argument for every job, e.g. --sbatch-arg=--partition=gpu (repeatable; slurm only)', (arg: string, all: string[]) => [...all, arg], [] as string[])
      .option('--slurm-poll <seconds>', 'seconds between squeue polls of a running job (slurm only)', String(defaultSlurmPollIntervalMs / 1000))
      .addHelpText('after', `
Each job asking for N GPUs waits for N free ids and gets them in CUDA_VISIBLE_DEVICES; a GPU is never shared.
With --launcher slurm, jobs are submitted with sbatch (GPUs requested with --gres=gpu:N, so Slurm assigns
them and --gpus is ignored), followed with squeue/sacct and cancelled with scancel; the worker host only
needs the Slurm client commands and a shared filesystem for the trial folders.
Stop with Ctrl-C: running jobs finish their current activity attempt or are retried elsewhere.

Examples:
  $ TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://… pandasweep worker --queues train --gpus 0,1,2,3
  $ TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://… pandasweep worker --queues control,judge
  $ TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://… pandasweep worker --queues train --launcher slurm --sbatch-arg=--partition=gpu`)
      .action(async (options: WorkerOptions) => ctx.setExitCode(await runWorker(options, ctx)));
  },
};

async function runWorker(options: WorkerOptions, ctx: CliContext): Promise<number> {
  const queues = options.queues.split(',').map((q) => q.trim()).filter(Boolean);
  const unknown = queues.filter((q) => !queueNames.includes(q as QueueName));
  if (unknown.length > 0 || queues.length === 0) throw new UsageError(`Unknown queue(s) in --queues: ${unknown.join(', ') || '(none)'}.`, `Use a comma-separated list of ${queueNames.join(', ')}.`);
  const launcher = createLauncher(options);
  // Slurm assigns GPUs on its nodes; the worker host's own GPUs do not matter.
  const gpus = launcher.allocatesGpus ? [] : options.gpus === undefined ? await detectGpus() : parseGpuIds(options.gpus);
  const judgeMatches = Number(options.judgeMatches);
  if (!Number.isInteger(judgeMatches) || judgeMatches < 1) throw new UsageError(`--judge-matches must be a positive integer, got "${options.judgeMatches}".`);
  await using session = await openSession(ctx);
  const temporal = session.temporal!;
  const { startWorker } = await import('../../worker.js');
  const worker = await startWorker({
    connection: temporal.workerConnection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    prisma: session.db.prisma,
    stateDir: session.stateDir,
    queues: queues as QueueName[],
    gpus,
    maxConcurrentJudgeMatches: judgeMatches,
    launcher,
    logger: (line) => ctx.stderr.write(`${line}\n`),
  });
  const jobsOn = launcher.allocatesGpus ? 'jobs: slurm' : `jobs: local, GPUs: ${gpus.length > 0 ? gpus.join(',') : 'none'}`;
  ctx.stderr.write(`Worker polling ${queues.join(', ')} on ${temporal.address} (${jobsOn}; database: ${session.db.kind}). Ctrl-C to stop.\n`);
  const stop = (): void => void worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await worker.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return exitCodes.ok;
}

function parseGpuIds(text: string): number[] {
  const ids = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (ids.some((id) => !Number.isInteger(id) || id < 0) || new Set(ids).size !== ids.length) {
    throw new UsageError(`--gpus must list distinct GPU ids like 0,1,2,3, got "${text}".`);
  }
  return ids;
}

function createLauncher(options: WorkerOptions): JobLauncher {
  if (options.launcher === 'local') {
    if (options.sbatchArg.length > 0) throw new UsageError('--sbatch-arg only applies to --launcher slurm.');
    return new LocalLauncher();
  }
  if (options.launcher !== 'slurm') throw new UsageError(`Unknown launcher "${options.launcher}".`, `Use --launcher ${launcherNames.join(' or --launcher ')}.`);
  if (options.gpus !== undefined) throw new UsageError('--gpus does not apply to --launcher slurm: Slurm assigns GPUs to each job (--gres=gpu:N).');
  const pollSeconds = Number(options.slurmPoll);
  if (!Number.isFinite(pollSeconds) || pollSeconds <= 0) throw new UsageError(`--slurm-poll must be a positive number of seconds, got "${options.slurmPoll}".`);
  return new SlurmLauncher({ sbatchArgs: options.sbatchArg, pollIntervalMs: Math.round(pollSeconds * 1000) });
}
