import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSweepSpec } from '../../core/sweep/parse-sweep-spec.js';
import { sweepSpecSchema, type SweepSpec } from '../../core/sweep/sweep-spec.js';

/** Folder of the sweep fixtures. */
export const sweepFixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sweeps');

/** Folder of the shipped sweeps. */
export const shippedSweeps = path.resolve(sweepFixtures, '../../../sweeps');

/** Parses a sweep file by absolute path. */
export function loadSpec(file: string): SweepSpec {
  return parseSweepSpec(readFileSync(file, 'utf8'), file);
}

/** Builds a valid spec from a minimal base plus top-level overrides. */
export function specWith(overrides: Record<string, unknown>): SweepSpec {
  return sweepSpecSchema.parse({
    name: 'test',
    baseModels: [{ id: 'm' }],
    parameters: { a: { values: [1, 2] } },
    train: { command: ['train', '{{args}}'] },
    generate: { command: ['gen'] },
    eval: { file: 'eval.jsonl' },
    ...overrides,
  });
}
