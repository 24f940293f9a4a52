/**
 * A judge model that cannot be used: a missing file, a file that is not GGUF, metadata llama.cpp would
 * abort on, or a load that failed (including one that killed the probe process).
 */
export class JudgeModelError extends Error {
  override readonly name = 'JudgeModelError';
  /** The model path as configured. */
  readonly modelPath: string;
  /** What is wrong, in a few words. */
  readonly reason: string;

  constructor(modelPath: string, reason: string, options?: { cause?: unknown }) {
    super(`Cannot use judge model ${modelPath}: ${reason}`, options);
    this.modelPath = modelPath;
    this.reason = reason;
  }
}
