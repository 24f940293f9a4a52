/** One problem found in a sweep file, located as precisely as the YAML allows. */
export interface SweepFileIssue {
  /** Key path inside the document, e.g. `["parameters", "lr", "values"]`. */
  readonly path: readonly (string | number)[];
  /** 1-based line, when the YAML node could be located. */
  readonly line?: number;
  /** 1-based column, when the YAML node could be located. */
  readonly column?: number;
  /** What is wrong and what was expected. */
  readonly message: string;
}

/** Which kind of file a {@link SweepFileError} is about. */
export type InputFileKind = 'sweep file' | 'judge config' | 'evaluation file';

/**
 * An invalid sweep file, or a file it names (a judge config, an evaluation file). Carries the file and
 * every issue found; its message lists them as `file:line:column  path  message`, one per line, so
 * editors can jump to them.
 */
export class SweepFileError extends Error {
  override readonly name = 'SweepFileError';
  readonly file: string;
  readonly issues: readonly SweepFileIssue[];
  readonly kind: InputFileKind;

  constructor(file: string, issues: readonly SweepFileIssue[], kind: InputFileKind = 'sweep file') {
    super(formatSweepFileIssues(file, issues, kind));
    this.file = file;
    this.issues = issues;
    this.kind = kind;
  }
}

function formatSweepFileIssues(file: string, issues: readonly SweepFileIssue[], kind: InputFileKind): string {
  const lines = issues.map((issue) => {
    const where = issue.line === undefined ? file : `${file}:${issue.line}:${issue.column ?? 1}`;
    const path = issue.path.length === 0 ? '(document)' : issue.path.join('.');
    return `  ${where}  ${path}: ${issue.message}`;
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `Invalid ${kind} ${file} (${count}):\n${lines.join('\n')}`;
}
