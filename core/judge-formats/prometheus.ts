/**
 * The Prometheus 2 relative-grading format (prometheus-eval/prometheus-eval, `libs/prometheus-eval/
 * prometheus_eval`): `RELATIVE_PROMPT_WO_REF` of `prompts.py` (the library's default, as on its main
 * branch; the 0.1.20 release on PyPI still has the older text) with `REL_SYSTEM_PROMPT`, wrapped as
 * `judge.py` wraps it for vLLM (FastChat's `mistral` template: `[INST] system\ncontent [/INST]`), and its
 * answer `Feedback: … [RESULT] A|B`, parsed as `_parse_output_relative` of `parser.py`. Prometheus has no
 * tie; an answer without a result (which the library would generate again, up to 10 times) is a tie here.
 */
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';
import { instructionText } from './instruction-text.js';
import type { JudgeFormat } from './judge-format.js';

/** The criterion that `load_rubric("helpfulness", "relative")` gives: the first line of `HELPFULNESS_RUBRIC`. */
export const defaultPrometheusRubric = "[Does the model provide relevant and useful responses to the user's needs or questions?]";

const system =
  'You are a fair judge assistant assigned to deliver insightful feedback that compares individual performances, highlighting how each stands relative to others within the same cohort.';
const taskDescription =
  '###Task Description:\n' +
  'An instruction (might include an Input inside it), two responses to evaluate (denoted as Response A and Response B), and an evaluation criteria are given.\n' +
  '1. Write a detailed feedback that assess the quality of the two responses strictly based on the given evaluation criteria, not evaluating in general.\n' +
  '2. Make comparisons between Response A, Response B, and the Reference Answer. Instead of examining Response A and Response B separately, go straight to the point and mention about the commonalities and differences between them.\n' +
  '3. After writing the feedback, indicate the better response, either "A" or "B".\n' +
  '4. The output format should look as follows: "Feedback: (write a feedback for criteria) [RESULT] (Either "A" or "B")"\n' +
  '5. Please do not generate any other opening, closing, and explanations.';

/** Prometheus' relative-grading prompt for one ordered pair (Response A is `response1`). */
export function buildPrometheusPrompt(request: JudgeRequest, rubric: string = defaultPrometheusRubric): string {
  const content =
    `${taskDescription}\n\n###Instruction:\n${instructionText(request)}\n\n` +
    `###Response A:\n${request.response1}\n\n###Response B:\n${request.response2}\n\n` +
    `###Score Rubric:\n${rubric}\n\n###Feedback: `;
  return `[INST] ${system}\n${content} [/INST]`;
}

// `_parse_output_relative`'s pattern: a result marker, then A or B at the end of a line; the first match
// counts. Python's MULTILINE ends a line at "\n" only (JavaScript's `m` flag also at "\r" and U+2028), so
// the line ends are spelt out instead.
const resultPattern = /(?:\[RESULT\]|\[RESULT:\s*|\[Response\s+|\[Result\](?:\s+Response)?|\[Result:\s*|(?:^|\n)Result:?\s*)\s*(A|B)(?:\])?\s*(?:$|(?=\n))/i;

// The first result marker and its letter, upper-cased, or `undefined` where the library's parser finds none.
function findResult(raw: string): { letter: 'A' | 'B'; at: number } | undefined {
  const match = resultPattern.exec(raw);
  const letter = match?.[1]?.toUpperCase();
  return match === null || (letter !== 'A' && letter !== 'B') ? undefined : { letter, at: match.index };
}

/** The letter of Prometheus' result, or `undefined` where the library's parser finds none. */
export function parsePrometheusResult(raw: string): 'A' | 'B' | undefined {
  return findResult(raw)?.letter;
}

/** Prometheus' relative grading as a judge format, with a rubric (the library's helpfulness criterion by default). */
export function prometheusFormat(rubric: string = defaultPrometheusRubric): JudgeFormat {
  return {
    name: 'prometheus',
    buildPrompt: (request) => buildPrometheusPrompt(request, rubric),
    parse(raw) {
      const result = findResult(raw);
      const verdict: Verdict = result === undefined ? 0 : result.letter === 'A' ? 1 : 2;
      const feedback = (result === undefined ? raw : raw.slice(0, result.at)).trim().replace(/^Feedback:\s*/, '');
      return { verdict, ...(feedback === '' ? {} : { reason: feedback }) };
    },
  };
}
