/**
 * Creates the judge a configuration names. The judge activity calls this once per worker process.
 */
import { createJudgeFormat } from '../core/judge-formats/judge-formats.js';
import type { Judge } from './judge.js';
import type { JudgeConfig } from './judge-config.js';
import { createOpenAIJudge } from './openai-judge.js';
import { createLlamaJudge } from './llama-judge.js';
import { createReplayJudge } from './replay-judge.js';

/** Options of {@link loadJudge}. */
export interface LoadJudgeOptions {
  /** Receives one-line progress messages (which llama.cpp backend, model loaded). Defaults to none. */
  readonly logger?: (line: string) => void;
  /** Aborts loading. Defaults to none. */
  readonly signal?: AbortSignal;
  /** Environment for `apiKeyEnv` lookups. Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Loads the judge for a validated configuration. Throws `JudgeModelError` / `LlamaBackendError` for an
 * unusable `llama` model or binary.
 */
export async function loadJudge(config: JudgeConfig, options: LoadJudgeOptions = {}): Promise<Judge> {
  const { logger, signal, env = process.env } = options;
  switch (config.backend) {
    case 'llama':
      return createLlamaJudge({
        modelPath: config.model,
        format: createJudgeFormat(config),
        gpu: config.gpu,
        sequences: config.sequences,
        maxTokens: config.maxTokens,
        repetitionPenalty: config.repetitionPenalty,
        probe: config.probe,
        flashAttention: config.flashAttention,
        ...(config.threads === undefined ? {} : { threads: config.threads }),
        ...(config.contextSize === undefined ? {} : { contextSize: config.contextSize }),
        ...(logger === undefined ? {} : { logger }),
        ...(signal === undefined ? {} : { signal }),
      });
    case 'replay':
      return createReplayJudge(config);
    case 'openai':
      return createOpenAIJudge(config, env, createJudgeFormat(config));
    case 'simulated': {
      // Loaded lazily: the simulated judge is the demo's, and the others should not depend on it.
      const { createSimulatedJudge } = await import('./simulated-judge.js');
      return createSimulatedJudge(config);
    }
  }
}
