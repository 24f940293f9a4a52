/**
 * Runs a configured judge over test-set items, as `judge-eval --judge` does: each item in the annotated
 * order and, unless told one order, again with the responses swapped, resolved by the given rule.
 * Returns what scoring needs and what `--save` stores (PandaLM's verdict format with both orders).
 */
import { goldLabel, pandaLMVerdictRecord, testsetRequest, type PandaLMVerdict, type TestsetItem } from '../core/judge-eval/judge-eval-files.js';
import type { ScoredItem } from '../core/judge-eval/score-judge.js';
import { resolveOrders, swapResponses } from '../core/judging/resolve-orders.js';
import type { JudgeUsage } from './judge-usage-options.js';
import type { Judge } from '../judges/judge.js';

/** What {@link judgeTestset} measured. */
export interface JudgedTestset {
  /** One per item, in the items' order. */
  readonly scored: ScoredItem[];
  /** One per item, in the items' order, ready to save. */
  readonly records: PandaLMVerdict[];
  /** Judge calls made (one per order judged). */
  readonly judgments: number;
  /** Wall time of all judge calls, in seconds. */
  readonly seconds: number;
}

/** Options of {@link judgeTestset}. */
export interface JudgeTestsetOptions {
  /** Items in flight at once; the llama backend serves them from parallel sequences. */
  readonly concurrency: number;
  /** Called after each item with the count done so far. Defaults to none. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Judges every item with `judge` as `usage` says (mode, both orders, resolution). */
export async function judgeTestset(
  items: readonly TestsetItem[],
  judge: Judge,
  usage: JudgeUsage,
  options: JudgeTestsetOptions,
): Promise<JudgedTestset> {
  const scored = new Array<ScoredItem>(items.length);
  const records = new Array<PandaLMVerdict>(items.length);
  let next = 0;
  let done = 0;
  let judgments = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index]!;
      const request = testsetRequest(item);
      const first = await judge.judge(request, { mode: usage.mode });
      judgments++;
      if (!usage.swap) {
        scored[index] = { gold: goldLabel(item), predicted: first.verdict };
        records[index] = pandaLMVerdictRecord(item.idx, first.verdict, first);
      } else {
        const swapped = await judge.judge(swapResponses(request), { mode: usage.mode });
        judgments++;
        const probabilities = first.probabilities && swapped.probabilities ? { first: first.probabilities, swapped: swapped.probabilities } : undefined;
        const verdict = resolveOrders(first.verdict, swapped.verdict, usage.resolution, probabilities);
        scored[index] = { gold: goldLabel(item), predicted: verdict, orders: { first: first.verdict, swapped: swapped.verdict } };
        records[index] = pandaLMVerdictRecord(item.idx, verdict, first, swapped);
      }
      options.onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return { scored, records, judgments, seconds: (performance.now() - started) / 1000 };
}
