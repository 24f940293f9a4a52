import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SweepFileError } from '../../../core/errors/sweep-file-error.js';
import { UsageError } from '../../../core/errors/usage-error.js';
import { readJudgeConfig } from '../../../judges/judge-config.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const configDir = path.join(repoRoot, 'configs', 'judges');
const scratch = mkdtempSync(path.join(tmpdir(), 'pandasweep-judge-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

async function issuesOf(file: string): Promise<SweepFileError['issues']> {
  const error = await readJudgeConfig(file, { configDir, baseDir: scratch }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SweepFileError);
  return (error as SweepFileError).issues;
}

describe('readJudgeConfig', () => {
  it('reads every shipped config by name and resolves model paths against the config folder', async () => {
    const names = readdirSync(configDir).filter((file) => file.endsWith('.yaml')).map((file) => file.replace(/\.yaml$/, ''));
    expect(names).toContain('pandalm-7b');
    for (const name of names) await readJudgeConfig(name, { configDir, baseDir: scratch });
    const pandalm = await readJudgeConfig('pandalm-7b', { configDir, baseDir: scratch });
    expect(pandalm).toMatchObject({ backend: 'pandalm', flashAttention: 'auto', mode: 'verdict', bothOrders: true });
    if (pandalm.backend === 'pandalm') expect(pandalm.model).toBe(path.resolve(configDir, '../../models/pandalm-7b-v1.Q8_0.gguf'));
  });

  it('a misspelt key is an error at its line with a "did you mean", not silently ignored', async () => {
    const file = configFile('typo.yaml', 'backend: pandalm\nmodel: m.gguf\nmdoe: full\nflashAtention: false\n');
    const issues = await issuesOf(file);
    expect(issues).toEqual([
      expect.objectContaining({ path: ['mdoe'], line: 3, column: 1, message: expect.stringContaining('did you mean "mode"') }),
      expect.objectContaining({ path: ['flashAtention'], line: 4, message: expect.stringContaining('did you mean "flashAttention"') }),
    ]);
  });

  it('says the file is an invalid judge config, not an invalid sweep file', async () => {
    const file = configFile('not-a-map.yaml', '- backend\n');
    const error = await readJudgeConfig(file, { configDir, baseDir: scratch }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).kind).toBe('judge config');
    expect((error as Error).message.startsWith(`Invalid judge config ${file} (1 problem):`)).toBe(true);
  });

  it('a wrong value names the field, the line and what was expected', async () => {
    const file = configFile('bad-value.yaml', 'backend: pandalm\nmodel: m.gguf\nflashAttention: yes please\nsequences: 0\n');
    const issues = await issuesOf(file);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['flashAttention'], line: 3, column: 17, message: 'expected "auto", true or false, got "yes please"' }),
        expect.objectContaining({ path: ['sequences'], line: 4, message: 'expected a number > 0, got 0' }),
      ]),
    );
  });

  it('an unknown backend lists the backends', async () => {
    const issues = await issuesOf(configFile('backend.yaml', 'backend: pandalmm\n'));
    expect(issues[0]?.path).toEqual(['backend']);
    expect(issues[0]?.line).toBe(1);
  });

  it('a missing config is a usage error saying where it looked', async () => {
    await expect(readJudgeConfig('no-such-judge', { configDir, baseDir: scratch })).rejects.toThrow(UsageError);
    await expect(readJudgeConfig('no-such-judge', { configDir, baseDir: scratch })).rejects.toThrow(path.join(configDir, 'no-such-judge.yaml'));
  });
});
