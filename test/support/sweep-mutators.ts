/**
 * Seeded mutators of sweep YAML text for the fault-injection tests (used by the unit fuzz loop and the
 * CLI validate test).
 */
import { isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';

/** A source of uniform numbers in [0, 1), e.g. `seededRandom(seed)`. */
export type Random = () => number;
/** Returns a damaged copy of a sweep file's text. */
export type SweepMutator = (text: string, random: Random) => string;

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;

/** Every key/index path of the document's nodes, the root excluded. */
function nodePaths(text: string): (string | number)[][] {
  const doc = parseDocument(text);
  const paths: (string | number)[][] = [];
  visit(doc, {
    Pair(_key, pair, ancestors) {
      const keyPath = ancestorPath([...ancestors, pair]);
      if (keyPath !== undefined) paths.push(keyPath);
    },
    Node(_key, node, ancestors) {
      const parent = ancestors.at(-1);
      if (isSeq(parent)) {
        const parentPath = ancestorPath(ancestors);
        if (parentPath !== undefined) paths.push([...parentPath, parent.items.indexOf(node)]);
      }
    },
  });
  return paths;
}

function ancestorPath(ancestors: readonly unknown[]): (string | number)[] | undefined {
  const result: (string | number)[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    if (isPair(node)) {
      if (!isScalar(node.key)) return undefined;
      result.push(String(node.key.value));
    } else if (isSeq(node) && i + 1 < ancestors.length) {
      result.push(node.items.indexOf(ancestors[i + 1] as never));
    }
  }
  return result;
}

const wrongValues: readonly unknown[] = [
  42, -1, 0, 1.5, 1e308, '', 'x', '{{params.nope}}', '{{args', true, false, null, [], [1, 'a', null], {}, { nope: 1 }, { secret: false },
  'a'.repeat(10_000), 'nul\u0000inside', { 'key\u0000': 1 },
];

/**
 * Seeded mutations of a sweep file's text: a deleted key or list item, a value replaced by one of
 * another type, truncation, inserted binary garbage and random bit flips (both decoded the way
 * `readFile(file, 'utf8')` decodes, invalid sequences becoming U+FFFD).
 */
export const sweepMutators: Record<string, SweepMutator> = {
  deleteKey(text, random) {
    const doc = parseDocument(text);
    const target = pick(nodePaths(text), random);
    doc.deleteIn(target);
    return doc.toString();
  },
  wrongType(text, random) {
    const doc = parseDocument(text);
    const target = pick(nodePaths(text), random);
    doc.setIn(target, doc.createNode(pick(wrongValues, random)));
    return doc.toString();
  },
  truncate(text, random) {
    return text.slice(0, Math.floor(random() * text.length));
  },
  binaryGarbage(text, random) {
    const bytes = Buffer.from(text, 'utf8');
    const at = Math.floor(random() * bytes.length);
    const garbage = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    // Decoded the way readFile(..., 'utf8') decodes a file: invalid sequences become U+FFFD.
    return new TextDecoder('utf-8').decode(Buffer.concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]));
  },
  byteFlips(text, random) {
    const bytes = Buffer.from(text, 'utf8');
    const flips = 1 + Math.floor(random() * 8);
    for (let i = 0; i < flips; i++) {
      const at = Math.floor(random() * bytes.length);
      bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
    }
    return new TextDecoder('utf-8').decode(bytes);
  },
};
