/**
 * The `replay` judge backend: verdicts read from a file instead of a model, for re-scoring released
 * verdicts (PandaLM-7B, GPT-3.5), human labels, and tests.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { JudgeRequest, JudgeResult, Verdict, VerdictProbabilities } from '../core/judging/judge-types.js';
import { goldLabel, predictionItemSchema, predictionVerdict, testsetItemSchema, testsetSchema } from '../core/judge-eval/judge-eval-files.js';
import { cleanResponse } from '../core/judge-formats/pandalm.js';
import { unswapProbabilities, unswapVerdict } from '../core/judging/resolve-orders.js';
import { JudgeRequestError } from './errors/judge-request-error.js';
import type { Judge } from './judge.js';
import type { ReplayJudgeConfig } from './judge-config.js';

const textItemSchema = z.object({
  instruction: z.string(),
  input: z.string().default(''),
  response1: z.string(),
  response2: z.string(),
  verdict: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});

/** A stored answer to one order of one request. */
interface StoredAnswer {
  readonly verdict: Verdict;
  readonly probabilities?: VerdictProbabilities;
}

function requestKey(request: { instruction: string; input: string; response1: string; response2: string }): string {
  return JSON.stringify([request.instruction.trim(), request.input.trim(), cleanResponse(request.response1), cleanResponse(request.response2)]);
}

async function readRecords(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return z.array(z.unknown()).parse(JSON.parse(trimmed));
  return trimmed.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown);
}

/**
 * Creates a replay judge from its configuration. Records are matched to requests by their texts
 * (instruction, input and cleaned responses); records that carry only `idx` get their texts from `testset`
 * (or from the file itself when it is the annotated test set). A record that stores both orders'
 * answers (`first`/`swapped`, as `judge-eval --save` writes them) answers each order as the judge did,
 * probabilities included, so the configured resolution combines them again; otherwise a request asked in
 * the swapped order is answered with the stored verdict mapped to that order.
 */
export async function createReplayJudge(config: Pick<ReplayJudgeConfig, 'file' | 'records' | 'testset'>): Promise<Judge> {
  const records = await readRecords(config.file);
  const texts = new Map<number, { instruction: string; input: string; response1: string; response2: string }>();
  if (config.testset !== undefined) {
    for (const item of testsetSchema.parse(JSON.parse(await readFile(config.testset, 'utf8')))) texts.set(item.idx, item);
  }
  const answers = new Map<string, StoredAnswer>();
  for (const [index, record] of records.entries()) {
    const human = testsetItemSchema.safeParse(record);
    if (human.success && (config.records === 'auto' || config.records === 'human')) {
      answers.set(requestKey(human.data), { verdict: goldLabel(human.data) });
      continue;
    }
    const withText = textItemSchema.safeParse(record);
    if (withText.success) {
      answers.set(requestKey(withText.data), { verdict: withText.data.verdict });
      continue;
    }
    const prediction = predictionItemSchema.safeParse(record);
    if (!prediction.success) throw new Error(`${config.file}: record ${index} is not a verdict (${prediction.error.issues[0]?.message ?? 'unknown format'})`);
    const item = texts.get(prediction.data.idx);
    if (item === undefined) throw new Error(`${config.file}: record ${index} (idx ${prediction.data.idx}) has no texts; set testset: in the judge config`);
    const stored = prediction.data;
    if ('pandalm_result' in stored && stored.first !== undefined) {
      answers.set(requestKey(item), { verdict: stored.first.result, ...(stored.first.probabilities === undefined ? {} : { probabilities: stored.first.probabilities }) });
      const swappedKey = requestKey({ ...item, response1: item.response2, response2: item.response1 });
      // Two identical responses make both orders one prompt: the first order's answer stands for both.
      if (stored.swapped !== undefined && !answers.has(swappedKey)) {
        answers.set(swappedKey, { verdict: stored.swapped.result, ...(stored.swapped.probabilities === undefined ? {} : { probabilities: stored.swapped.probabilities }) });
      }
      continue;
    }
    answers.set(requestKey(item), { verdict: predictionVerdict(stored) });
  }
  const id = `replay:${config.file}`;
  return {
    id,
    async judge(request: JudgeRequest): Promise<JudgeResult> {
      const direct = answers.get(requestKey(request));
      if (direct !== undefined) return { ...direct, latencyMs: 0 };
      const swapped = answers.get(requestKey({ ...request, response1: request.response2, response2: request.response1 }));
      if (swapped !== undefined) {
        return {
          verdict: unswapVerdict(swapped.verdict),
          ...(swapped.probabilities === undefined ? {} : { probabilities: unswapProbabilities(swapped.probabilities) }),
          latencyMs: 0,
        };
      }
      throw new JudgeRequestError(id, `no stored verdict for instruction ${JSON.stringify(request.instruction.slice(0, 60))}`);
    },
    async dispose(): Promise<void> {},
  };
}
