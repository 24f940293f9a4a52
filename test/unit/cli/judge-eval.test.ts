import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeEvalCommand, type JudgeEvalReport } from '../../../cli/commands/judge-eval.js';
import { rankCommand } from '../../../cli/commands/rank.js';
import type { RankReport } from '../../../core/judge-eval/rank-models.js';
import { predictionsSchema } from '../../../core/judge-eval/judge-eval-files.js';
import { resolveOrders } from '../../../core/judging/resolve-orders.js';
import { pandalmData } from '../../support/pandalm-data.js';
let dir: string;

async function run(args: string[], command = judgeEvalCommand): Promise<{ stdout: string; code: number | undefined }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let code: number | undefined;
  const program = new Command().exitOverride();
  command.register(program, { stdout, stderr: new PassThrough(), env: {}, cwd: dir, setExitCode: (c) => (code = c) });
  await program.parseAsync(args[0] === 'rank' ? args : ['judge-eval', ...args], { from: 'user' });
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
  // 24 items with cmp_key, so rank can read them too; a simulated judge that says "1" half the time
  // whatever it is shown, so the orders conflict and the first position wins more than its share.
  const models = ['m1_m2', 'm2_m3', 'm3_m1'];
  await writeFile(join(dir, 'ranked.json'), JSON.stringify(Array.from({ length: 24 }, (_, i) => ({ ...item(i, [i % 3, i % 3, (i + 1) % 3]), cmp_key: models[i % 3] }))));
  await writeFile(join(dir, 'biased.yaml'), 'backend: simulated\nseed: 3\npositionBias: 0.5\n');
  await writeFile(join(dir, 'stray.json'), JSON.stringify([{ idx: 0, pandalm_result: 1 }, { idx: 99, pandalm_result: 2 }]));
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

  it('reproduces the published PandaLM-7B row on the shipped released files', async () => {
    const { stdout } = await run(['--testset', pandalmData.testset, '--predictions', pandalmData.pandalm7b]);
    expect(stdout).toContain('accuracy 66.77%   macro precision 57.38  recall 57.50  F1 57.43');
    // Released verdicts are one order each: no position bias or conflicts to report.
    expect(stdout).not.toMatch(/position bias|order conflicts/);
  });

  it('reproduces it through the shipped pandalm-7b-released judge config (replay of the shipped files)', async () => {
    // The released verdicts are one order each: --one-order, as a sweep's judge.swap: false.
    const { stdout } = await run(['--testset', pandalmData.testset, '--judge', 'pandalm-7b-released', '--one-order']);
    expect(stdout).toContain('accuracy 66.77%   macro precision 57.38  recall 57.50  F1 57.43');
    expect(stdout).toMatch(/judged in [\d.]+ s: 999 judgments/);
    expect(stdout).not.toMatch(/position bias|order conflicts/);
  });

  it('--save writes per-item verdicts with both orders that --predictions, rank and replay read back', async () => {
    const judged = JSON.parse((await run(['--testset', 'ranked.json', '--judge', 'biased.yaml', '--save', 'saved.json', '--json'])).stdout) as JudgeEvalReport;
    expect(judged.n).toBe(24);
    expect(judged.timing?.judgments).toBe(48);
    expect(judged.orderConflictRate).toBeGreaterThan(0);
    expect(judged.positionBias!.judgments).toBe(48);
    expect(judged.positionBias!.first).toBeGreaterThan(judged.positionBias!.second);

    const saved = predictionsSchema.parse(JSON.parse(await readFile(join(dir, 'saved.json'), 'utf8')));
    expect(saved.map((record) => record.idx)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(saved.every((record) => 'pandalm_result' in record && record.first !== undefined && record.swapped !== undefined)).toBe(true);

    const { timing: _timing, ...score } = judged;
    const reread = JSON.parse((await run(['--testset', 'ranked.json', '--predictions', 'saved.json', '--json'])).stdout) as JudgeEvalReport;
    expect(reread).toEqual(score);
    // Replayed through a judge config, the stored orders resolve (paper rule, as the run) to the same verdicts.
    await writeFile(join(dir, 'saved.yaml'), 'backend: replay\nfile: saved.json\ntestset: ranked.json\n');
    const { timing: _replayTiming, ...replayed } = JSON.parse((await run(['--testset', 'ranked.json', '--judge', 'saved.yaml', '--json'])).stdout) as JudgeEvalReport;
    expect(replayed).toEqual(score);

    const ranked = JSON.parse((await run(['rank', '--testset', 'ranked.json', '--predictions', 'saved.json', '--json', '--bootstrap', '0'], rankCommand)).stdout) as RankReport;
    expect(ranked.items).toBe(24);
    expect(ranked.standings.map((s) => s.model).sort()).toEqual(['m1', 'm2', 'm3']);
  });

  it('scores the items a --limit run saved, and the first --limit of a file', async () => {
    await run(['--testset', 'ranked.json', '--judge', 'biased.yaml', '--limit', '5', '--save', 'five.json']);
    expect((JSON.parse((await run(['--testset', 'ranked.json', '--predictions', 'five.json', '--json'])).stdout) as JudgeEvalReport).n).toBe(5);
    expect((JSON.parse((await run(['--testset', 'ranked.json', '--predictions', 'saved.json', '--limit', '3', '--json'])).stdout) as JudgeEvalReport).n).toBe(3);
    const ranked = await run(['rank', '--testset', 'ranked.json', '--predictions', 'five.json', '--bootstrap', '0'], rankCommand);
    expect(ranked.stdout).toContain("verdicts on 5 items (of the test set's 24)");
  });

  it('takes the mode, orders and resolution from its flags, with the sweep\'s defaults', async () => {
    const both = JSON.parse((await run(['--testset', 'ranked.json', '--judge', 'biased.yaml', '--json'])).stdout) as JudgeEvalReport;
    expect(both.timing?.judgments).toBe(48);
    const one = JSON.parse((await run(['--testset', 'ranked.json', '--judge', 'biased.yaml', '--one-order', '--json'])).stdout) as JudgeEvalReport;
    expect(one.timing?.judgments).toBe(24);
    expect(one.orderConflictRate).toBeNull();
    // The default is the paper's rule, as a sweep's: every order conflict is a tie. `first` keeps the
    // first order's verdict where the other order is a tie: a replay whose swapped orders all tie tells them apart.
    const orders = Array.from({ length: 24 }, (_, idx) => ({ idx, pandalm_result: 0, first: { result: [1, 2, 0][idx % 3] }, swapped: { result: 0 } }));
    await writeFile(join(dir, 'orders.json'), JSON.stringify(orders));
    await writeFile(join(dir, 'orders.yaml'), 'backend: replay\nfile: orders.json\ntestset: ranked.json\n');
    await run(['--testset', 'ranked.json', '--judge', 'orders.yaml', '--save', 'paper.json']);
    await run(['--testset', 'ranked.json', '--judge', 'orders.yaml', '--resolution', 'first', '--save', 'first.json']);
    const paper = predictionsSchema.parse(JSON.parse(await readFile(join(dir, 'paper.json'), 'utf8')));
    const first = predictionsSchema.parse(JSON.parse(await readFile(join(dir, 'first.json'), 'utf8')));
    const check = (records: typeof paper, rule: 'paper' | 'first'): number => {
      let conflicts = 0;
      for (const record of records) {
        if (!('pandalm_result' in record) || record.first === undefined || record.swapped === undefined) throw new Error('expected both orders');
        expect(record.pandalm_result).toBe(resolveOrders(record.first.result, record.swapped.result, rule));
        if (resolveOrders(record.first.result, record.swapped.result, 'paper') !== resolveOrders(record.first.result, record.swapped.result, 'first')) conflicts++;
      }
      return conflicts;
    };
    // Some pairs resolve differently under the two rules, so the flag is seen to matter.
    expect(check(paper, 'paper')).toBeGreaterThan(0);
    expect(check(first, 'first')).toBeGreaterThan(0);
    await expect(run(['--testset', 'ranked.json', '--judge', 'biased.yaml', '--resolution', 'average'])).rejects.toThrow(/--resolution <rule>' argument 'average' is invalid/);
    await expect(run(['--testset', 'testset.json', '--predictions', 'pred.json', '--one-order'])).rejects.toThrow(/--one-order says how a judge that runs is used/);
  });

  it('refuses --save without --judge, and a verdict file that does not fit the test set', async () => {
    await expect(run(['--testset', 'testset.json', '--predictions', 'pred.json', '--save', 'x.json'])).rejects.toThrow(/--save .*--judge/);
    await expect(run(['--testset', 'testset.json', '--predictions', 'stray.json'])).rejects.toThrow(/does not fit test set .*idx 99/);
  });
});
