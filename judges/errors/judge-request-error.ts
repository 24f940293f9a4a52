/** A judge backend could not answer one request (an HTTP error, a missing replay entry). */
export class JudgeRequestError extends Error {
  override readonly name = 'JudgeRequestError';
  /** The judge that failed. */
  readonly judgeId: string;

  constructor(judgeId: string, message: string, options?: { cause?: unknown }) {
    super(`${judgeId}: ${message}`, options);
    this.judgeId = judgeId;
  }
}
