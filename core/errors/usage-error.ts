/**
 * A mistake in how the CLI was called (a missing argument, a file that does not exist). The CLI prints
 * its message and `hint` without a stack and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** What the user should do next, printed after the message. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}
