import { LineCounter, parseDocument } from 'yaml';
import type { YamlSource } from './locate-yaml-node.js';

/** A YAML (or JSON) syntax error at a 1-based line and column, in one line of text. */
export interface YamlSyntaxError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/**
 * The one parser of the files a user writes or points at (sweep files, judge configs, JSON evaluation
 * sets): the document with its node positions, so every later problem can name its line, and the
 * syntax errors, each with its position. `json` parses with YAML's JSON schema, which keeps the
 * positions JSON.parse loses.
 */
export function parseYamlWithLines(text: string, options: { readonly json?: boolean } = {}): { readonly source: YamlSource; readonly syntaxErrors: readonly YamlSyntaxError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, ...(options.json === true ? { schema: 'json' as const } : {}) });
  const syntaxErrors = doc.errors.map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { line, column: col, message: error.message.split('\n')[0] ?? error.message };
  });
  return { source: { doc, lineCounter, text }, syntaxErrors };
}
