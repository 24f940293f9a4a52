/**
 * Spreads a simulation benchmark's seeded runs over worker threads: worker w takes runs w, w + workers,
 * ... (so expensive runs spread out too), each worker loads the benchmark file itself (with tsx's
 * hooks, which a worker thread does not inherit) and posts its records back.
 */
import { Worker } from 'node:worker_threads';

/** Runs `runs` seeded runs of the benchmark at `moduleUrl` on `workers` threads; returns every record. */
export async function runInWorkerThreads<T>(moduleUrl: string, runs: number, workers: number): Promise<T[]> {
  const workerCount = Math.max(1, Math.min(workers, runs));
  const chunks = Array.from({ length: workerCount }, (_, w) => Array.from({ length: runs }, (_, r) => r).filter((r) => r % workerCount === w));
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })`;
  const parts = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<T[]>((resolve, reject) => {
          const worker = new Worker(bootstrap, { eval: true, workerData: chunk, argv: process.argv.slice(2) });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return parts.flat();
}
