/**
 * `judge-eval --save` with a real LLM judge (issue 17): SmolLM2-135M-Instruct (configs/judges/smollm2.yaml)
 * judges the first items of PandaLM's shipped test set in both orders through the real binary; the saved
 * file holds both orders' first-token probabilities, scores the same when read back, and ranks the models.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeEvalReport } from '../../cli/commands/judge-eval.js';
import type { RankReport } from '../../core/judge-eval/rank-models.js';
import { predictionsSchema } from '../../core/judge-eval/judge-eval-files.js';
import { resolveOrders } from '../../core/judging/resolve-orders.js';
import { pandalmData } from '../support/pandalm-data.js';
import { realModelMissing } from '../support/real-model.js';
import { runCli } from '../support/run-cli.js';

// Six items, twelve judgments: about 5 s of judging on 2 cores after about 5 s of loading.
const items = 6;

describe.skipIf(realModelMissing({ python: false }) !== null)('judge-eval --save with SmolLM2', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-judge-eval-smollm2-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves both orders with probabilities, reads them back, and ranks from them', async () => {
    const saved = path.join(dir, 'smollm2.json');
    const judged = await runCli(['judge-eval', '--testset', pandalmData.testset, '--judge', 'smollm2', '--resolution', 'probability', '--limit', String(items), '--save', saved, '--json'], { timeoutMs: 60_000 });
    expect(judged.exitCode, judged.stderr).toBe(0);
    const report = JSON.parse(judged.stdout) as JudgeEvalReport;
    expect(report.n).toBe(items);
    expect(report.timing?.judgments).toBe(2 * items);
    expect(report.positionBias?.judgments).toBe(2 * items);
    expect(report.orderConflictRate).not.toBeNull();

    const records = predictionsSchema.parse(JSON.parse(await readFile(saved, 'utf8')));
    expect(records).toHaveLength(items);
    for (const record of records) {
      if (!('pandalm_result' in record)) throw new Error('expected PandaLM\'s verdict format');
      const { first, swapped } = record;
      for (const order of [first, swapped]) {
        const p = order!.probabilities!;
        expect(p.one + p.two + p.tie).toBeCloseTo(1, 6);
      }
      // The saved verdict is the rule asked for (probability) applied to the saved orders.
      expect(resolveOrders(first!.result, swapped!.result, 'probability', { first: first!.probabilities!, swapped: swapped!.probabilities! })).toBe(record.pandalm_result);
    }

    const reread = await runCli(['judge-eval', '--testset', pandalmData.testset, '--predictions', saved, '--json']);
    expect(reread.exitCode, reread.stderr).toBe(0);
    const { timing: _timing, ...score } = report;
    expect(JSON.parse(reread.stdout)).toEqual(score);

    const ranked = await runCli(['rank', '--testset', pandalmData.testset, '--predictions', saved, '--json', '--bootstrap', '50']);
    expect(ranked.exitCode, ranked.stderr).toBe(0);
    const ranking = JSON.parse(ranked.stdout) as RankReport;
    expect(ranking).toMatchObject({ items, testsetItems: 999 });
    expect(ranking.pairs.reduce((n, p) => n + p.aWins + p.bWins + p.ties, 0)).toBe(items);
  });
});
