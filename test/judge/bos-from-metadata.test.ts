/**
 * Tokenizer fidelity (issue 17): the llama.cpp judge puts a BOS token before its prompt only when the
 * model's GGUF asks for one (`tokenizer.ggml.add_bos_token`), and without the key follows llama.cpp's
 * default for the tokenizer (yes for LLaMA's SentencePiece one). Checked on tiny LLaMA-tokenizer models
 * that differ only in that key, and on the real SmolLM2 GGUF, whose BPE tokenizer says false.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type LlamaModel, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeRequest, VerdictProbabilities } from '../../core/judging/judge-types.js';
import { buildPandaLMPrompt, pandaLMEvaluationHeader, pandaLMFormat } from '../../core/judge-formats/pandalm.js';
import { findLabelTokens } from '../../judges/find-label-tokens.js';
import { beginningToken, promptTokens } from '../../judges/llama-prompt-tokens.js';
import { createLlamaJudge } from '../../judges/llama-judge.js';
import { realModelMissing, smolLM2Path } from '../support/real-model.js';
import { writeTinyGguf } from '../support/write-tiny-gguf.js';

// One thread: the test machine has 2 cores and the default oversubscribes them.
const threads = 1;
const request: JudgeRequest = { instruction: 'Say hi.', input: '', response1: 'Hello there!', response2: 'World' };
const prompt = buildPandaLMPrompt(request);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-bos-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The verdict probabilities of evaluating exactly `tokens`, outside the judge, as the judge reads them. */
async function probabilitiesOf(model: LlamaModel, tokens: readonly Token[]): Promise<VerdictProbabilities> {
  const context = await model.createContext({ contextSize: 4096, sequences: 1, threads, flashAttention: 'auto' });
  try {
    const last = tokens.length - 1;
    const output = await context.getSequence().controlledEvaluate(tokens.map((token, index) => (index === last ? [token, { generateNext: { probabilities: true } }] : token)));
    const next = output[last]?.next.probabilities;
    if (next === undefined) throw new Error('no next-token probabilities');
    const ids = findLabelTokens(model, pandaLMEvaluationHeader, pandaLMFormat.labels!);
    const [one, two, tie] = [next.get(ids.one) ?? 0, next.get(ids.two) ?? 0, next.get(ids.tie!) ?? 0];
    return { one: one / (one + two + tie), two: two / (one + two + tie), tie: tie / (one + two + tie) };
  } finally {
    await context.dispose();
  }
}

describe('BOS on tiny LLaMA-tokenizer models', () => {
  it.each([
    { addBosToken: true, bos: true },
    { addBosToken: false, bos: false },
    // No key: llama.cpp's default for the `llama` (SentencePiece) tokenizer is to add BOS.
    { addBosToken: null, bos: true },
  ])('add_bos_token $addBosToken: BOS first is $bos, and the judge evaluates exactly those tokens', async ({ addBosToken, bos }) => {
    const path = join(dir, `bos-${String(addBosToken)}.gguf`);
    // One seed for all three: the weights are the same, only the metadata key differs.
    await writeTinyGguf(path, { seed: 6, addBosToken });
    const llama = await getLlama({ build: 'never', gpu: false, maxThreads: threads });
    const model = await llama.loadModel({ modelPath: path });
    let expected: VerdictProbabilities;
    let other: VerdictProbabilities;
    try {
      expect(model.fileInfo.metadata.tokenizer.ggml.add_bos_token).toBe(addBosToken ?? undefined);
      expect(beginningToken(model)).toBe(bos ? model.tokens.bos : null);
      const tokens = promptTokens(model, prompt, 4096);
      expect(tokens).toEqual([...(bos ? [model.tokens.bos!] : []), ...model.tokenize(prompt, false)]);
      expected = await probabilitiesOf(model, tokens);
      // The BOS matters to the verdict: the same weights read differently without it.
      // The same prompt with the other choice of BOS, to show the check below can tell them apart.
      other = await probabilitiesOf(model, bos ? tokens.slice(1) : [model.tokens.bos!, ...tokens]);
    } finally {
      await model.dispose();
    }
    const judge = await createLlamaJudge({ modelPath: path, gpu: false, threads, probe: false });
    try {
      const { probabilities } = await judge.judge(request, { mode: 'verdict' });
      // Evaluating the same tokens reproduces the probabilities to 7 digits (the judge reads the labels among
      // the few tokens it does not ban, so llama.cpp's float32 softmax sums fewer terms: about 2e-8 apart),
      // while the other choice of BOS moves them by about 4e-6 on these random weights: the judge used these tokens.
      for (const label of ['one', 'two', 'tie'] as const) expect(probabilities![label]).toBeCloseTo(expected[label], 7);
      expect(Math.abs(other.one - expected.one) + Math.abs(other.two - expected.two)).toBeGreaterThan(1e-6);
    } finally {
      await judge.dispose();
    }
  });
});

describe.skipIf(realModelMissing({ python: false }) !== null)('BOS on SmolLM2-135M-Instruct', () => {
  it('its GGUF says add_bos_token false, so the judge\'s prompt starts with the prompt\'s own first token', async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    const model = await llama.loadModel({ modelPath: smolLM2Path, vocabOnly: true });
    try {
      expect(model.fileInfo.metadata.tokenizer.ggml.model).toBe('gpt2');
      expect(model.fileInfo.metadata.tokenizer.ggml.add_bos_token).toBe(false);
      // It has a BOS token (<|im_start|>, id 1); the judge must not use it.
      expect(model.tokens.bos).not.toBeNull();
      expect(beginningToken(model)).toBeNull();
      expect(promptTokens(model, prompt, 1 << 20)).toEqual(model.tokenize(prompt, false));
    } finally {
      await model.dispose();
    }
  });
});
