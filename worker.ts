/**
 * The pandasweep worker: polls the control, train and judge task queues with the activities bound to
 * this process's database client, judge models and GPU slots. `pandasweep worker` runs it alone; the
 * embedded default runs it inside `pandasweep run`.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from './activities/index.js';
import { defaultHeartbeatIntervalMs } from './activities/jobs/run-job.js';
import { GpuSlotPool } from './activities/jobs/gpu-slots.js';
import type { JobLauncher } from './activities/jobs/job-launcher.js';
import { JudgeCache } from './activities/judge-cache.js';
import { judgeConfigDir } from './judges/judge-config-dir.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { defaultTaskQueue, taskQueuesFor, type QueueName } from './workflows/shared.js';

export type { QueueName };

/** Options for `startWorker`. */
export interface StartWorkerOptions {
  readonly connection: NativeConnection;
  /** Temporal namespace. Defaults to `default`. */
  readonly namespace?: string;
  readonly prisma: PrismaClient;
  readonly stateDir: string;
  /** Base task queue name (see `taskQueuesFor`). Defaults to `pandasweep`. */
  readonly taskQueue?: string;
  /** Queues to poll. Defaults to all three. */
  readonly queues?: readonly QueueName[];
  /** GPU ids this worker hands out to jobs. Defaults to none (CPU jobs only). */
  readonly gpus?: readonly number[];
  /** Matches judged at once by this process. Defaults to `2`. */
  readonly maxConcurrentJudgeMatches?: number;
  /** Jobs started at once, beyond the GPU slots that bound GPU jobs. Defaults to `8`. */
  readonly maxConcurrentJobs?: number;
  /** How training and generation jobs run (`LocalLauncher`, `SlurmLauncher`). Defaults to a `LocalLauncher`. */
  readonly launcher?: JobLauncher;
  readonly logger?: (line: string) => void;
}

/** A running worker; `shutdown` stops polling, waits for running activities and frees the judges. */
export interface RunningWorker extends AsyncDisposable {
  /** Settles when every queue's worker has stopped. */
  readonly done: Promise<void>;
  shutdown(): Promise<void>;
}

const repoRoot = path.dirname(fileURLToPath(import.meta.url));

/** Starts one Temporal worker per queue in this process and returns a handle to stop them. */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const queues = options.queues ?? (['control', 'train', 'judge'] as const);
  const judges = new JudgeCache({ configDir: judgeConfigDir, baseDir: process.cwd(), ...(options.logger ? { logger: options.logger } : {}) });
  const activities = createActivities({
    prisma: options.prisma,
    judges,
    slots: new GpuSlotPool([...(options.gpus ?? [])]),
    hostname: os.hostname(),
    ...(options.launcher ? { launcher: options.launcher } : {}),
  });
  const namespace = options.namespace ?? 'default';
  const workers: Worker[] = [];
  for (const queue of queues) {
    workers.push(
      await Worker.create({
        connection: options.connection,
        namespace,
        taskQueue: taskQueuesFor(options.taskQueue ?? defaultTaskQueue)[queue],
        activities,
        ...(queue === 'control' ? { workflowBundle: await loadWorkflowBundle(options.stateDir) } : {}),
        ...(queue === 'judge' ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentJudgeMatches ?? 2 } : {}),
        // Cancellation reaches an activity only with a heartbeat the SDK sends on; its default throttle is
        // 80% of the heartbeat timeout (48 s), so `pandasweep cancel` would leave a job running that long.
        ...(queue === 'train' ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentJobs ?? 8, maxHeartbeatThrottleInterval: defaultHeartbeatIntervalMs } : {}),
      }),
    );
  }
  const done = Promise.all(workers.map((w) => w.run())).then(() => judges.dispose());
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await done;
    })();
    return stopping;
  };
  return { done, shutdown, [Symbol.asyncDispose]: shutdown };
}

/**
 * Bundles the workflow code once per version of its sources and dependencies and caches the bundle in the state folder:
 * webpack takes ~10 s on a small machine, the cached bundle loads at once.
 */
export async function loadWorkflowBundle(stateDir: string): Promise<WorkflowBundleWithSourceMap> {
  // The lock file too: an upgraded @temporalio/workflow (or any bundled dependency) changes the bundle.
  const sources = await sourceFingerprint([path.join(repoRoot, 'workflows'), path.join(repoRoot, 'core')], [path.join(repoRoot, 'package-lock.json')]);
  const cacheDir = path.join(stateDir, 'cache');
  const file = path.join(cacheDir, `workflows-${sources}.js`);
  const mapFile = `${file}.map`;
  try {
    return { code: await readFile(file, 'utf8'), sourceMap: await readFile(mapFile, 'utf8') };
  } catch {
    const bundle = await bundleWorkflowCode({ workflowsPath: path.join(repoRoot, 'workflows', 'index.ts'), logger: quietBundlerLogger });
    await mkdir(cacheDir, { recursive: true });
    await writeFile(mapFile, bundle.sourceMap);
    await writeFile(file, bundle.code);
    return bundle;
  }
}

async function sourceFingerprint(dirs: readonly string[], files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(await readFile(file));
  for (const dir of dirs) {
    const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
    for (const file of entries) hash.update(file).update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  log: () => undefined,
};
