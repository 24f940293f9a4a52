import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { parseYamlWithLines } from './parse-yaml-with-lines.js';

/** A 1-based position in a YAML text. */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/** Where to point for a key path. */
export interface LocateYamlNodeOptions {
  /** Point at the key of the last path segment instead of its value. Defaults to `false`. */
  readonly atKey?: boolean;
  /** A text inside the value (e.g. a placeholder) to point at; ignored when not found verbatim. */
  readonly needle?: string;
}

/** A parsed YAML text: its document, the line counter filled while parsing, and the text itself. */
export interface YamlSource {
  readonly doc: Document;
  readonly lineCounter: LineCounter;
  readonly text: string;
}

/**
 * Returns the line and column of the YAML node at `path`. When the path does not exist (a missing
 * key), it returns the position of the deepest node that does, so the user lands in the mapping that
 * lacks the key. Returns `undefined` for an empty document.
 */
export function locateYamlNode(
  source: YamlSource,
  path: readonly PropertyKey[],
  options: LocateYamlNodeOptions = {},
): YamlPosition | undefined {
  const { doc, lineCounter, text } = source;
  let node = resolve(doc, doc.contents);
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (node === undefined) break;
    const next = child(doc, node, segment);
    if (next === undefined) {
      keyNode = undefined;
      break;
    }
    node = next.value ?? next.key;
    keyNode = next.key;
  }
  const target = options.atKey === true && keyNode !== undefined ? keyNode : node;
  if (target?.range === undefined || target.range === null) return undefined;
  let offset = target.range[0];
  if (options.needle !== undefined && options.atKey !== true) {
    // Found only when the scalar is written without escapes; otherwise the node start is close enough.
    const index = text.slice(target.range[0], target.range[1]).indexOf(options.needle);
    if (index >= 0) offset += index;
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function resolve(doc: Document, node: unknown): Node | undefined {
  if (isAlias(node)) return resolve(doc, node.resolve(doc));
  return isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
}

function child(doc: Document, node: Node, segment: PropertyKey): { key?: Node; value?: Node } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) !== String(segment)) continue;
      const keyNode = isScalar(pair.key) ? pair.key : undefined;
      const value = resolve(doc, pair.value);
      return { ...(keyNode === undefined ? {} : { key: keyNode }), ...(value === undefined ? {} : { value }) };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const value = resolve(doc, node.items[segment]);
    return value === undefined ? undefined : { value };
  }
  return undefined;
}

/**
 * Parses `text` and returns the position of the node at `path`, for callers that report a problem
 * found after validation (an evaluation file that does not exist). Returns `undefined` when the text
 * does not parse or has no such node.
 */
export function locateInYamlText(text: string, path: readonly PropertyKey[], options: LocateYamlNodeOptions = {}): YamlPosition | undefined {
  const { source, syntaxErrors } = parseYamlWithLines(text);
  return syntaxErrors.length > 0 ? undefined : locateYamlNode(source, path, options);
}
