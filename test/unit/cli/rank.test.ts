import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankCommand } from '../../../cli/commands/rank.js';
import type { RankReport } from '../../../core/judge-eval/rank-models.js';
import { UsageError } from '../../../core/errors/usage-error.js';
import { pandalmData } from '../../support/pandalm-data.js';
let dir: string;

async function run(args: string[]): Promise<{ stdout: string; code: number | undefined }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  let code: number | undefined;
  const program = new Command().exitOverride();
  rankCommand.register(program, { stdout, stderr: new PassThrough(), env: {}, cwd: dir, setExitCode: (c) => (code = c) });
  await program.parseAsync(['rank', ...args], { from: 'user' });
  return { stdout: Buffer.concat(chunks).toString('utf8'), code };
}

let nextIdx = 0;
const item = (cmp: string, labels: [number, number, number], instruction = `task ${nextIdx}`) => ({
  idx: nextIdx++, cmp_key: cmp, instruction, input: '', response1: 'r1', response2: 'r2',
  annotator1: labels[0], annotator2: labels[1], annotator3: labels[2],
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-rank-'));
  // strong beats mid 3-1 and weak 3-0 (one 0-1-2 split = tie); mid beats weak 2-1 with a tie.
  const items = [
    item('strong_mid', [1, 1, 2]), item('strong_mid', [1, 1, 1]), item('strong_mid', [1, 0, 1]), item('strong_mid', [2, 2, 2]),
    item('weak_strong', [2, 2, 2]), item('weak_strong', [2, 2, 1]), item('weak_strong', [2, 0, 2]), item('weak_strong', [0, 1, 2]),
    item('mid_weak', [1, 1, 1]), item('mid_weak', [1, 1, 0]), item('mid_weak', [2, 2, 2]), item('mid_weak', [0, 0, 0]),
  ];
  await writeFile(join(dir, 'testset.json'), JSON.stringify(items));
  // A judge that prefers response 1 whatever it is.
  await writeFile(join(dir, 'pred.json'), JSON.stringify(items.map((i) => ({ idx: i.idx, gpt_result: i.idx === 0 ? 'garbage' : '1' }))));
  await writeFile(join(dir, 'bad.json'), JSON.stringify([item('a_b', [1, 1, 1]), { ...item('a_b', [1, 1, 1]), annotator2: 7 }]));
  await writeFile(join(dir, 'short.json'), JSON.stringify([{ idx: 0, pandalm_result: 1 }, { idx: 4, pandalm_result: 2 }]));
  await writeFile(join(dir, 'stray.json'), JSON.stringify([{ idx: 0, pandalm_result: 1 }, { idx: 99, pandalm_result: 2 }]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rank', () => {
  it('ranks from human majority labels', async () => {
    const { stdout, code } = await run(['--testset', 'testset.json', '--json', '--bootstrap', '200']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as RankReport;
    expect(report.source).toBe('human');
    expect(report.pairs).toContainEqual({ a: 'strong', b: 'mid', aWins: 3, bWins: 1, ties: 0 });
    expect(report.pairs).toContainEqual({ a: 'weak', b: 'strong', aWins: 0, bWins: 3, ties: 1 });
    expect(report.pairs).toContainEqual({ a: 'mid', b: 'weak', aWins: 2, bWins: 1, ties: 1 });
    expect(report.standings.map((s) => [s.model, s.rank])).toEqual([['strong', 1], ['mid', 2], ['weak', 3]]);
    const strong = report.standings[0]!;
    expect(strong).toMatchObject({ wins: 6, losses: 1, ties: 1, matchWins: 2, points: 2 });
    expect(strong.score).toBeCloseTo(6.5 / 8, 12);
    expect(strong.ciLow).toBeLessThanOrEqual(strong.rating);
    expect(strong.ciHigh).toBeGreaterThanOrEqual(strong.rating);
  });

  it('ranks from released verdicts joined by idx', async () => {
    const { stdout } = await run(['--testset', 'testset.json', '--predictions', 'pred.json', '--json', '--bootstrap', '0']);
    const report = JSON.parse(stdout) as RankReport;
    expect(report.pairs.find((p) => p.a === 'strong')).toEqual({ a: 'strong', b: 'mid', aWins: 3, bWins: 0, ties: 1 });
    // Always "response 1": every model wins as A and loses as B, so each takes one pair.
    expect(report.standings.map((s) => s.points)).toEqual([1, 1, 1]);
  });

  it('ranks only the items a partial verdict file covers, and says so', async () => {
    const report = JSON.parse((await run(['--testset', 'testset.json', '--predictions', 'short.json', '--json', '--bootstrap', '0'])).stdout) as RankReport;
    expect(report).toMatchObject({ items: 2, testsetItems: 12 });
    expect(report.pairs).toEqual([{ a: 'strong', b: 'mid', aWins: 1, bWins: 0, ties: 0 }, { a: 'weak', b: 'strong', aWins: 0, bWins: 1, ties: 0 }]);
    expect((await run(['--testset', 'testset.json', '--predictions', 'short.json', '--bootstrap', '0'])).stdout).toContain("on 2 items (of the test set's 12)");
  });

  it('prints tables that fit 100 columns', async () => {
    const { stdout } = await run(['--testset', 'testset.json', '--bootstrap', '50']);
    expect(stdout).toMatch(/Standings/);
    expect(stdout).toMatch(/strong/);
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('names the file and item of an invalid entry', async () => {
    await expect(run(['--testset', 'bad.json'])).rejects.toThrow(UsageError);
    await expect(run(['--testset', 'bad.json'])).rejects.toThrow(/bad\.json is invalid at item 1 \(annotator2\)/);
    await expect(run(['--testset', 'testset.json', '--predictions', 'stray.json'])).rejects.toThrow(/stray\.json does not fit test set .*idx 99/);
    await expect(run(['--testset', 'missing.json'])).rejects.toThrow(/not found/);
  });

  it('ranks the shipped PandaLM test set', async () => {
    const testset = pandalmData.testset;
    const human = JSON.parse((await run(['--testset', testset, '--json', '--bootstrap', '100'])).stdout) as RankReport;
    expect(human.items).toBe(999);
    expect(human.pairs).toHaveLength(10);
    expect(human.standings).toHaveLength(5);
    expect(human.pairs.reduce((n, p) => n + p.aWins + p.bWins + p.ties, 0)).toBe(999);
    const judged = JSON.parse((await run(['--testset', testset, '--predictions', pandalmData.pandalm7b, '--json', '--bootstrap', '100'])).stdout) as RankReport;
    // PandaLM agrees with humans on who is best among these 7B models.
    expect(judged.standings[0]?.model).toBe(human.standings[0]?.model);
  });
});
