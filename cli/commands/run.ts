// pandasweep run <sweep.yaml> [--json] [--detach] [--worker|--no-worker]
import { WorkflowIdConflictPolicy } from '@temporalio/client';
import type { Command } from 'commander';
import path from 'node:path';
import type { sweepWorkflow } from '../../workflows/sweep.js';
import { sweepDefinition } from '../../core/sweep/sweep-definition.js';
import { workflowIds } from '../../core/ids/workflow-ids.js';
import { searchAttributes } from '../../workflows/shared.js';
import type { RunningWorker } from '../../worker.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { detectGpus } from '../../activities/jobs/gpu-slots.js';
import { UsageError } from '../../core/errors/usage-error.js';
import { tunedVsDefaultToJson } from '../../report/tuned-vs-default.js';
import { readLeaderboard, renderLeaderboard } from '../leaderboard-table.js';
import { loadSweepPlan, type LoadedSweep } from '../load-sweep-plan.js';
import { openSession } from '../open-session.js';
import { formatPreflightProblems, preflightSweep } from '../preflight.js';
import { reconcileRecordedSweep, sweepMemo } from '../reconcile-recorded-sweep.js';
import { listenForInterrupt } from '../interrupt-signal.js';
import { waitForResult } from '../wait-for-result.js';
import { watchProgress } from '../progress-bars.js';
import { readProgressCounts } from '../../report/read-sweep.js';

// How long an interrupted run waits for its worker to stop its jobs, within the 30 s users expect.
const workerStopGraceMs = 20_000;

interface RunOptions {
  readonly json?: boolean;
  readonly detach?: boolean;
  readonly worker?: boolean;
  readonly preflight?: boolean;
  readonly redoStale?: boolean;
}

/** `pandasweep run`: runs a sweep to the end (or starts it, with `--detach`). */
export const runCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('run')
      .description('Run a sweep: train every configuration, judge the answers pairwise, and record the best checkpoint per base model.')
      .argument('<sweep>', 'sweep file (YAML)')
      .option('--json', 'print one JSON object with the sweep id and the best trial per base model as the last line')
      .option('--detach', 'start the sweep and return at once with its id (needs `pandasweep worker` processes)')
      .option('--worker', 'run a worker in this process even when TEMPORAL_ADDRESS is set')
      .option('--no-worker', 'do not run a worker in this process')
      .option('--no-preflight', 'start even when this machine lacks what the jobs need (see below)')
      .option('--redo-stale', 'after an edit of the sweep file: discard the recorded results it made stale and redo them')
      .addHelpText('after', `
With neither TEMPORAL_ADDRESS nor DATABASE_URL set, pandasweep starts a local Temporal dev server
(Web UI at http://127.0.0.1:8233) and an embedded database under ./.pandasweep, and runs the work in
this process. Running the same sweep again reuses every finished trial and judgment.

Before anything starts, the preflight of \`pandasweep validate\` checks this machine: the programs and
files every trial's commands name, the judge's model, the secrets, the GPUs (nvidia-smi). Without
TEMPORAL_ADDRESS this process's worker is the only one, so a problem stops the run (exit 2) with the
sweep file's line; with TEMPORAL_ADDRESS set, workers may run elsewhere and problems are notes.

Running a sweep again reuses only what its file still defines: an edit of a job's command or env,
of a base model's fields or of the evaluation instructions makes the trials it touches stale, an
edit of the judge (config, mode, swap) its matches. Then run refuses and lists the changes;
--redo-stale discards exactly those results and redoes them, a new \`name:\` keeps the old sweep as
it is. New parameter values only add trials. A running sweep is joined only with its definition.

Examples:
  $ pandasweep run sweeps/demo.yaml
  $ pandasweep run sweeps/demo.yaml --json | tail -n 1
  $ export TEMPORAL_ADDRESS=temporal:7233 DATABASE_URL=postgresql://…
  $ pandasweep run sweeps/pandalm-paper.yaml --detach`)
      .action(async (file: string, options: RunOptions) => ctx.setExitCode(await runSweep(file, options, ctx)));
  },
};

