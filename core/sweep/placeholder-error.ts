/**
 * A command placeholder that cannot be rendered (unknown name, missing base model field, `{{args}}`
 * inside a larger argument). Validation reports these earlier with file positions; this error is the
 * last line of defence when a command is rendered for a job.
 */
export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';
  /** The placeholder as written, e.g. `{{params.lr}}`. */
  readonly placeholder: string;

  constructor(placeholder: string, reason: string) {
    super(`Cannot render ${placeholder}: ${reason}`);
    this.placeholder = placeholder;
  }
}
