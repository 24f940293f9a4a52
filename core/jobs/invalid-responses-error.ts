/**
 * A `responses.jsonl` file that does not answer the evaluation instructions exactly once each. The
 * message names the file and, where one line is at fault, `file:line`.
 */
export class InvalidResponsesError extends Error {
  override readonly name = 'InvalidResponsesError';
  /** The file that was validated. */
  readonly file: string;
  /** The 1-based line at fault, or `null` when the problem is the file as a whole (empty, missing ids). */
  readonly line: number | null;
  /** What is wrong, without the location. */
  readonly problem: string;

  constructor(file: string, line: number | null, problem: string) {
    super(`${line === null ? file : `${file}:${line}`}: ${problem}`);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}
