import { describe, expect, it } from 'vitest';
import { autoJFormat, buildAutoJPrompt, parseAutoJDecision } from '../../../../core/judge-formats/auto-j.js';
import type { Verdict } from '../../../../core/judging/judge-types.js';

/**
 * Auto-J's pairwise input, byte-exact, as `build_autoj_input(prompt, resp1, resp2, "pairwise_tie")`
 * (`[INST] … [/INST]`, no system block) from GAIR-NLP/auto-j `codes/usage/constants_prompt.py`
 * @ 2ae17a3965d933232e9cd50302aa0f176249c83b.
 */
const rendered = "[INST] You are assessing two submitted responses on a given user's query and judging which response is better or they are tied. Here is the data:\n\n[BEGIN DATA]\n***\n[Query]: {prompt}\n***\n[Response 1]: {response}\n***\n[Response 2]: {response_another}\n***\n[END DATA]\n\nHere are the instructions to assess and compare the two responses:\n\n1. Pinpoint the key factors to distinguish these two responses.\n2. Conclude your comparison by providing a final decision on which response is better, or they are tied. Begin your final decision statement with \"So, the final decision is Response 1 / Response 2 / Tie\". Ensure that your decision aligns coherently with the comprehensive evaluation and comparison you've provided. [/INST]";

/** Fills `{prompt}`, `{response}` and `{response_another}` as Python's `str.format` would. */
function fill(query: string, response: string, responseAnother: string): string {
  return rendered.split('{prompt}').join(query).split('{response_another}').join(responseAnother).split('{response}').join(response);
}

// GAIR-NLP/auto-j, codes/usage/constants_prompt.py (pairwise_tie, llama2_wrapper, build_autoj_input) @ 2ae17a3965d933232e9cd50302aa0f176249c83b
describe('buildAutoJPrompt (GAIR-NLP/auto-j codes/usage/constants_prompt.py @ 2ae17a3965d933232e9cd50302aa0f176249c83b)', () => {
  it('equals the rendered upstream input for the codes/usage/example.py demo pair', () => {
    const request = {
      instruction: "What's the capital of the United States?",
      input: '',
      response1: 'The capital of the United States is New York.',
      response2: 'The captical of the United States is Washington D.C.',
    };
    expect(buildAutoJPrompt(request)).toBe(
      fill("What's the capital of the United States?", 'The capital of the United States is New York.', 'The captical of the United States is Washington D.C.'),
    );
    expect(autoJFormat.buildPrompt(request)).toBe(buildAutoJPrompt(request));
  });

  it('puts the input on the line after the instruction in the query', () => {
    const request = { instruction: 'Fix the grammar.', input: 'He go to school.', response1: 'He goes to school.', response2: 'He went school.' };
    expect(buildAutoJPrompt(request)).toBe(fill('Fix the grammar.\nHe go to school.', 'He goes to school.', 'He went school.'));
  });

  it('shows the responses in the request order', () => {
    expect(buildAutoJPrompt({ instruction: 'Q', input: '', response1: 'second', response2: 'first' })).toBe(fill('Q', 'second', 'first'));
  });

  it('wraps in [INST] … [/INST] with no <<SYS>> block and no BOS', () => {
    const prompt = buildAutoJPrompt({ instruction: 'Q', input: '', response1: 'a', response2: 'b' });
    expect(prompt.startsWith("[INST] You are assessing two submitted responses on a given user's query")).toBe(true);
    expect(prompt.endsWith("comparison you've provided. [/INST]")).toBe(true);
    expect(prompt).not.toContain('<<SYS>>');
    expect(prompt).not.toContain('<s>');
  });
});

interface DecisionRow {
  readonly raw: string;
  /** `extract_pariwise_result`: 0 Response 1, 1 Response 2, 2 tie, -1 no decision. */
  readonly label: 0 | 1 | 2 | -1;
}

