import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeRequest } from '../../core/judging/judge-types.js';
import { resolveOrders, swapResponses } from '../../core/judging/resolve-orders.js';
import { JudgeModelError } from '../../judges/errors/judge-model-error.js';
import { LlamaBackendError } from '../../judges/errors/llama-backend-error.js';
import { createLlamaJudge } from '../../judges/llama-judge.js';
import { writeTinyGguf } from '../support/write-tiny-gguf.js';

// One thread: the test machine has 2 cores and the default oversubscribes them.
const threads = 1;
const request: JudgeRequest = { instruction: 'Say hi.', input: '', response1: 'Hello there!', response2: 'World' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-judge-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pandalm judge on a tiny model', () => {
  it('verdict mode: one evaluation gives the biased label with renormalised probabilities', async () => {
    const path = join(dir, 'two.gguf');
    await writeTinyGguf(path, { seed: 3, bias: [{ token: '2', logit: 9 }] });
    const judge = await createLlamaJudge({ modelPath: path, threads, sequences: 2, probe: false });
    try {
      const result = await judge.judge(request, { mode: 'verdict' });
      expect(result.verdict).toBe(2);
      const p = result.probabilities!;
      expect(p.one + p.two + p.tie).toBeCloseTo(1, 6);
      expect(p.two).toBeGreaterThan(0.99);
      // Concurrent calls share the context's sequences and give the same answers as sequential ones.
      const other = { ...request, response1: 'Hi!' };
      const sequential = [await judge.judge(other, { mode: 'verdict' }), await judge.judge(swapResponses(other), { mode: 'verdict' })];
      const concurrent = await Promise.all([judge.judge(other, { mode: 'verdict' }), judge.judge(swapResponses(other), { mode: 'verdict' })]);
      expect(concurrent.map((r) => r.probabilities!.two)).toEqual(sequential.map((r) => expect.closeTo(r.probabilities!.two, 4)));
      // A judge that always says "2" follows the position, so the paper's rule turns it into a tie.
      expect(resolveOrders(sequential[0]!.verdict, sequential[1]!.verdict, 'paper')).toBe(0);
    } finally {
      await judge.dispose();
    }
  });

  it('counts prompt tokens, evaluating only what differs from a cached prefix, and keeps each lane on its own sequence', async () => {
    const path = join(dir, 'prefix.gguf');
    await writeTinyGguf(path, { seed: 3 });
    const judge = await createLlamaJudge({ modelPath: path, threads, sequences: 2, probe: false });
    try {
      // On the CPU one lane at a time is worth running; the second sequence serves a concurrent caller.
      expect(judge.parallelism).toBe(1);
      const lane = (first: string) => [0, 1, 2].map((i) => ({ instruction: 'Name a colour.', input: '', response1: first, response2: `opponent ${i}` }));
      const first = await judge.judge(lane('Red, the colour of blood.')[0]!, { mode: 'verdict' });
      // The tiny model has one token per character, so the counts are the prompt's length.
      expect(first.promptTokens!.evaluated).toBe(first.promptTokens!.total);
      // Two lanes over prompts that differ from the second response on: each lane keeps its own
      // sequence (longest shared prefix), so neither re-evaluates its instruction and response 1.
      const lanes = [lane('Red, the colour of blood.'), lane('Blue, like the sea on a clear day.')];
      const results = await Promise.all(
        lanes.map(async (requests) => {
          const out = [];
          for (const r of requests) out.push(await judge.judge(r, { mode: 'verdict' }));
          return out;
        }),
      );
      const [red, blue] = results.map((lane) => lane.map((r) => r.promptTokens!.evaluated));
      // From the opponent's digit, where consecutive prompts of a lane first differ, to `### Evaluation:`:
      // a handful of tokens out of about a hundred.
      const suffix = red![1]!;
      expect(suffix).toBeLessThan('0\n\n### Evaluation:\n'.length + 1);
      expect(suffix * 4).toBeLessThan(first.promptTokens!.total);
      // Red's first prompt is the one judged above: only its last token is evaluated again, for the probabilities.
      expect(red).toEqual([1, suffix, suffix]);
      expect(blue).toEqual([results[1]![0]!.promptTokens!.total, suffix, suffix]);
      // Verdicts do not depend on what was cached: a fresh judge with one sequence agrees.
      const fresh = await createLlamaJudge({ modelPath: path, threads, sequences: 1, probe: false, contextSize: 512 });
      try {
        const alone = await fresh.judge(lanes[1]![2]!, { mode: 'verdict' });
        expect(alone.probabilities!.one).toBeCloseTo(results[1]![2]!.probabilities!.one, 4);
      } finally {
        await fresh.dispose();
      }
    } finally {
      await judge.dispose();
    }
  });

  it('learned pieces tokenize words whole, and the judge still finds its verdict tokens (flash attention off)', async () => {
    const path = join(dir, 'pieces.gguf');
    await writeTinyGguf(path, { seed: 5, bias: [{ token: '2', logit: 9 }], pieces: ['▁t', 'he', '▁the', 'ui', 'ck', '▁q', '▁qui', '▁quick'] });
    const llama = await getLlama({ build: 'never', gpu: false, maxThreads: threads });
    const vocab = await llama.loadModel({ modelPath: path, vocabOnly: true });
    try {
      expect(vocab.tokenize('the quick').map((token) => vocab.detokenize([token]).trim())).toEqual(['the', 'quick']);
    } finally {
      await vocab.dispose();
    }
    const judge = await createLlamaJudge({ modelPath: path, threads, probe: false, flashAttention: false });
    try {
      const result = await judge.judge({ ...request, response1: 'the quick one' }, { mode: 'verdict' });
      expect(result.verdict).toBe(2);
      expect(result.probabilities!.two).toBeGreaterThan(0.99);
    } finally {
      await judge.dispose();
    }
  });

  it('verdict mode: Tie and 1 biases', async () => {
    for (const [token, expected] of [['Tie', 0], ['1', 1]] as const) {
      const path = join(dir, `bias-${token}.gguf`);
      await writeTinyGguf(path, { seed: 4, bias: [{ token, logit: 9 }] });
      const judge = await createLlamaJudge({ modelPath: path, threads, probe: false });
      try {
        expect((await judge.judge(request, { mode: 'verdict' })).verdict).toBe(expected);
      } finally {
        await judge.dispose();
      }
    }
  });

  it('full mode: greedy generation with the repetition penalty, parsed', async () => {
    const path = join(dir, 'tie-eos.gguf');
    // "Tie" is not in the prompt, so it wins once; penalised after that, the end token wins.
    await writeTinyGguf(path, { seed: 5, bias: [{ token: 'Tie', logit: 9 }, { token: '</s>', logit: 8.5 }] });
    const judge = await createLlamaJudge({ modelPath: path, threads, probe: false });
    try {
      const result = await judge.judge(request, { mode: 'full' });
      expect(result.raw).toBe('Tie');
      expect(result.verdict).toBe(0);
    } finally {
      await judge.dispose();
    }
    const path2 = join(dir, 'twos.gguf');
    await writeTinyGguf(path2, { seed: 5, bias: [{ token: '2', logit: 9 }] });
    const judge2 = await createLlamaJudge({ modelPath: path2, threads, maxTokens: 7, probe: false });
    try {
      const result = await judge2.judge(request, { mode: 'full' });
      expect(result.raw).toBe('2222222');
      // PandaLM's parser reads only an exact "2" line as a win.
      expect(result.verdict).toBe(0);
    } finally {
      await judge2.dispose();
    }
  });
});

