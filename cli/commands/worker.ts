// pandasweep worker [--queues control,train,judge] [--gpus 0,1,2,3] [--launcher local|slurm]
import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { detectGpus } from '../../activities/jobs/gpu-slots.js';
import type { JobLauncher } from '../../activities/jobs/job-launcher.js';
import { LocalLauncher } from '../../activities/jobs/local-launcher.js';
import { defaultSlurmPollIntervalMs, SlurmLauncher } from '../../activities/jobs/slurm-launcher.js';
import type { QueueName } from '../../worker.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession } from '../open-session.js';
import { choiceList, gpuIds, positiveInteger, positiveNumber } from '../parse-options.js';

const queueNames: readonly QueueName[] = ['control', 'train', 'judge'];
const launcherNames = ['local', 'slurm'] as const;

type LauncherName = (typeof launcherNames)[number];

/** The options as commander hands them over: parsed and checked (see `cli/parse-options.ts`). */
interface WorkerOptions {
  readonly queues: readonly QueueName[];
  readonly gpus?: readonly number[];
  readonly judgeMatches: number;
  readonly launcher: LauncherName;
  readonly sbatchArg: readonly string[];
  readonly slurmPoll: number;
}

/** `pandasweep worker`: a long-running worker process for a cluster (GPU hosts, judge hosts). */
export const workerCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('worker')
      .description('Run a worker that trains, generates and judges for sweeps on TEMPORAL_ADDRESS, recording into DATABASE_URL.')
      .addOption(new Option('--queues <list>', `task queues to poll, comma-separated (${queueNames.join(', ')})`).argParser(choiceList(queueNames, 'queue')).default(queueNames, queueNames.join(',')))
      .addOption(new Option('--gpus <ids>', 'distinct GPU ids this worker hands to jobs, e.g. 0,1,2,3 (default: detected with nvidia-smi, else none)').argParser(gpuIds))
      .addOption(new Option('--judge-matches <n>', 'matches judged at once in this process').argParser(positiveInteger).default(2))
      .addOption(new Option('--launcher <name>', "how jobs run (slurm: sbatch/squeue/sacct/scancel on this host's cluster)").choices(launcherNames).default('local'))
      .option('--sbatch-arg <arg>', 'extra sbatch argument for every job, e.g. --sbatch-arg=--partition=gpu (repeatable; slurm only)', (arg: string, all: string[]) => [...all, arg], [] as string[])
      .addOption(new Option('--slurm-poll <seconds>', 'seconds between squeue polls of a running job (slurm only)').argParser(positiveNumber('seconds')).default(defaultSlurmPollIntervalMs / 1000))
      .addHelpText('after', `
Each job asking for N GPUs waits for N free ids and gets them in CUDA_VISIBLE_DEVICES; a GPU is
never shared. With --launcher slurm, jobs are submitted with sbatch (GPUs requested with
--gres=gpu:N, so Slurm assigns them and --gpus does not apply), followed with squeue/sacct and
cancelled with scancel; the worker host only needs the Slurm client commands and a shared
filesystem for the trial folders.
Stop with Ctrl-C: running jobs finish their current activity attempt or are retried elsewhere.

Examples:
  $ export TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://…
  $ pandasweep worker --queues train --gpus 0,1,2,3
  $ pandasweep worker --queues control,judge
  $ pandasweep worker --queues train --launcher slurm --sbatch-arg=--partition=gpu`)
      .action(async (options: WorkerOptions) => ctx.setExitCode(await runWorker(options, ctx)));
  },
};

async function runWorker(options: WorkerOptions, ctx: CliContext): Promise<number> {
  const { queues, judgeMatches } = options;
  const launcher = createLauncher(options);
  // Slurm assigns GPUs on its nodes; the worker host's own GPUs do not matter.
  const gpus: readonly number[] = launcher.allocatesGpus ? [] : (options.gpus ?? (await detectGpus()));
  await using session = await openSession(ctx);
  const temporal = session.temporal!;
  const { startWorker } = await import('../../worker.js');
  const worker = await startWorker({
    connection: temporal.workerConnection,
    namespace: temporal.namespace,
    taskQueue: temporal.taskQueue,
    prisma: session.db.prisma,
    stateDir: session.stateDir,
    queues,
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

function createLauncher(options: WorkerOptions): JobLauncher {
  if (options.launcher === 'local') {
    if (options.sbatchArg.length > 0) throw new UsageError('--sbatch-arg only applies to --launcher slurm.');
    return new LocalLauncher();
  }
  // --launcher is one of launcherNames (commander checked the choice), so this is slurm.
  if (options.gpus !== undefined) throw new UsageError('--gpus does not apply to --launcher slurm: Slurm assigns GPUs to each job (--gres=gpu:N).');
  return new SlurmLauncher({ sbatchArgs: options.sbatchArg, pollIntervalMs: Math.round(options.slurmPoll * 1000) });
}
