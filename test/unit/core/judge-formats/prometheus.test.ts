import { describe, expect, it } from 'vitest';
import { buildPrometheusPrompt, defaultPrometheusRubric, parsePrometheusResult, prometheusFormat } from '../../../../core/judge-formats/prometheus.js';

/**
 * What Prometheus 2 sees for relative grading without a reference, byte-exact, as upstream renders it:
 * `RELATIVE_PROMPT_WO_REF` with `REL_SYSTEM_PROMPT` through FastChat's `mistral` template, as
 * prometheus-eval/prometheus-eval `libs/prometheus-eval/prometheus_eval/judge.py` builds it
 * @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234 (lm-sys/FastChat `fastchat/conversation.py` @ 0e6d3e4beaab66f4d3f93db72541a4abab8af28d).
 */
const renderedNoReference = "[INST] You are a fair judge assistant assigned to deliver insightful feedback that compares individual performances, highlighting how each stands relative to others within the same cohort.\n###Task Description:\nAn instruction (might include an Input inside it), two responses to evaluate (denoted as Response A and Response B), and an evaluation criteria are given.\n1. Write a detailed feedback that assess the quality of the two responses strictly based on the given evaluation criteria, not evaluating in general.\n2. Make comparisons between Response A, Response B, and the Reference Answer. Instead of examining Response A and Response B separately, go straight to the point and mention about the commonalities and differences between them.\n3. After writing the feedback, indicate the better response, either \"A\" or \"B\".\n4. The output format should look as follows: \"Feedback: (write a feedback for criteria) [RESULT] (Either \"A\" or \"B\")\"\n5. Please do not generate any other opening, closing, and explanations.\n\n###Instruction:\n{instruction}\n\n###Response A:\n{response_A}\n\n###Response B:\n{response_B}\n\n###Score Rubric:\n{rubric}\n\n###Feedback:  [/INST]";

/** `load_rubric("helpfulness", "relative")`: the first line of `HELPFULNESS_RUBRIC` (prompts.py). */
const helpfulnessCriterion = "[Does the model provide relevant and useful responses to the user's needs or questions?]";

/** Fills the upstream template's placeholders as Python's `str.format` would. */
function fill(instruction: string, responseA: string, responseB: string, rubric: string): string {
  return renderedNoReference
    .split('{instruction}')
    .join(instruction)
    .split('{response_A}')
    .join(responseA)
    .split('{response_B}')
    .join(responseB)
    .split('{rubric}')
    .join(rubric);
}

// prometheus-eval/prometheus-eval, libs/prometheus-eval/prometheus_eval/prompts.py (RELATIVE_PROMPT_WO_REF, REL_SYSTEM_PROMPT) and judge.py (_get_conversation_prompt) @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234
describe('buildPrometheusPrompt (prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/{prompts,judge}.py @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234)', () => {
  const request = { instruction: 'Explain why the sky is blue.', input: '', response1: 'Rayleigh scattering.', response2: 'Because it reflects the ocean.' };

  it('the default rubric is the helpfulness criterion (first line of HELPFULNESS_RUBRIC)', () => {
    expect(defaultPrometheusRubric).toBe(helpfulnessCriterion);
  });

  it('equals the rendered upstream input with the default rubric', () => {
    const expected = fill('Explain why the sky is blue.', 'Rayleigh scattering.', 'Because it reflects the ocean.', helpfulnessCriterion);
    expect(buildPrometheusPrompt(request)).toBe(expected);
    expect(prometheusFormat().buildPrompt(request)).toBe(expected);
  });

  it('equals the rendered upstream input with a custom rubric', () => {
    const rubric = 'Is the answer well supported with evidence, including citations/attributions wherever relevant?';
    const expected = fill('Explain why the sky is blue.', 'Rayleigh scattering.', 'Because it reflects the ocean.', rubric);
    expect(buildPrometheusPrompt(request, rubric)).toBe(expected);
    expect(prometheusFormat(rubric).buildPrompt(request)).toBe(expected);
    expect(prometheusFormat(rubric).buildPrompt(request)).not.toContain(helpfulnessCriterion);
  });

  it('puts the input on the line after the instruction ("might include an Input inside it")', () => {
    const withInput = { instruction: 'Translate to French.', input: 'Good morning', response1: 'Bonjour', response2: 'Bonsoir' };
    expect(buildPrometheusPrompt(withInput)).toBe(fill('Translate to French.\nGood morning', 'Bonjour', 'Bonsoir', helpfulnessCriterion));
  });

  it('shows response1 as Response A and response2 as Response B', () => {
    const swapped = { ...request, response1: request.response2, response2: request.response1 };
    expect(buildPrometheusPrompt(swapped)).toBe(fill('Explain why the sky is blue.', 'Because it reflects the ocean.', 'Rayleigh scattering.', helpfulnessCriterion));
  });

  it('starts with the system message inside [INST] and ends with "###Feedback:  [/INST]" (two spaces)', () => {
    const prompt = buildPrometheusPrompt(request);
    expect(prompt.startsWith('[INST] You are a fair judge assistant assigned to deliver insightful feedback')).toBe(true);
    expect(prompt.endsWith('###Feedback:  [/INST]')).toBe(true);
    expect(prompt).not.toContain('###Reference Answer:');
    expect(prompt).not.toContain('<s>');
  });
});

interface ResultRow {
  readonly raw: string;
  /** `parse_output(raw, "relative")[1]`; `undefined` for Python's `None`. */
  readonly result: 'A' | 'B' | undefined;
}

/**
 * Outputs and what upstream's `parse_output(output, "relative")` returns for them (run on each with the
 * upstream parser). Its `None` input cannot be typed here.
 */
