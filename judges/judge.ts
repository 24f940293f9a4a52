/**
 * The interface every judge backend implements (`pandalm` on node-llama-cpp, `replay`, `openai`,
 * `simulated`).
 */
import type { JudgeMode, JudgeRequest, JudgeResult } from '../core/judging/judge-types.js';

/** Per-call options of {@link Judge.judge}. */
export interface JudgeCallOptions {
  /** `verdict`: first-token probabilities only; `full`: generate and parse the reason and reference. */
  readonly mode: JudgeMode;
  /** Aborts the judgment (the activity passes its cancellation signal). Defaults to none. */
  readonly signal?: AbortSignal;
}

/**
 * A loaded judge. `judge` judges one order of one request and is safe to call concurrently (the llama
 * backend serves concurrent calls from parallel sequences of one context). `dispose` is idempotent.
 */
export interface Judge {
  /** Identifies the judge in stored judgments, e.g. `pandalm:/models/pandalm-7b.Q8_0.gguf`. */
  readonly id: string;
  /**
   * Judgments worth running at once (the llama backend's parallel sequences on a GPU, 1 on a CPU). The
   * judge activity runs this many lanes, each over prompts that share prefixes. Absent: 8.
   */
  readonly parallelism?: number;
  judge(request: JudgeRequest, options: JudgeCallOptions): Promise<JudgeResult>;
  dispose(): Promise<void>;
}
