import { SweepFileError, type SweepFileIssue } from '../errors/sweep-file-error.js';
import { locateZodIssues } from './describe-zod-issue.js';
import { locateYamlNode } from './locate-yaml-node.js';
import { parseYamlWithLines } from './parse-yaml-with-lines.js';
import { sweepSpecSchema, type SweepSpec } from './sweep-spec.js';

// Aliases are legal YAML, but a handful is plenty for a sweep; this caps "billion laughs" inputs.
const maxAliasCount = 100;

/**
 * Parses and validates the text of a sweep file. Every problem is collected and thrown at once as a
 * `SweepFileError` naming `file`, with the YAML line and column, the key path, what was expected and
 * a "did you mean" where one is close: YAML syntax errors first, then shape errors (wrong types,
 * unknown keys, missing keys), then cross-field rules (placeholders, duplicate ids, baseline).
 */
export function parseSweepSpec(text: string, file: string): SweepSpec {
  const { source, syntaxErrors } = parseYamlWithLines(text);
  if (syntaxErrors.length > 0) {
    throw new SweepFileError(
      file,
      syntaxErrors.map(({ line, column, message }) => ({ path: [], line, column, message: `YAML syntax error: ${message}` })),
    );
  }
  const data: unknown = source.doc.toJS({ maxAliasCount });
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    const position = locateYamlNode(source, []);
    throw new SweepFileError(file, [
      {
        path: [],
        ...(position ?? { line: 1, column: 1 }),
        message: `expected a mapping with name, baseModels, parameters, train, generate and eval, got ${data === null || data === undefined ? 'an empty document' : Array.isArray(data) ? 'a list' : typeof data}`,
      },
    ]);
  }
  const nulPaths = findNulStrings(data);
  if (nulPaths.length > 0) {
    throw new SweepFileError(
      file,
      nulPaths.map((nulPath) => ({
        path: nulPath,
        ...(locateYamlNode(source, nulPath) ?? {}),
        message: 'contains a NUL character (\\0), which cannot be passed to a program or stored',
      })),
    );
  }
  const result = sweepSpecSchema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  throw new SweepFileError(file, sortIssues(locateZodIssues(result.error.issues, sweepSpecSchema, source)));
}

// argv cannot carry U+0000 and PostgreSQL cannot store it, so such a value would fail at every retry of a job.
function findNulStrings(value: unknown, at: (string | number)[] = [], found: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(at);
  } else if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => findNulStrings(item, [...at, index], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push([...at, key]);
      else findNulStrings(item, [...at, key], found);
    }
  }
  return found;
}

function sortIssues(issues: readonly SweepFileIssue[]): SweepFileIssue[] {
  return [...issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
