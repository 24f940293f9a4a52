/**
 * Text for the judge benchmarks: prompts from PandaLM's test set (its first items, shipped in sweeps/data)
 * and BPE pieces learned from the items after them, so a generated model's vocabulary tokenizes the
 * measured prompts about as compactly as LLaMA's does without having seen them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { testsetRequest, testsetSchema } from '../core/judge-eval/judge-eval-files.js';
import type { JudgeRequest } from '../core/judging/judge-types.js';

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
