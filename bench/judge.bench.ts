/**
 * Judge throughput: judgments per second in `verdict` mode (one prompt evaluation) vs `full` mode (greedy
 * generation of up to 512 tokens, as PandaLM), on the same prompts, and verdict mode with 1 vs N parallel
 * sequences. Prints one JSON document. The goal is verdict mode >= 20x full mode.
 *
 * Usage: tsx bench/judge.bench.ts [--model file.gguf] [--prompts 8] [--sequences 4] [--threads 1] [--gpu auto|cuda|false] [--max-tokens 512]
 * Without --model it generates the tiny test model. bench/gpu/ runs it on a LLaMA-7B-shaped model.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { JudgeRequest } from '../core/judging/judge-types.js';
import { createPandaLMLlamaJudge } from '../judges/pandalm-llama-judge.js';
import type { Judge } from '../judges/judge.js';
import { writeTinyGguf } from '../judges/tiny-gguf/write-tiny-gguf.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    prompts: { type: 'string', default: '8' },
    sequences: { type: 'string', default: '4' },
    threads: { type: 'string' },
    gpu: { type: 'string', default: 'auto' },
    'max-tokens': { type: 'string', default: '512' },
  },
});

/** Prompts from PandaLM's test set when the shared data is mounted, else synthetic ones of similar length. */
function benchRequests(count: number): JudgeRequest[] {
  const testset = new URL('../../shared/data/pandalm/testset-v1.json', import.meta.url);
  if (existsSync(testset)) {
    const items = JSON.parse(readFileSync(testset, 'utf8')) as { instruction: string; input: string; response1: unknown; response2: unknown }[];
    return items.slice(0, count).map((item) => ({ instruction: item.instruction, input: item.input, response1: String(item.response1), response2: String(item.response2) }));
  }
  return Array.from({ length: count }, (_, i) => ({
    instruction: `Write a short note about topic number ${i}.`,
    input: '',
    response1: `Topic ${i} is interesting because it has many sides. `.repeat(4),
    response2: `Here is a note on topic ${i}: it matters. `.repeat(4),
  }));
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
  if (values.model === undefined) await writeTinyGguf(modelPath, { seed: 11 });
  const requests = benchRequests(Number(values.prompts));
  const sequences = Number(values.sequences);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  const gpu: 'auto' | 'cuda' | false = values.gpu === 'false' ? false : values.gpu === 'cuda' ? 'cuda' : 'auto';
  const backend: string[] = [];
  const common = { modelPath, gpu, maxTokens: Number(values['max-tokens']), logger: (line: string): void => void backend.push(line), ...(threads === undefined ? {} : { threads }) };

  const single = await createPandaLMLlamaJudge({ ...common, sequences: 1 });
  // Warm-up so the first measurement does not pay for lazy initialisation.
  await single.judge(requests[0]!, { mode: 'verdict' });
  const verdict1 = await timeJudgments(single, requests, 'verdict', 1);
  const full1 = await timeJudgments(single, requests, 'full', 1);
  await single.dispose();

  const parallel = await createPandaLMLlamaJudge({ ...common, sequences });
  await parallel.judge(requests[0]!, { mode: 'verdict' });
  const verdictN = await timeJudgments(parallel, requests, 'verdict', sequences);
  await parallel.dispose();

  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'judge',
        model: values.model ?? 'tiny (generated)',
        backend,
        prompts: requests.length,
        maxTokens: common.maxTokens,
        threads: threads ?? 'default',
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
