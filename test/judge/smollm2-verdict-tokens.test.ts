/**
 * PandaLM's verdict labels on a real BPE vocabulary: SmolLM2-135M-Instruct's 49k-token GPT-2-style
 * tokenizer, loaded by node-llama-cpp (vocabulary only). Verdict mode reads the probabilities of exactly
 * these three tokens, so a wrong one would silently turn every verdict into noise.
 */
import { getLlama, type LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPandaLMPrompt, pandaLMEvaluationHeader, pandaLMFormat } from '../../core/judge-formats/pandalm.js';
import { findLabelTokens } from '../../judges/find-label-tokens.js';
import { realModelMissing, smolLM2Path } from '../support/real-model.js';

describe.skipIf(realModelMissing({ python: false }) !== null)('verdict tokens on SmolLM2\'s vocabulary', () => {
  let model: LlamaModel;
  beforeAll(async () => {
    const llama = await getLlama({ gpu: false, build: 'never' });
    model = await llama.loadModel({ modelPath: smolLM2Path, vocabOnly: true });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('finds one distinct token per label that decodes to the label\'s start', () => {
    const tokens = findLabelTokens(model, pandaLMEvaluationHeader, pandaLMFormat.labels!);
    expect(model.detokenize([tokens.one])).toBe('1');
    expect(model.detokenize([tokens.two])).toBe('2');
    const tie = model.detokenize([tokens.tie!]);
    expect(tie.length).toBeGreaterThan(0);
    expect('Tie'.startsWith(tie)).toBe(true);
    expect(new Set([tokens.one, tokens.two, tokens.tie]).size).toBe(3);
  });

  it('takes the token that follows the header inside a whole prompt, as the judge evaluates it', () => {
    const tokens = findLabelTokens(model, pandaLMEvaluationHeader, pandaLMFormat.labels!);
    const prompt = buildPandaLMPrompt({ instruction: 'Name a colour.', input: '', response1: 'Blue.', response2: 'Seven.' });
    expect(prompt.endsWith(pandaLMEvaluationHeader)).toBe(true);
    const promptTokens = model.tokenize(prompt, false);
    for (const [label, token] of [['1', tokens.one], ['2', tokens.two], ['Tie', tokens.tie!]] as const) {
      const answered = model.tokenize(prompt + label, false);
      // The prompt's own tokens stay as they are, and the label's first token comes right after them.
      expect(answered.slice(0, promptTokens.length)).toEqual(promptTokens);
      expect(answered[promptTokens.length]).toBe(token);
    }
  });

  it('finds a custom format\'s labels after its prompt\'s end, and one label per token, or says which clash', () => {
    const tokens = findLabelTokens(model, 'Which is better, A or B? Answer C for a tie.\nAnswer:', { one: ' A', two: ' B', tie: ' C' });
    expect([tokens.one, tokens.two, tokens.tie!].map((token) => model.detokenize([token]))).toEqual([' A', ' B', ' C']);
    expect(() => findLabelTokens(model, 'Answer:', { one: ' Response 1', two: ' Response 2' })).toThrow(/starts two of the labels " Response 1", " Response 2" with one token/);
  });
});
