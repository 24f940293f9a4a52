/**
 * How far apart real models are for a judge, from real data: PandaLM-7B's released verdicts on its
 * test set (sweeps/data), one per item, each item a pair of the five test-set models (`cmp_key`). A
 * Bradley–Terry fit to those verdicts (a tie half a win each) gives each model a logit per judgment,
 * the scale the simulated judge's qualities are on; their spread calibrates the selection benchmark's
 * real-data shape. Five base models differ more than hyperparameter variants of one, so this shape is
 * the easy end of what a sweep meets.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fitBradleyTerry, type PairResult } from '../../core/tournament/fit-bradley-terry.js';

const data = path.resolve(import.meta.dirname, '../../sweeps/data');

interface TestItem {
  readonly idx: number;
  readonly cmp_key: string;
}
interface ReleasedVerdict {
  readonly idx: number;
  readonly pandalm_result: 0 | 1 | 2;
}

function fitReleased(): { logits: ReadonlyMap<string, number>; sd: number } {
  const items = JSON.parse(readFileSync(path.join(data, 'pandalm-testset-v1.json'), 'utf8')) as TestItem[];
  const verdicts = new Map((JSON.parse(readFileSync(path.join(data, 'pandalm-7b-testset-v1.json'), 'utf8')) as ReleasedVerdict[]).map((v) => [v.idx, v.pandalm_result]));
  const results: PairResult[] = [];
  for (const item of items) {
    const verdict = verdicts.get(item.idx);
    if (verdict === undefined) continue;
    const [a, b] = item.cmp_key.split('_') as [string, string];
    results.push({ a, b, scoreA: verdict === 1 ? 1 : verdict === 2 ? 0 : 0.5, games: 1 });
  }
  const models = [...new Set(results.flatMap((r) => [r.a, r.b]))];
  const logits = fitBradleyTerry(models, results);
  const values = [...logits.values()];
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1));
  return { logits, sd };
}

/** The five models' fitted logits and their sample standard deviation. */
export const releasedQualitySpread = fitReleased();
