import path from 'node:path';
import type { Judge } from '../judges/judge.js';
import { readJudgeConfig } from '../judges/judge-config.js';
import { loadJudge } from '../judges/load-judge.js';

/** Options for `JudgeCache`. */
export interface JudgeCacheOptions {
  /** Folder of named judge configs. */
  readonly configDir: string;
  /** Folder that relative config paths resolve against. */
  readonly baseDir: string;
  readonly logger?: (line: string) => void;
}

/**
 * Loads each judge once per worker process (a 7B model takes seconds to load and gigabytes to hold)
 * and disposes them all on shutdown.
 */
export class JudgeCache implements AsyncDisposable {
  readonly #options: JudgeCacheOptions;
  readonly #judges = new Map<string, Promise<Judge>>();
  #disposed = false;

  constructor(options: JudgeCacheOptions) {
    this.#options = options;
  }

  /** Returns the judge for a config name or path, loading it on first use. */
  get(configRef: string): Promise<Judge> {
    if (this.#disposed) throw new Error('JudgeCache is disposed');
    const key = configRef.includes('/') ? path.resolve(this.#options.baseDir, configRef) : configRef;
    let judge = this.#judges.get(key);
    if (judge === undefined) {
      judge = readJudgeConfig(configRef, { configDir: this.#options.configDir, baseDir: this.#options.baseDir }).then((config) =>
        loadJudge(config, this.#options.logger === undefined ? {} : { logger: this.#options.logger }),
      );
      // A failed load is not cached: the next attempt (after the user fixes the file) tries again.
      judge.catch(() => this.#judges.delete(key));
      this.#judges.set(key, judge);
    }
    return judge;
  }

  /** Disposes every loaded judge. Idempotent. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    const all = [...this.#judges.values()];
    this.#judges.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => null))?.dispose()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
