/**
 * Seeded fuzzing of the sweep parser (issue 7, bad input): the shipped sweeps mutated at random (deleted
 * keys, wrong types, truncation, binary garbage, byte flips) either still parse into a plan or fail with
 * a `SweepFileError` that names the file and, where the YAML has one, the line: never another error, a
 * stack trace or a hang. The seed is fixed, so a failure reproduces; the failing mutant is printed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SweepFileError } from '../../../core/errors/sweep-file-error.js';
import { parseSweepSpec } from '../../../core/sweep/parse-sweep-spec.js';
import { buildSweepPlan } from '../../../core/sweep/sweep-plan.js';
import { hashSeed, seededRandom } from '../../../core/tournament/seeded-random.js';
import { sweepMutators } from '../../support/sweep-mutators.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sources = [
  ...readdirSync(path.join(repoRoot, 'sweeps')).filter((name) => name.endsWith('.yaml')).map((name) => path.join('sweeps', name)),
  ...readdirSync(path.join(repoRoot, 'test/fixtures/sweeps/valid')).filter((name) => name.endsWith('.yaml')).map((name) => path.join('test/fixtures/sweeps/valid', name)),
];
const iterationsPerMutator = 30;
// Generous for a 2-core machine shared by several test runs; a parser hang takes forever, not 2 s.
const maxMillisPerMutant = 2_000;

type Outcome = 'valid' | 'error';

/** Parses and plans `text`; returns the outcome or throws an assertion naming the mutant. */
function checkMutant(text: string, file: string, label: string): Outcome {
  const started = performance.now();
  let outcome: Outcome;
  try {
    const spec = parseSweepSpec(text, file);
    buildSweepPlan(spec, { file, evalCount: 7 });
    outcome = 'valid';
  } catch (error) {
    if (!(error instanceof SweepFileError)) {
      throw new Error(`${label}: expected a SweepFileError, got ${(error as Error).stack ?? String(error)}\n--- mutant ---\n${text.slice(0, 4000)}`);
    }
    expect(error.file, label).toBe(file);
    expect(error.message.startsWith(`Invalid sweep file ${file}`), label).toBe(true);
    expect(error.issues.length, label).toBeGreaterThan(0);
    const lineCount = text.split('\n').length;
    for (const issue of error.issues) {
      expect(issue.message.trim(), label).not.toBe('');
      // Every issue points at a line: a syntax error at its position, a missing key at its parent.
      expect(issue.line, `${label}: ${issue.path.join('.')}: ${issue.message}`).toBeDefined();
      expect(issue.line!, `${label}: ${issue.message}`).toBeGreaterThanOrEqual(1);
      expect(issue.line!, `${label}: ${issue.message}`).toBeLessThanOrEqual(lineCount + 1);
    }
    outcome = 'error';
  }
  const elapsed = performance.now() - started;
  expect(elapsed, `${label} took ${elapsed.toFixed(0)} ms`).toBeLessThan(maxMillisPerMutant);
  return outcome;
}

describe('sweep files mutated at random', () => {
  it('the sources themselves are valid (the fuzz starts from working files)', () => {
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) expect(checkMutant(readFileSync(path.join(repoRoot, source), 'utf8'), source, source)).toBe('valid');
  });

  for (const [name, mutate] of Object.entries(sweepMutators)) {
    it(`${name}: always a plan or a SweepFileError naming the place, quickly`, () => {
      const counts: Record<Outcome, number> = { valid: 0, error: 0 };
      for (const source of sources) {
        const original = readFileSync(path.join(repoRoot, source), 'utf8');
        for (let i = 0; i < iterationsPerMutator; i++) {
          const random = seededRandom(hashSeed('sweep-yaml-fuzz', name, source, i));
          const mutant = mutate(original, random);
          const label = `${name} #${i} of ${source}`;
          const outcome = checkMutant(mutant, source, label);
          counts[outcome]++;
        }
      }
      // Guards against a mutator that silently stopped mutating: most mutants must be rejected.
      expect(counts.error, JSON.stringify(counts)).toBeGreaterThan((counts.valid + counts.error) / 3);
    });
  }
});