async function runSweep(file: string, options: RunOptions, ctx: CliContext): Promise<number> {
  const loaded = await loadSweepPlan(file, ctx.cwd);
  const { plan } = loaded;
  const embedded = ctx.env.TEMPORAL_ADDRESS === undefined || ctx.env.TEMPORAL_ADDRESS === '';
  const inProcessWorker = options.worker ?? embedded;
  const gpus = inProcessWorker ? await detectGpus() : [];
  if (options.preflight !== false) await preflight(loaded, file, embedded, gpus.length, ctx);
  await using session = await openSession(ctx);
  const temporal = session.temporal!;
  if (!inProcessWorker && session.db.kind === 'embedded') {
    ctx.stderr.write('Note: remote workers cannot reach the embedded database; set DATABASE_URL for them.\n');
  }
  const runsDir = path.join(session.stateDir, 'runs');
  const definition = sweepDefinition(plan, loaded.instructions, loaded.judge);
  const reconciled = await reconcileRecordedSweep({ prisma: session.db.prisma, client: temporal.client, plan, definition, file, runsDir, redoStale: options.redoStale === true });
  for (const line of reconciled.lines) ctx.stderr.write(`${line}\n`);
  const handle = await temporal.client.workflow.start<typeof sweepWorkflow>('sweepWorkflow', {
    workflowId: workflowIds.sweep(plan.sweepId),
    taskQueue: temporal.taskQueue,
    args: [{ plan, runsDir, definition }],
    memo: sweepMemo(plan, definition),
    // A sweep already running (say, started by a CLI that was killed) is joined, not started twice.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: searchAttributes.sweepId, value: plan.sweepId },
      { key: searchAttributes.stage, value: 'sweep' },
    ],
  });
  const ui = temporal.uiUrl === null ? '' : ` — watch it at ${temporal.uiUrl}/namespaces/${temporal.namespace}/workflows/${encodeURIComponent(handle.workflowId)}`;
  ctx.stderr.write(`Sweep ${plan.sweepId}: ${plan.counts.trials} trials, ~${plan.counts.matches} matches, ~${plan.counts.judgeCalls} judge calls${ui}\n`);
  if (options.detach) {
    if (temporal.startedServer) {
      ctx.stderr.write(
        'Note: on the embedded default the local server and database stop when this command exits, so the sweep waits, recorded\n' +
          `in ${session.stateDir}, until a worker runs: \`pandasweep worker\` (in this folder) works on it, \`pandasweep run ${file}\` joins\n` +
          'and watches it. For a sweep that runs on its own, set TEMPORAL_ADDRESS and DATABASE_URL and keep `pandasweep worker`s running.\n',
      );
    }
    ctx.stdout.write(options.json ? `${JSON.stringify({ sweepId: plan.sweepId, workflowId: handle.workflowId, runId: handle.firstExecutionRunId })}\n` : `${plan.sweepId}\n`);
    return exitCodes.ok;
  }

  let worker: RunningWorker | undefined;
  if (inProcessWorker) {
    // Loaded on demand: the worker pulls in webpack and the judge backends, which `--help` should not wait for.
    const { startWorker } = await import('../../worker.js');
    worker = await startWorker({ connection: temporal.workerConnection, taskQueue: temporal.taskQueue, namespace: temporal.namespace, prisma: session.db.prisma, stateDir: session.stateDir, gpus, logger: (line) => ctx.stderr.write(`${line}\n`) });
  }
  const stopWatching = watchProgress({ read: () => readProgressCounts(session.db.prisma, plan.sweepId), totals: plan.counts, stream: ctx.stderr });
  using interrupt = listenForInterrupt((signal) =>
    ctx.stderr.write(`\n${signal}: stopping this process's jobs and worker (again to force). The sweep stays recorded; run the same command to go on, \`pandasweep cancel ${plan.sweepId}\` to end it.\n`),
  );
  const waiting = new AbortController();
  void interrupt.received.then(() => waiting.abort());
  let result: Awaited<ReturnType<typeof sweepWorkflow>> | undefined;
  try {
    result = await waitForResult(temporal.client.connection, handle, waiting.signal);
  } finally {
    await stopWatching();
    // Bounded: a job that ignores its stop must not keep the CLI (the worker stops it on its next start).
    await Promise.race([worker?.shutdown(), new Promise((resolve) => setTimeout(resolve, workerStopGraceMs).unref())]);
  }
  if (result === undefined) return exitCodes.interrupted;
  const board = await readLeaderboard(session.db.prisma, plan.sweepId);
  ctx.stdout.write(renderLeaderboard(board, { width: 100 }));
  for (const best of result.best) {
    if (best.trialKey === null) ctx.stdout.write(`${best.baseModelId}: no trial finished, so there is no best checkpoint.\n`);
  }
  if (options.json) {
    const summary = {
      sweepId: plan.sweepId,
      best: result.best.map((b) => ({ baseModel: b.baseModelId, trial: b.trialKey, epoch: b.epoch ?? null, checkpoint: b.checkpointPath, params: board.trials.get(b.trialKey ?? '')?.params ?? null })),
      trials: result.trials,
      tunedVsDefault: board.tunedVsDefault.map(tunedVsDefaultToJson),
      ...(board.evaluations.length === 0 ? {} : { evaluations: board.evaluations }),
    };
    ctx.stdout.write(`${JSON.stringify(summary)}\n`);
  }
  return result.best.some((b) => b.trialKey === null) ? exitCodes.failed : exitCodes.ok;
}

// Problems are fatal only where this process's worker is the only one; a cluster's workers may have
// what this machine lacks.
async function preflight(loaded: LoadedSweep, file: string, embedded: boolean, gpuCount: number, ctx: CliContext): Promise<void> {
  const problems = await preflightSweep(loaded, { env: ctx.env, gpuCount });
  if (problems.length === 0) return;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  if (embedded) {
    throw new UsageError(
      `This machine cannot run ${file} (${count}); nothing was started:\n${formatPreflightProblems(file, problems).trimEnd()}`,
      'Fix them and run the command again (`pandasweep validate` lists them too), or pass --no-preflight to start anyway.',
    );
  }
  ctx.stderr.write(`Note: this machine lacks what the jobs need (${count}); workers elsewhere must have it:\n${formatPreflightProblems(file, problems)}`);
}
