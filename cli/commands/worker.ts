// pandasweep worker [--queues control,train,judge] [--gpus 0,1,2,3]
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { detectGpus } from '../../activities/jobs/gpu-slots.js';
import type { QueueName } from '../../worker.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession } from '../open-session.js';

const queueNames: readonly QueueName[] = ['control', 'train', 'judge'];

interface WorkerOptions {
  readonly queues: string;
  readonly gpus?: string;
  readonly judgeMatches: string;
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
      .addHelpText('after', `
Each job asking for N GPUs waits for N free ids and gets them in CUDA_VISIBLE_DEVICES; a GPU is never shared.
Stop with Ctrl-C: running jobs finish their current activity attempt or are retried elsewhere.

Examples:
  $ TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://… pandasweep worker --queues train --gpus 0,1,2,3
  $ TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://… pandasweep worker --queues control,judge`)
      .action(async (options: WorkerOptions) => ctx.setExitCode(await runWorker(options, ctx)));
  },
};

async function runWorker(options: WorkerOptions, ctx: CliContext): Promise<number> {
  const queues = options.queues.split(',').map((q) => q.trim()).filter(Boolean);
  const unknown = queues.filter((q) => !queueNames.includes(q as QueueName));
  if (unknown.length > 0 || queues.length === 0) throw new UsageError(`Unknown queue(s) in --queues: ${unknown.join(', ') || '(none)'}.`, `Use a comma-separated list of ${queueNames.join(', ')}.`);
  const gpus = options.gpus === undefined ? await detectGpus() : parseGpuIds(options.gpus);
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
    logger: (line) => ctx.stderr.write(`${line}\n`),
  });
  ctx.stderr.write(`Worker polling ${queues.join(', ')} on ${temporal.address} (GPUs: ${gpus.length > 0 ? gpus.join(',') : 'none'}; database: ${session.db.kind}). Ctrl-C to stop.\n`);
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
