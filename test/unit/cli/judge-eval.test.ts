import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeEvalCommand } from '../../../cli/commands/judge-eval.js';
import { havePandaLMData } from '../../support/skip-loudly.js';

const dataDir = fileURLToPath(new URL('../../../../shared/data/pandalm/', import.meta.url));
const haveShared = havePandaLMData('reproducing the published PandaLM-7B row', 'testset-v1.json', 'pandalm-7b-testset-v1.json');
let dir: string;

async function run(args: string[]): Promise<{ stdout: string; code: number | undefined }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let code: number | undefined;
  const program = new Command().exitOverride();
  judgeEvalCommand.register(program, { stdout, stderr: new PassThrough(), env: {}, cwd: dir, setExitCode: (c) => (code = c) });
  await program.parseAsync(['judge-eval', ...args], { from: 'user' });
  return { stdout: Buffer.concat(chunks).toString('utf8'), code };
}

const item = (idx: number, a: number[], r1 = 'a', r2 = 'b') => ({
  idx, instruction: `task ${idx}`, input: '', response1: r1, response2: r2, annotator1: a[0], annotator2: a[1], annotator3: a[2],
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-judge-eval-'));
  await writeFile(join(dir, 'testset.json'), JSON.stringify([item(0, [1, 1, 2]), item(1, [2, 2, 2]), item(2, [0, 0, 1]), item(3, [1, 1, 1], 'x', true as never)]));
  await writeFile(join(dir, 'pred.json'), JSON.stringify([0, 1, 2, 3].map((idx) => ({ idx, gpt_result: ['1', '2', 'garbage', '2'][idx] }))));
  await writeFile(join(dir, 'replay.yaml'), 'backend: replay\nfile: testset.json\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('judge-eval', () => {
  it('scores released-style predictions as JSON', async () => {
    const { stdout, code } = await run(['--testset', 'testset.json', '--predictions', 'pred.json', '--json']);
    expect(code).toBe(0);
    const score = JSON.parse(stdout);
    expect(score.n).toBe(4);
    expect(score.accuracy).toBe(0.75);
    expect(score.confusion).toEqual([[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
    expect(score.perLabel['1']).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
  });

  it('runs a judge from a config in both orders and reports order conflicts', async () => {
    // A replay of the human labels answers both orders consistently: perfect agreement, no conflicts.
    const { stdout } = await run(['--testset', 'testset.json', '--judge', 'replay.yaml', '--json']);
    const score = JSON.parse(stdout);
    expect(score.accuracy).toBe(1);
    expect(score.kappa).toBe(1);
    expect(score.orderConflictRate).toBe(0);
  });

  it('prints a readable table', async () => {
    const { stdout } = await run(['--testset', 'testset.json', '--predictions', 'pred.json']);
    expect(stdout).toContain('accuracy 75.00%');
    expect(stdout).toMatch(/confusion/);
  });

  it('rejects both or neither source', async () => {
    await expect(run(['--testset', 'testset.json'])).rejects.toThrow(/exactly one/);
    await expect(run(['--testset', 'testset.json', '--predictions', 'pred.json', '--judge', 'x'])).rejects.toThrow(/exactly one/);
  });

  it.skipIf(!haveShared)('reproduces the published PandaLM-7B row on the released files (needs ../shared)', async () => {
    const { stdout } = await run(['--testset', `${dataDir}testset-v1.json`, '--predictions', `${dataDir}pandalm-7b-testset-v1.json`]);
    expect(stdout).toContain('accuracy 66.77%   macro precision 57.38  recall 57.50  F1 57.43');
  });
});
