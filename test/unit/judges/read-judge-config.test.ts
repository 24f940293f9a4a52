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
    expect(pandalm).toMatchObject({ backend: 'llama', flashAttention: 'auto', sequences: 4 });
    // How a judge is used is the sweep's (or the command's flags'), never the config's.
    expect(pandalm).not.toHaveProperty('mode');
    expect(pandalm).not.toHaveProperty('resolution');
    if (pandalm.backend === 'llama') expect(pandalm.model).toBe(path.resolve(configDir, '../../models/pandalm-7b-v1.Q8_0.gguf'));
  });

  it('a misspelt key is an error at its line with a "did you mean", not silently ignored', async () => {
    const file = configFile('typo.yaml', 'backend: llama\nmodel: m.gguf\nsequencs: 2\nflashAtention: false\n');
    const issues = await issuesOf(file);
    expect(issues).toEqual([
      expect.objectContaining({ path: ['sequencs'], line: 3, column: 1, message: expect.stringContaining('did you mean "sequences"') }),
      expect.objectContaining({ path: ['flashAtention'], line: 4, message: expect.stringContaining('did you mean "flashAttention"') }),
    ]);
  });

  it('mode, both orders and resolution are the sweep\'s: in a judge config each is an error at its line saying where it goes', async () => {
    const file = configFile('usage.yaml', 'backend: llama\nmodel: m.gguf\nmode: full\nbothOrders: false\nresolution: probability\n');
    const error = await readJudgeConfig(file, { configDir, baseDir: scratch }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).kind).toBe('judge config');
    expect((error as SweepFileError).issues).toEqual([
      {
        path: ['mode'], line: 3, column: 1,
        message: `\`mode\` belongs in the sweep file's \`judge:\` section (judge: {config: ${file}, mode: full}), not in a judge config, which names a backend, a model and a format only; \`pandasweep judge\` and \`judge-eval\` take --full`,
      },
      expect.objectContaining({ path: ['bothOrders'], line: 4, column: 1, message: expect.stringContaining("`bothOrders` (the sweep's `swap`) belongs in the sweep file's `judge:` section (judge: {config: ") }),
      expect.objectContaining({ path: ['resolution'], line: 5, column: 1, message: expect.stringContaining('resolution: probability}') }),
    ]);
    expect((error as SweepFileError).issues[1]?.message).toContain('swap: false}');
    expect((error as SweepFileError).issues[1]?.message).toContain('take --one-order');
    expect((error as SweepFileError).issues[2]?.message).toContain('take --resolution <rule>');
    // Located as file:line:column in the message, for editors.
    expect((error as Error).message).toContain(`${file}:3:1  mode: \`mode\` belongs in the sweep file's \`judge:\` section`);
  });

  it('a named config is named in the suggestion, and a slip of a sweep key gets a "did you mean" to it', async () => {
    writeFileSync(path.join(scratch, 'named.yaml'), 'backend: simulated\nseed: 1\nmdoe: full\n');
    const error = await readJudgeConfig('named', { configDir: scratch, baseDir: scratch }).catch((caught: unknown) => caught);
    expect((error as SweepFileError).issues).toEqual([
      expect.objectContaining({
        path: ['mdoe'], line: 3, column: 1,
        message: expect.stringMatching(/^unknown key "mdoe"; did you mean "mode"\? `mode` belongs in the sweep file's `judge:` section \(judge: \{config: named, mode: full\}\)/),
      }),
    ]);
  });

  it('reports a misplaced key together with the other problems, in line order', async () => {
    const issues = await issuesOf(configFile('both.yaml', 'backend: llama\nsequences: 0\nswap: true\nmodel: m.gguf\n'));
    expect(issues.map((issue) => [issue.path.join('.'), issue.line])).toEqual([['sequences', 2], ['swap', 3]]);
    expect(issues[1]?.message).toContain('judge: {config: ');
  });

  it('says the file is an invalid judge config, not an invalid sweep file', async () => {
    const file = configFile('not-a-map.yaml', '- backend\n');
    const error = await readJudgeConfig(file, { configDir, baseDir: scratch }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).kind).toBe('judge config');
    expect((error as Error).message.startsWith(`Invalid judge config ${file} (1 problem):`)).toBe(true);
  });

  it('a wrong value names the field, the line and what was expected', async () => {
    const file = configFile('bad-value.yaml', 'backend: llama\nmodel: m.gguf\nflashAttention: yes please\nsequences: 0\n');
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

  it('a YAML syntax error is one line at its line and column, as in a sweep file', async () => {
    const issues = await issuesOf(configFile('broken.yaml', 'backend: llama\nmodel: [a, b\nformat: pandalm\n'));
    expect(issues[0]).toMatchObject({ path: [], line: 3, column: 1 });
    expect(issues[0]!.message).not.toContain('\n');
    expect(issues[0]!.message).toMatch(/^Flow sequence in block collection must be sufficiently indented and end with a \]$/);
  });

  it('a missing config is a usage error saying where it looked', async () => {
    await expect(readJudgeConfig('no-such-judge', { configDir, baseDir: scratch })).rejects.toThrow(UsageError);
    await expect(readJudgeConfig('no-such-judge', { configDir, baseDir: scratch })).rejects.toThrow(path.join(configDir, 'no-such-judge.yaml'));
  });

  it('the old backend "pandalm" says it is now "llama" with PandaLM as the default format, at its line', async () => {
    const issues = await issuesOf(configFile('old.yaml', 'model: m.gguf\nbackend: pandalm\n'));
    expect(issues).toEqual([expect.objectContaining({ path: ['backend'], line: 2, message: expect.stringContaining('write `backend: llama`') })]);
  });

  it('names a format for the llama and openai backends (PandaLM by default), with its options', async () => {
    const llama = await readJudgeConfig(configFile('judgelm.yaml', 'backend: llama\nmodel: m.gguf\nformat: judgelm\n'), { configDir, baseDir: scratch });
    expect(llama).toMatchObject({ backend: 'llama', format: 'judgelm' });
    const openai = await readJudgeConfig(configFile('prom.yaml', 'backend: openai\nbaseUrl: http://x/v1\nmodel: p\nformat: prometheus\nrubric: "[Is it correct?]"\n'), { configDir, baseDir: scratch });
    expect(openai).toMatchObject({ format: 'prometheus', rubric: '[Is it correct?]' });
    expect(await readJudgeConfig(configFile('default.yaml', 'backend: llama\nmodel: m.gguf\n'), { configDir, baseDir: scratch })).toMatchObject({ format: 'pandalm' });
  });

  it('a misspelt format gets a "did you mean", and an option of another format is an error at its line', async () => {
    const typo = await issuesOf(configFile('typo-format.yaml', 'backend: llama\nmodel: m.gguf\nformat: prometeus\n'));
    expect(typo).toEqual([expect.objectContaining({ path: ['format'], line: 3, message: expect.stringContaining('did you mean "prometheus"') })]);
    const misplaced = await issuesOf(configFile('rubric.yaml', 'backend: llama\nmodel: m.gguf\nformat: auto-j\nrubric: "[Is it kind?]"\n'));
    expect(misplaced).toEqual([expect.objectContaining({ path: ['rubric'], line: 4, message: '`rubric` applies to format prometheus only, and this config\'s format is auto-j' })]);
  });

  it('a custom format must show both responses, name distinct labels and give a pattern with a group, each at its line', async () => {
    const file = configFile(
      'custom.yaml',
      [
        'backend: llama',
        'model: m.gguf',
        'format: custom',
        'prompt: "Q: {{instruction}} A: {{response1}} B: {{respnse2}}\\nBetter:"',
        'labels: {one: A, two: A}',
        'parse: "Better: A|B"',
        '',
      ].join('\n'),
    );
    const issues = await issuesOf(file);
    expect(issues).toEqual([
      expect.objectContaining({ path: ['prompt'], line: 4, message: 'unknown placeholder {{respnse2}}; expected {{instruction}}, {{input}}, {{response1}}, {{response2}}' }),
      expect.objectContaining({ path: ['prompt'], line: 4, message: 'the template never shows {{response2}}; a judge must see both responses' }),
      expect.objectContaining({ path: ['labels'], line: 5, message: 'the labels must differ, got "A", "A"' }),
      expect.objectContaining({ path: ['parse'], line: 6, message: expect.stringContaining('needs a capture group') }),
    ]);
    const incomplete = await issuesOf(configFile('custom-bare.yaml', 'backend: llama\nmodel: m.gguf\nformat: custom\n'));
    expect(incomplete).toEqual([expect.objectContaining({ path: ['format'], line: 3, message: expect.stringContaining('format custom needs `prompt`') })]);
  });
});

