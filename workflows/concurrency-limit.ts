/**
 * A first-in first-out limit on how many tasks run at once inside one workflow. Deterministic (plain
 * promises, no timers), so workflow code can use it. A freed slot is handed straight to the next waiter:
 * checking a shared counter in `condition()` instead lets every waiter through at once, since all
 * conditions are evaluated before any of their continuations runs.
 */
export class ConcurrencyLimit implements TaskLimit {
  readonly #limit: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /** `limit` below 1 counts as 1. */
  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  /** Tasks holding a slot now. */
  get running(): number {
    return this.#running;
  }

  /** Runs `task` once a slot is free, and frees the slot when it settles. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await task();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> {
    if (this.#running < this.#limit) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  // The slot passes to the next waiter as it is: `running` stays the same.
  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#running--;
    else next();
  }
}

/** What the sweep workflow needs of a limit: `ConcurrencyLimit`, or `UnorderedWindow` on old histories. */
export interface TaskLimit {
  readonly running: number;
  run<T>(task: () => Promise<T>): Promise<T>;
}

/**
 * The window sweeps used before `ConcurrencyLimit`: a counter checked in `condition()`, which lets every
 * waiter through at once. Kept only so that histories recorded
 * before the fix replay (`patched('fifo-concurrency-limits')` in workflows/sweep.ts); new runs never use it.
 */
export class UnorderedWindow implements TaskLimit {
  readonly #limit: number;
  readonly #condition: (fn: () => boolean) => Promise<void>;
  running = 0;

  constructor(limit: number, condition: (fn: () => boolean) => Promise<void>) {
    this.#limit = limit;
    this.#condition = condition;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.#condition(() => this.running < this.#limit);
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
    }
  }
}
