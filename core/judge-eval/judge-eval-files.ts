/**
 * Schemas for PandaLM's judge test set and its released verdict files, and the conversions the paper's
 * metrics use (majority gold label; GPT-3.5's "garbage" answers count as Tie).
 */
import { z } from 'zod';
import type { JudgeRequest, JudgeResult, Verdict } from '../judging/judge-types.js';
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

const probabilitySchema = z.number().min(0).max(1);

/** One order's answer as a verdict file stores it, in the labels of the prompt it answered. */
export const orderAnswerSchema = z.object({
  /** The verdict on that order's prompt: 1 = the response shown first there won. */
  result: verdictSchema,
  /** First-token probabilities of the format's labels ("1", "2", "Tie") on that prompt, where the backend reports them. */
  probabilities: z.object({ one: probabilitySchema, two: probabilitySchema, tie: probabilitySchema }).optional(),
  /** Both responses' scores, in that prompt's order, for a format that scores (JudgeLM). */
  scores: z.tuple([z.number(), z.number()]).optional(),
  /** Reason and reference generated for that order (full mode; the first order's are `pandalm_reason`/`pandalm_reference`). */
  reason: z.string().optional(),
  reference: z.string().optional(),
});
/** One order's stored answer. */
export type OrderAnswer = z.infer<typeof orderAnswerSchema>;

/**
 * One verdict in PandaLM's released format (`idx`, `pandalm_result` 0/1/2, `pandalm_reason`,
 * `pandalm_reference`), extended with optional per-order answers so one format carries any judge's run:
 * `first` is the annotated order (response1 shown first), `swapped` the order with the responses swapped,
 * and `pandalm_result` the verdict both orders resolved to.
 */
export const pandaLMVerdictSchema = z
  .object({
    idx: z.number().int(),
    pandalm_result: verdictSchema,
    pandalm_reason: z.string().optional(),
    pandalm_reference: z.string().optional(),
    first: orderAnswerSchema.optional(),
    swapped: orderAnswerSchema.optional(),
  })
  .refine((record) => record.swapped === undefined || record.first !== undefined, { message: '`swapped` needs `first` beside it', path: ['swapped'] });
/** One verdict in PandaLM's (extended) format, as `judge-eval --save` writes it. */
export type PandaLMVerdict = z.infer<typeof pandaLMVerdictSchema>;

/** One released judge verdict: PandaLM's (`pandalm_result` 0/1/2) or GPT-3.5's (`gpt_result` "1"/"2"/"Tie"/other). */
export const predictionItemSchema = z.union([
  pandaLMVerdictSchema,
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

/** The raw verdicts of both orders a prediction stores (the swapped one in its own prompt's labels), if any. */
export function predictionOrders(item: PredictionItem): { first: Verdict; swapped: Verdict } | undefined {
  if (!('pandalm_result' in item) || item.first === undefined || item.swapped === undefined) return undefined;
  return { first: item.first.result, swapped: item.swapped.result };
}

function orderAnswer(result: JudgeResult, withText: boolean): OrderAnswer {
  return {
    result: result.verdict,
    ...(result.probabilities === undefined ? {} : { probabilities: result.probabilities }),
    ...(result.scores === undefined ? {} : { scores: [result.scores[0], result.scores[1]] as [number, number] }),
    ...(withText && result.reason !== undefined ? { reason: result.reason } : {}),
    ...(withText && result.reference !== undefined ? { reference: result.reference } : {}),
  };
}

/**
 * Builds the stored verdict of one test-set item: `verdict` is what the orders resolved to, `first` the
 * judge's answer in the annotated order and `swapped` (when judged) its answer with the responses swapped.
 * The first order's reason and reference go where PandaLM keeps them.
 */
export function pandaLMVerdictRecord(idx: number, verdict: Verdict, first: JudgeResult, swapped?: JudgeResult): PandaLMVerdict {
  return {
    idx,
    pandalm_result: verdict,
    ...(first.reason === undefined ? {} : { pandalm_reason: first.reason }),
    ...(first.reference === undefined ? {} : { pandalm_reference: first.reference }),
    first: orderAnswer(first, false),
    ...(swapped === undefined ? {} : { swapped: orderAnswer(swapped, true) }),
  };
}

/**
 * Pairs the test-set items with the predictions that cover them, in test-set order. A prediction for an
 * `idx` the test set lacks means the two files do not belong together, and so does no overlap at all;
 * both throw. Items without a prediction are left out (a run with `--limit` covers the first n).
 */
export function joinPredictions<T extends { idx: number }>(items: readonly T[], predictions: readonly PredictionItem[]): { item: T; prediction: PredictionItem }[] {
  const byIdx = new Map(predictions.map((prediction) => [prediction.idx, prediction]));
  const known = new Set(items.map((item) => item.idx));
  const stray = predictions.find((prediction) => !known.has(prediction.idx));
  if (stray !== undefined) throw new Error(`it has a verdict for idx ${stray.idx}, which the test set does not have`);
  const joined = items.flatMap((item) => {
    const prediction = byIdx.get(item.idx);
    return prediction === undefined ? [] : [{ item, prediction }];
  });
  if (joined.length === 0) throw new Error('it covers none of the test set\'s items');
  return joined;
}
