// pandasweep cancel <sweep>
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { DataDirLockedError } from '../../services/embedded-postgres.js';
import { workflowIds } from '../../core/ids/workflow-ids.js';
import type { RunningWorker } from '../../worker.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { openSession, type Session } from '../open-session.js';

/** `pandasweep cancel`: cancels a running sweep, its trials, tournaments and external jobs. */
export const cancelCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('cancel')
      .description('Cancel a running sweep: every trial and tournament workflow is cancelled and every running job is stopped (SIGTERM to its process group, SIGKILL after a grace period).')
      .argument('<sweep>', 'sweep id (the slug of its name, as `pandasweep run` prints it)')
      .option('--no-wait', 'return once the cancellation is requested instead of when the sweep has stopped')
      .addHelpText('after', `
Finished trials, answers and judgments stay recorded; running the sweep again starts it anew
and reuses them.

Examples:
  $ pandasweep cancel demo
  $ TEMPORAL_ADDRESS=temporal:7233 pandasweep cancel pandalm-paper --no-wait`)
      .action(async (sweepId: string, options: { wait: boolean }) => ctx.setExitCode(await cancelSweep(sweepId, options.wait, ctx)));
  },
};

async function cancelSweep(sweepId: string, wait: boolean, ctx: CliContext): Promise<number> {
  const embedded = !ctx.env.TEMPORAL_ADDRESS;
  await using session = await openSession(ctx, { database: false });
  const temporal = session.temporal!;
  const handle = temporal.client.workflow.getHandle(workflowIds.sweep(sweepId));
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw new UsageError(`No sweep "${sweepId}" on ${temporal.address}.`, 'Check the id `pandasweep run` printed, or list workflows in the Temporal Web UI.');
    throw error;
  }
  if (status !== 'RUNNING') {
    ctx.stdout.write(`Sweep ${sweepId} is not running (${status.toLowerCase()}); nothing to cancel.\n`);
    return exitCodes.ok;
  }
  await handle.cancel();
  if (!wait) {
    ctx.stdout.write(`Cancellation of sweep ${sweepId} requested.\n`);
    return exitCodes.ok;
  }
  // On the embedded default the workers live inside `pandasweep run`; when none runs, this process
  // becomes the worker so the cancellation is carried out (jobs stopped, statuses recorded).
  const worker = embedded ? await startLocalWorkerIfFree(session, ctx) : undefined;
  try {
    ctx.stderr.write(`Cancelling sweep ${sweepId}: stopping its jobs…\n`);
    await handle.result().catch(() => undefined);
  } finally {
    await worker?.shutdown();
  }
  ctx.stdout.write(`Sweep ${sweepId} cancelled.\n`);
  return exitCodes.ok;
}

async function startLocalWorkerIfFree(session: Session<false>, ctx: CliContext): Promise<RunningWorker | undefined> {
  const { openDatabase } = await import('../../services/database.js');
  let db;
  try {
    db = await openDatabase({ stateDir: session.stateDir });
  } catch (error) {
    if (error instanceof DataDirLockedError) return undefined; // a running `pandasweep run` does the work
    throw error;
  }
  const { startWorker } = await import('../../worker.js');
  const temporal = session.temporal!;
  const worker = await startWorker({ connection: temporal.workerConnection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, prisma: db.prisma, stateDir: session.stateDir, logger: (line) => ctx.stderr.write(`${line}\n`) });
  const shutdown = async (): Promise<void> => {
    await worker.shutdown();
    await db.close();
  };
  return { done: worker.done, shutdown, [Symbol.asyncDispose]: shutdown };
}