/** Outputs and the labels upstream's `extract_pariwise_result` gives them (run on each with the upstream function). */
const decisionRows: readonly DecisionRow[] = [
  { raw: 'So, the final decision is Response 1.', label: 0 },
  { raw: 'So, the final decision is response 2', label: 1 },
  { raw: 'So, the final decision is Tie.', label: 2 },
  { raw: 'So, the final decision is tie', label: 2 },
  { raw: 'So, the final decision is Tied.', label: 2 },
  { raw: 'The final decision is Response 1', label: 0 },
  { raw: 'So, the final decision is  Response 2', label: 1 },
  { raw: 'So, the final decision is Response 2 is better', label: 1 },
  { raw: 'So, the final decision is Response 10', label: 0 },
  { raw: 'So, the final decision is Response 1 / Response 2 / Tie', label: 0 },
  { raw: 'final decision is Response 2. ... the final decision is Tie', label: 2 },
  { raw: 'So, the final decision is Response 1 [/INST]', label: 0 },
  { raw: 'So, the final decision is **Response 1**', label: -1 },
  { raw: 'So, the final decision is: Response 1', label: -1 },
  { raw: "So, the final decision is 'Response 1'", label: -1 },
  { raw: 'So, the final decision is Responses 1', label: -1 },
  { raw: 'So, the final decision is\nResponse 1', label: -1 },
  { raw: 'So, the Final Decision is Response 1', label: -1 },
  { raw: 'final decision is ', label: -1 },
  { raw: 'no decision', label: -1 },
  { raw: '', label: -1 },
];

const decisionOf = (label: 0 | 1 | 2 | -1): Verdict | undefined => (label === 0 ? 1 : label === 1 ? 2 : label === 2 ? 0 : undefined);

// GAIR-NLP/auto-j, codes/usage/example.py (extract_pariwise_result) @ 2ae17a3965d933232e9cd50302aa0f176249c83b
describe('parseAutoJDecision and autoJFormat.parse (GAIR-NLP/auto-j codes/usage/example.py @ 2ae17a3965d933232e9cd50302aa0f176249c83b)', () => {
  it.each(decisionRows.map((row) => [JSON.stringify(row.raw), row] as const))('extract_pariwise_result(%s)', (_label, row) => {
    expect(parseAutoJDecision(row.raw)).toBe(decisionOf(row.label));
    expect(autoJFormat.parse(row.raw).verdict).toBe(decisionOf(row.label) ?? 0);
  });

  it('tells a tie (0) from no decision (undefined)', () => {
    expect(parseAutoJDecision('So, the final decision is Tie.')).toBe(0);
    expect(parseAutoJDecision('no decision')).toBeUndefined();
  });

  it('keeps the trimmed answer as the reason, and none for an empty answer', () => {
    expect(autoJFormat.parse('  Response 1 is wrong.\nSo, the final decision is Response 2.\n')).toEqual({
      verdict: 2,
      reason: 'Response 1 is wrong.\nSo, the final decision is Response 2.',
    });
    expect(autoJFormat.parse('   ')).toEqual({ verdict: 0 });
  });

  it('has no labels (it decides at the end), so it is judged in full mode only', () => {
    expect(autoJFormat.labels).toBeUndefined();
    expect(autoJFormat.name).toBe('auto-j');
  });
});

// GAIR-NLP/auto-j, README "Example 1" (figs/example_pairwise.png) @ 2ae17a3965d933232e9cd50302aa0f176249c83b
describe('Auto-J README golden example (GAIR-NLP/auto-j figs/example_pairwise.png @ 2ae17a3965d933232e9cd50302aa0f176249c83b)', () => {
  const judgment = [
    '1. The key factors to distinguish these two responses:',
    '\t- purpose: Both responses meet this criterion as they both inform the family about the booked flights for Thanksgiving. However, Response 2 does a better job by asking for any plans for meals or activities, which aligns more closely with the purpose of the email, which is to inform and also to plan for the Thanksgiving celebration.',
    '\t- tone: ...',
    '\t- body: ...',
    '\t- personalization: ...',
    '\t- information richness: ...',
    '2. The final decision:',
    '\tSo, the final decision is Response 2. Although both responses meet the criteria and are well-written, Response 2 is better because it is more informative, engaging, and personalized, which makes it more suitable for a family email.',
  ].join('\n');

  it('decides Response 2 (label 1)', () => {
    expect(parseAutoJDecision(judgment)).toBe(2);
    expect(autoJFormat.parse(judgment)).toEqual({ verdict: 2, reason: judgment });
  });
});
