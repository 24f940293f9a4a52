import { execa } from 'execa';

/** GPUs held by one job; disposing it (or calling `release`) hands them back. Idempotent. */
export interface GpuLease extends AsyncDisposable {
  /** The GPU indices this job may use, e.g. for `CUDA_VISIBLE_DEVICES`. Empty for a CPU-only job. */
  readonly gpuIds: readonly number[];
  /** Returns the GPUs to the pool; later calls do nothing. */
  release(): void;
}

interface Waiter {
  readonly count: number;
  readonly resolve: (lease: GpuLease) => void;
}

/**
 * The GPU slots of one worker process. A job asking for N GPUs waits until N are free and gets them
 * exclusively (a GPU is never shared); waiters are served strictly first-in first-out, so a job asking
 * for many GPUs is not starved by later small ones.
 */
export class GpuSlotPool {
  readonly #free: number[];
  readonly #total: number;
  readonly #queue: Waiter[] = [];

  /** Creates a pool over the given GPU indices (duplicates are ignored). */
  constructor(ids: readonly number[]) {
    this.#free = [...new Set(ids)].sort((a, b) => a - b);
    this.#total = this.#free.length;
  }

  /** How many GPUs the pool manages. */
  get size(): number {
    return this.#total;
  }

  /** How many GPUs are free right now. */
  get available(): number {
    return this.#free.length;
  }

  /** How many acquisitions are waiting. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Waits for `count` free GPUs and leases them. `count` 0 resolves at once with no GPUs. Rejects at
   * once when `count` exceeds the pool size (it could never be served), and with the signal's reason
   * when `signal` aborts while waiting.
   */
  acquire(count: number, signal?: AbortSignal): Promise<GpuLease> {
    if (!Number.isInteger(count) || count < 0) return Promise.reject(new RangeError(`gpus must be a non-negative integer, got ${count}`));
    if (count === 0) return Promise.resolve(this.#lease([]));
    if (count > this.#total) {
      return Promise.reject(new RangeError(`job needs ${count} GPUs but this worker has ${this.#total}`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<GpuLease>((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: (lease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(lease);
        },
      };
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        // A large waiter leaving may unblock smaller ones behind it.
        this.#drain();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#drain();
    });
  }

  #drain(): void {
    for (let head = this.#queue[0]; head !== undefined && head.count <= this.#free.length; head = this.#queue[0]) {
      this.#queue.shift();
      head.resolve(this.#lease(this.#free.splice(0, head.count)));
    }
  }

  #lease(gpuIds: number[]): GpuLease {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#free.push(...gpuIds);
      this.#free.sort((a, b) => a - b);
      this.#drain();
    };
    return {
      gpuIds,
      release,
      [Symbol.asyncDispose]: async () => release(),
    };
  }
}

/**
 * Lists the GPU indices `nvidia-smi` reports on this host, or `[]` when it is absent or fails (a CPU
 * host runs only `gpus: 0` jobs).
 */
export async function detectGpus(): Promise<number[]> {
  try {
    const { stdout } = await execa('nvidia-smi', ['--query-gpu=index', '--format=csv,noheader'], { timeout: 10_000 });
    return stdout
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
  } catch {
    return [];
  }
}