const resultRows: readonly ResultRow[] = [
  { raw: 'Response A is better. [RESULT] A', result: 'A' },
  { raw: 'Prefer Response B. [RESULT] B', result: 'B' },
  { raw: 'Feedback: x [RESULT] b', result: 'B' },
  { raw: 'Feedback: x [RESULT]B', result: 'B' },
  { raw: 'Feedback: x [RESULT] B\n', result: 'B' },
  { raw: 'Feedback: x [RESULT] B ', result: 'B' },
  { raw: 'Feedback: x [RESULT] A\nMore text after', result: 'A' },
  { raw: 'Feedback: x [RESULT] A\n[RESULT] B', result: 'A' },
  { raw: '[RESULT] A [RESULT] B', result: 'B' },
  { raw: 'Feedback: x [RESULT] Response A', result: 'A' },
  { raw: 'Feedback: Both responses are similar... [Response B]', result: 'B' },
  { raw: 'Feedback: … [Result] Response B', result: 'B' },
  { raw: 'Feedback: … [RESULT: B]', result: 'B' },
  { raw: 'Feedback: … [Result: B]', result: 'B' },
  { raw: 'Feedback: … [RESULT: A', result: 'A' },
  { raw: '[Result: B]', result: 'B' },
  { raw: '[RESULT: A', result: 'A' },
  { raw: 'Feedback: x\nResult: B', result: 'B' },
  { raw: 'Feedback: x Result: B', result: undefined },
  { raw: 'Feedback: x [RESULT] B.', result: undefined },
  { raw: 'Feedback: x [RESULT] (B)', result: undefined },
  { raw: 'Feedback: x [RESULT] "B"', result: undefined },
  { raw: "Feedback: x [RESULT] 'A'", result: undefined },
  { raw: 'Feedback: x [RESULT] AB', result: undefined },
  { raw: 'Feedback: x [RESULT] A</s>', result: undefined },
  { raw: 'Feedback: x [RESULT] Tie', result: undefined },
  { raw: 'Feedback: Both responses are clear... Response B', result: undefined },
  { raw: 'Feedback: Both responses are clear... [B]', result: undefined },
  { raw: '… based on the given rubric, Response B is a better fit', result: undefined },
  { raw: '', result: undefined },
  // Python's MULTILINE ends a line at "\n" only, not at "\r" or U+2028 as JavaScript's `m` flag would.
  { raw: 'Feedback: x [RESULT] A\rmore', result: undefined },
  { raw: 'x\rResult: B', result: undefined },
  { raw: 'Feedback: x [RESULT] A\u2028more', result: undefined },
];

const verdictOf = (result: 'A' | 'B' | undefined): 0 | 1 | 2 => (result === 'A' ? 1 : result === 'B' ? 2 : 0);

// prometheus-eval/prometheus-eval, libs/prometheus-eval/prometheus_eval/parser.py (_parse_output_relative) @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234
describe('parsePrometheusResult and prometheusFormat().parse (prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/parser.py @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234)', () => {
  it.each(resultRows.map((row) => [JSON.stringify(row.raw), row] as const))('_parse_output_relative(%s)', (_label, row) => {
    expect(parsePrometheusResult(row.raw)).toBe(row.result);
    expect(prometheusFormat().parse(row.raw).verdict).toBe(verdictOf(row.result));
  });

  it('takes the text before the result marker, without a leading "Feedback:", as the reason', () => {
    expect(prometheusFormat().parse('Feedback: Response A cites its sources; B does not. [RESULT] A')).toEqual({ verdict: 1, reason: 'Response A cites its sources; B does not.' });
    expect(prometheusFormat().parse('Feedback: x\nResult: B')).toEqual({ verdict: 2, reason: 'x' });
  });

  it('keeps the whole answer as the reason when there is no result, and none for an empty answer', () => {
    expect(prometheusFormat().parse('Feedback: Both are fine.')).toEqual({ verdict: 0, reason: 'Both are fine.' });
    expect(prometheusFormat().parse('')).toEqual({ verdict: 0 });
  });

  it('has no labels (no tie, and the answer reasons first), so it is judged in full mode only', () => {
    expect(prometheusFormat().labels).toBeUndefined();
    expect(prometheusFormat().name).toBe('prometheus');
  });
});

// prometheus-eval/prometheus-eval, libs/prometheus-eval/prometheus_eval/mock.py (MockLLM) and eval/parser.py's inline cases, @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234
describe('Prometheus golden examples (prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/mock.py, eval/parser.py @ dcfb44272d5d0414832f5dbb8c2a05ebc2614234)', () => {
  it('MockLLM\'s relative output "Hello [RESULT] A" is A', () => {
    expect(parsePrometheusResult('Hello [RESULT] A')).toBe('A');
    expect(prometheusFormat().parse('Hello [RESULT] A')).toEqual({ verdict: 1, reason: 'Hello' });
  });

  // Only the eval/parser.py cases that the library parser also passes (its lenient "Response B", "[B]" cases fail there).
  it.each([
    ['Response A is better. [RESULT] A', 'A'],
    ['Prefer Response B. [RESULT] B', 'B'],
    ['Feedback: Both responses are similar... [Response B]', 'B'],
    ['Feedback: Both responses are clear... [Result] Response B', 'B'],
    ['Feedback: Both responses are clear... [RESULT: B]', 'B'],
    ['Feedback: Both responses are clear... [Result: B]', 'B'],
  ] as const)('eval/parser.py case %j is %s', (raw, result) => {
    expect(parsePrometheusResult(raw)).toBe(result);
    expect(prometheusFormat().parse(raw).verdict).toBe(verdictOf(result));
  });
});
