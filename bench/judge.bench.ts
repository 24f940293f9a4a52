/**
 * Judge throughput: judgments per second in `verdict` mode (one prompt evaluation) vs `full` mode (greedy
 * generation of up to 512 tokens, as PandaLM), on the same prompts, and verdict mode with 1 vs N parallel
 * sequences. Prints one JSON document. The goal is verdict mode >= 20x full mode.
 *
 * Usage: tsx bench/judge.bench.ts [--model file.gguf] [--prompts 8] [--sequences 4] [--threads 1] [--gpu auto|cuda|false]
 *        [--max-tokens 512] [--vocabulary bpe|bytes] [--flash-attention auto|true|false] [--verdict-rounds 5]
 * Without --model it generates the tiny test model, by default with 8,000 BPE merges learned from held-out
 * PandaLM test items in its vocabulary, so prompts have about as many tokens as with LLaMA's tokenizer
 * (`bytes`: the test model's one token per character). bench/gpu/ runs it on a LLaMA-7B-shaped model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama } from 'node-llama-cpp';
import type { JudgeRequest } from '../core/judging/judge-types.js';
import { buildPandaLMPrompt } from '../core/judge-formats/pandalm.js';
import { createLlamaJudge } from '../judges/llama-judge.js';
import type { Judge } from '../judges/judge.js';
import { writeTinyGguf } from '../test/support/write-tiny-gguf.js';
import { benchRequests, heldOutPieces } from './pandalm-bench-text.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    prompts: { type: 'string', default: '8' },
    sequences: { type: 'string', default: '4' },
    threads: { type: 'string' },
    gpu: { type: 'string', default: 'auto' },
    'max-tokens': { type: 'string', default: '512' },
    vocabulary: { type: 'string', default: 'bpe' },
    'verdict-rounds': { type: 'string', default: '5' },
    'flash-attention': { type: 'string', default: 'auto' },
  },
});

/** Mean prompt length in tokens of the model's own tokenizer (vocabulary only, nothing evaluated). */
async function meanPromptTokens(modelPath: string, requests: readonly JudgeRequest[]): Promise<number> {
  const llama = await getLlama({ build: 'never', gpu: false });
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  const total = requests.reduce((sum, request) => sum + model.tokenize(buildPandaLMPrompt(request)).length, 0);
  await model.dispose();
  return total / requests.length;
}

async function timeJudgments(judge: Judge, requests: readonly JudgeRequest[], mode: 'verdict' | 'full', concurrency: number) {
  const started = performance.now();
  let next = 0;
  let tokens = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const result = await judge.judge(requests[i]!, { mode });
        tokens += result.raw?.length ?? 0;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { judgments: requests.length, seconds, judgmentsPerSecond: requests.length / seconds, ...(mode === 'full' ? { generatedChars: tokens } : {}) };
}

const dir = await mkdtemp(join(tmpdir(), 'pandasweep-bench-'));
try {
  const modelPath = values.model ?? join(dir, 'tiny.gguf');
  if (values.vocabulary !== 'bpe' && values.vocabulary !== 'bytes') throw new Error('--vocabulary is bpe or bytes');
  if (!['auto', 'true', 'false'].includes(values['flash-attention'])) throw new Error('--flash-attention is auto, true or false');
  // `bpe` gives the tiny model about LLaMA's tokens per prompt; `bytes` is the test model's one per character.
  if (values.model === undefined) await writeTinyGguf(modelPath, { seed: 11, ...(values.vocabulary === 'bpe' ? { pieces: heldOutPieces(8000) } : {}) });
  const requests = benchRequests(Number(values.prompts));
  // Verdicts are quick: several passes over the prompts make the measurement long enough to be stable.
  const verdictRequests = Array.from({ length: Number(values['verdict-rounds']) }, () => requests).flat();
  const promptTokens = await meanPromptTokens(modelPath, requests);
  const sequences = Number(values.sequences);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  const gpu: 'auto' | 'cuda' | false = values.gpu === 'false' ? false : values.gpu === 'cuda' ? 'cuda' : 'auto';
  const backend: string[] = [];
  const flashAttention: 'auto' | boolean = values['flash-attention'] === 'true' ? true : values['flash-attention'] === 'false' ? false : 'auto';
  const common = { modelPath, gpu, flashAttention, maxTokens: Number(values['max-tokens']), logger: (line: string): void => void backend.push(line), ...(threads === undefined ? {} : { threads }) };

  const single = await createLlamaJudge({ ...common, sequences: 1 });
  // Warm-up so the first measurement does not pay for lazy initialisation.
  await single.judge(requests[0]!, { mode: 'verdict' });
  const verdict1 = await timeJudgments(single, verdictRequests, 'verdict', 1);
  const full1 = await timeJudgments(single, requests, 'full', 1);
  await single.dispose();

  const parallel = await createLlamaJudge({ ...common, sequences });
  await parallel.judge(requests[0]!, { mode: 'verdict' });
  const verdictN = await timeJudgments(parallel, verdictRequests, 'verdict', sequences);
  await parallel.dispose();

  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'judge',
        model: values.model ?? `tiny (generated, ${values.vocabulary} vocabulary)`,
        backend,
        prompts: requests.length,
        meanPromptTokens: Math.round(promptTokens),
        maxTokens: common.maxTokens,
        threads: threads ?? 'default',
        flashAttention,
        verdict: { sequences1: verdict1, [`sequences${sequences}`]: verdictN },
        full: { sequences1: full1 },
        ratios: {
          verdictOverFull: verdict1.judgmentsPerSecond / full1.judgmentsPerSecond,
          parallelOverSingleVerdict: verdictN.judgmentsPerSecond / verdict1.judgmentsPerSecond,
        },
        goal: 'verdictOverFull >= 20',
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
