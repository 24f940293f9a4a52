/**
 * One randomly mutated copy per mutator of sweeps/demo.yaml through the real `pandasweep validate` binary (issue
 * 7): each exits 0 (still valid) or 2 with the file named and no stack trace, quickly. The parser itself
 * is fuzzed far more in test/unit/bad-input/sweep-yaml-fuzz.test.ts; this checks what a user sees.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSeed, seededRandom } from '../../../core/tournament/seeded-random.js';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { sweepMutators } from '../../support/sweep-mutators.js';

describe('pandasweep validate on mutated sweeps', () => {
  let folder: string;
  let original: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-validate-'));
    // The evaluation file is resolved against the sweep's folder, so the copies get the demo's data.
    await cp(path.join(repoRoot, 'sweeps/data'), path.join(folder, 'data'), { recursive: true });
    original = await readFile(path.join(repoRoot, 'sweeps/demo.yaml'), 'utf8');
  });
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it('exits 0 or 2, naming the file and place, without a stack trace or a hang', async () => {
    const mutants = Object.entries(sweepMutators).flatMap(([name, mutate]) =>
      [{ name, text: mutate(original, seededRandom(hashSeed('validate-mutated', name))) }],
    );
    mutants.push({ name: 'nul-value', text: original.replace('name: demo', 'name: "de\\0mo"') });
    const exits: number[] = [];
    for (const { name, text } of mutants) {
      const file = `${name}.yaml`;
      await writeFile(path.join(folder, file), text);
      const started = performance.now();
      const run = await runCli(['validate', file], { cwd: folder, timeoutMs: 60_000 });
      expect(performance.now() - started, name).toBeLessThan(60_000);
      expect(run.stderr, name).not.toMatch(/\n\s+at /);
      expect([0, 2], `${name}: ${run.stderr}`).toContain(run.exitCode);
      if (run.exitCode === 2) {
        expect(run.stderr, name).toContain(file);
        expect(run.stdout, name).toBe('');
        // Each problem line reads `file:line:column  path: message`, or `file  path: message` without a line.
        expect(run.stderr, name).toMatch(new RegExp(`${file.replace('.', '\\.')}(:\\d+:\\d+)?  \\S`));
      }
      exits.push(run.exitCode);
    }
    expect(exits.filter((code) => code === 2).length).toBeGreaterThanOrEqual(mutants.length / 2);
    expect(exits.at(-1)).toBe(2);
    // One child `pandasweep validate` per mutant (~1 s each, more on a busy 2-core machine): past the unit default.
  }, 180_000);
});
