import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPandaLMPrompt, cleanResponse } from '../../../../core/judge-formats/pandalm.js';
import { swapResponses } from '../../../../core/judging/resolve-orders.js';
import { pandalmData } from '../../../support/pandalm-data.js';

interface PromptFixture {
  idx: number | string;
  instruction: string;
  input: string;
  response1: string;
  response2: string;
  expected_prompt: string;
  expected_prompt_swapped: string;
}

const fixtures: PromptFixture[] = readFileSync(pandalmData.promptFixtures, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as PromptFixture);

describe('buildPandaLMPrompt golden cases (sweeps/data/pandalm-prompt-fixtures.jsonl)', () => {
  it('has fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  it.each(fixtures.map((f) => [String(f.idx), f] as const))('fixture %s: original and swapped order', (_idx, f) => {
    const request = { instruction: f.instruction, input: f.input, response1: f.response1, response2: f.response2 };
    expect(buildPandaLMPrompt(request)).toBe(f.expected_prompt);
    expect(buildPandaLMPrompt(swapResponses(request))).toBe(f.expected_prompt_swapped);
  });
});

describe('buildPandaLMPrompt', () => {
  it('uses the Input variant only when the input is not empty', () => {
    const withInput = buildPandaLMPrompt({ instruction: 'I', input: 'X', response1: 'a', response2: 'b' });
    const without = buildPandaLMPrompt({ instruction: 'I', input: '', response1: 'a', response2: 'b' });
    expect(withInput).toContain('### Input:\nX\n\n');
    expect(withInput).toContain('with an Input that provides further context.');
    expect(without).not.toContain('### Input:');
    expect(without).toContain('defined by the Instruction. Evaluate');
    expect(without.endsWith('### Response 1:\na\n\n### Response 2:\nb\n\n### Evaluation:\n')).toBe(true);
  });
});

describe('cleanResponse', () => {
  it('removes special tokens anywhere and trims around them', () => {
    expect(cleanResponse('  <s>Hello</s> [PAD] ')).toBe('Hello');
    expect(cleanResponse('a<unk>b')).toBe('ab');
    expect(cleanResponse('[gMASK][sMASK]<|startofpiece|>x<|endofpiece|>')).toBe('x');
  });
});