describe('pandalm judge errors never kill the worker', () => {
  it('a missing model path', async () => {
    const error = await createLlamaJudge({ modelPath: join(dir, 'nope.gguf'), threads }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeModelError);
    expect((error as JudgeModelError).modelPath).toBe(join(dir, 'nope.gguf'));
  });

  it('a file that is not GGUF', async () => {
    const path = join(dir, 'junk.gguf');
    await writeFile(path, Buffer.from('this is not a model at all, just some bytes'.repeat(10)));
    await expect(createLlamaJudge({ modelPath: path, threads })).rejects.toThrow(/not a readable GGUF file/);
  });

  it('a GGUF without a key llama.cpp needs', async () => {
    const path = join(dir, 'no-blocks.gguf');
    await writeTinyGguf(path);
    const bytes = await readFile(path);
    const key = Buffer.from('llama.block_count');
    bytes.set(Buffer.from('llama.block_xxxxx'), bytes.indexOf(key));
    await writeFile(path, bytes);
    await expect(createLlamaJudge({ modelPath: path, threads })).rejects.toThrow(/missing metadata llama\.block_count/);
  });

  it('a truncated GGUF fails in the probe process, not here', async () => {
    const path = join(dir, 'truncated.gguf');
    await writeTinyGguf(path);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const error = await createLlamaJudge({ modelPath: path, threads }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeModelError);
    expect((error as JudgeModelError).reason).toMatch(/loading failed|killed/);
  });

  it('gpu: cuda without a usable CUDA binary', async (context) => {
    const path = join(dir, 'cuda.gguf');
    await writeTinyGguf(path);
    const result = await createLlamaJudge({ modelPath: path, threads, gpu: 'cuda', probe: false }).then(
      async (judge) => {
        await judge.dispose();
        return 'loaded' as const;
      },
      (error: unknown) => error,
    );
    if (result === 'loaded') context.skip('this machine has a working CUDA backend');
    expect(result).toBeInstanceOf(LlamaBackendError);
    expect((result as LlamaBackendError).gpu).toBe('cuda');
  });
});
