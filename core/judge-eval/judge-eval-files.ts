/**
 * Schemas for PandaLM's judge test set and its released verdict files, and the conversions the paper's
 * metrics use (majority gold label; GPT-3.5's "garbage" answers count as Tie).
 */
import { z } from 'zod';
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';
import { majorityLabel } from './score-judge.js';

const verdictSchema = z.union([z.literal(0), z.literal(1), z.literal(2)]);
// Six responses in testset-v1 are the JSON boolean `true`; the model's text was "True".
const responseTextSchema = z.union([z.string(), z.boolean(), z.number()]).transform((value) => String(value).replace(/^true$/, 'True').replace(/^false$/, 'False'));

/** One human-annotated pair of PandaLM's `testset-v1.json`. */
export const testsetItemSchema = z.object({
  idx: z.number().int(),
  instruction: z.string(),
  input: z.string().default(''),
  response1: responseTextSchema,
  response2: responseTextSchema,
  annotator1: verdictSchema,
  annotator2: verdictSchema,
  annotator3: verdictSchema,
});
/** One human-annotated pair, with responses coerced to text. */
export type TestsetItem = z.infer<typeof testsetItemSchema>;

/** PandaLM's judge test set: a JSON array of annotated pairs. */
export const testsetSchema = z.array(testsetItemSchema).min(1);

/** One released judge verdict: PandaLM's (`pandalm_result` 0/1/2) or GPT-3.5's (`gpt_result` "1"/"2"/"Tie"/other). */
export const predictionItemSchema = z.union([
  z.object({ idx: z.number().int(), pandalm_result: verdictSchema }),
  z.object({ idx: z.number().int(), gpt_result: z.string() }),
  z.object({ idx: z.number().int(), verdict: verdictSchema }),
]);
/** One released judge verdict. */
export type PredictionItem = z.infer<typeof predictionItemSchema>;

/** A released verdict file: a JSON array of verdicts keyed by `idx`. */
export const predictionsSchema = z.array(predictionItemSchema).min(1);

/** Returns the gold label of a test-set item: the majority of its three annotators. */
export function goldLabel(item: TestsetItem): Verdict {
  return majorityLabel([item.annotator1, item.annotator2, item.annotator3]);
}

/** Returns the verdict of a released prediction; GPT-3.5 answers other than "1" and "2" count as Tie. */
export function predictionVerdict(item: PredictionItem): Verdict {
  if ('pandalm_result' in item) return item.pandalm_result;
  if ('verdict' in item) return item.verdict;
  const text = item.gpt_result.trim();
  return text === '1' ? 1 : text === '2' ? 2 : 0;
}

/** Returns the judge request for a test-set item, in the annotated order. */
export function testsetRequest(item: TestsetItem): JudgeRequest {
  return { instruction: item.instruction, input: item.input, response1: item.response1, response2: item.response2 };
}
