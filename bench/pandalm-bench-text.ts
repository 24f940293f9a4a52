/**
 * Text for the judge benchmarks: prompts from PandaLM's test set (its first items, shipped in sweeps/data)
 * and BPE pieces learned from the items after them, so a generated model's vocabulary tokenizes the
 * measured prompts about as compactly as LLaMA's does without having seen them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testsetRequest, testsetSchema } from '../core/judge-eval/judge-eval-files.js';
import type { JudgeRequest } from '../core/judging/judge-types.js';
import { inPrefixOrder, type PrefixOrderKey } from '../core/tournament/judging-groups.js';

/** Items before this index may be measured; the vocabulary is learned from the items from here on. */
export const heldOutFrom = 100;

const testsetFile = fileURLToPath(new URL('../sweeps/data/pandalm-testset-v1.json', import.meta.url));
let testset: JudgeRequest[] | undefined;

function readTestset(): JudgeRequest[] {
  testset ??= testsetSchema.parse(JSON.parse(readFileSync(testsetFile, 'utf8'))).map(testsetRequest);
  return testset;
}

/** The first `count` prompts of PandaLM's test set. */
export function benchRequests(count: number): JudgeRequest[] {
  if (count > heldOutFrom) throw new Error(`At most ${heldOutFrom} prompts: the items after them provide the benchmark model's vocabulary.`);
  return readTestset().slice(0, count);
}

/**
 * Learns `merges` byte-pair merges from the held-out items, as SentencePiece's BPE mode does: words are
 * split where llama.cpp's tokenizer splits them (a space becomes `▁` and starts a word; a newline or a
 * character outside printable ASCII stays a byte token), then the most frequent adjacent pair is merged,
 * again and again. Returns the merged pieces in merge order, for `writeTinyGguf`'s `pieces`.
 */
export function heldOutPieces(merges: number): string[] {
  const items = readTestset().slice(heldOutFrom);
  const wordCounts = new Map<string, number>();
  for (const request of items) {
    for (const text of [request.instruction, request.input, request.response1, request.response2]) {
      for (const word of ` ${text}`.replaceAll(' ', '▁').match(/▁?[!-~]+|▁/g) ?? []) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
    }
  }
  const words = [...wordCounts].map(([word, count]) => ({ symbols: [...word], count }));
  const learned: string[] = [];
  while (learned.length < merges) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of words) {
      for (let i = 1; i < symbols.length; i++) {
        const pair = `${symbols[i - 1]}\u0000${symbols[i]}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + count);
      }
    }
    let best: string | undefined;
    let bestCount = 1;
    for (const [pair, count] of pairs) if (count > bestCount || (count === bestCount && best !== undefined && pair < best)) [best, bestCount] = [pair, count];
    if (best === undefined) break;
    const [left, right] = best.split('\u0000') as [string, string];
    learned.push(left + right);
    for (const word of words) {
      const { symbols } = word;
      for (let i = 1; i < symbols.length; i++) {
        if (symbols[i - 1] === left && symbols[i] === right) symbols.splice(i - 1, 2, left + right);
      }
    }
  }
  return learned;
}

/** One judgment of {@link blockRoundRobin}. */
export interface RoundRobinJudgment extends PrefixOrderKey {
  readonly request: JudgeRequest;
}

/**
 * The judgments of one block's round robin as a tournament plays it: `trials` trials answer each of the
 * test set's first `instructions` instructions, every pair meets in both orders, in the judge activity's
 * prefix order. A trial's answer is one of the test-set responses to that instruction (up to five exist)
 * or, past those, a response to another early item, so answers have real lengths and differ between trials.
 */
export function blockRoundRobin(trials: number, instructions: number): RoundRobinJudgment[] {
  const items = readTestset().slice(0, heldOutFrom);
  const pools = new Map<string, { request: JudgeRequest; responses: string[] }>();
  for (const request of items) {
    const key = `${request.instruction}\u0000${request.input}`;
    const pool = pools.get(key) ?? { request, responses: [] };
    for (const response of [request.response1, request.response2]) if (!pool.responses.includes(response)) pool.responses.push(response);
    pools.set(key, pool);
  }
  const chosen = [...pools.values()].slice(0, instructions);
  if (chosen.length < instructions) throw new Error(`At most ${pools.size} instructions: the rest provide the benchmark model's vocabulary.`);
  const borrowed = [...new Set(items.flatMap((request) => [request.response1, request.response2]))];
  const keys = Array.from({ length: trials }, (_, t) => `t${String(t).padStart(2, '0')}`);
  const judgments = chosen.flatMap(({ request, responses }, instruction) => {
    const others = borrowed.filter((response) => !responses.includes(response));
    const answer = (t: number): string => responses[t] ?? others[(instruction * trials + t * 7) % others.length]!;
    return keys.flatMap((first, a) =>
      keys.flatMap((second, b) =>
        a === b ? [] : [{ instruction, first, second, request: { instruction: request.instruction, input: request.input, response1: answer(a), response2: answer(b) } }],
      ),
    );
  });
  return inPrefixOrder(judgments);
}
