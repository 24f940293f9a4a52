/** A judge that cannot be set up from its configuration as the worker sees it (say, an unset API key). */
export class JudgeConfigError extends Error {
  override readonly name = 'JudgeConfigError';
  /** The judge that cannot be set up. */
  readonly judgeId: string;

  constructor(judgeId: string, message: string) {
    super(`Judge ${judgeId}: ${message}`);
    this.judgeId = judgeId;
  }
}
