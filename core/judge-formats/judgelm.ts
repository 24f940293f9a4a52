/**
 * The JudgeLM format (baaivision/JudgeLM): the pairwise prompt without a reference answer, as
 * `judgelm/llm_judge/gen_model_judgement.py` builds it from `conv_judge_pair` in `judgelm/llm_judge/common.py`
 * (system line, template, `### Response:`; no chat wrapper), and its answer: a first line with the two
 * assistants' scores from 1 to 10, then an explanation. The verdict follows the scores as
 * `translate_score_to_win_list` does with T = 0: the higher score wins, equal scores tie, and an answer
 * whose first line is not two numbers ("8, 7" included, as `parse_score` splits on single spaces) ties.
 */
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';
import { instructionText } from './instruction-text.js';
import type { JudgeFormat } from './judge-format.js';

const system = 'You are a helpful and precise assistant for checking the quality of the answer.';
const task =
  'We would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\n' +
  'Please rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\n' +
  'Please first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. ' +
  'In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.';

/** JudgeLM's prompt for one ordered pair. */
export function buildJudgeLMPrompt(request: JudgeRequest): string {
  return (
    `${system}\n[Question]\n${instructionText(request)}\n\n` +
    `[The Start of Assistant 1's Answer]\n${request.response1}\n\n[The End of Assistant 1's Answer]\n\n` +
    `[The Start of Assistant 2's Answer]\n${request.response2}\n\n[The End of Assistant 2's Answer]\n\n` +
    `[System]\n${task}\n\n### Response:`
  );
}

// Python's float() on one field: surrounding whitespace allowed, decimal or exponent notation, nan and inf.
const pythonFloat = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:nan|inf|infinity)$/i;

function parseNumber(field: string): number | undefined {
  const text = field.trim();
  if (!pythonFloat.test(text)) return undefined;
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower.endsWith('nan')) return Number.NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

/** The two scores of JudgeLM's first line, as `parse_score`; `undefined` where it would return [-1, -1]. */
export function parseJudgeLMScores(raw: string): [number, number] | undefined {
  const fields = (raw.split('\n')[0] ?? '').replaceAll(',', ' ').split(' ');
  if (fields.length !== 2) return undefined;
  const [first, second] = fields.map(parseNumber);
  return first === undefined || second === undefined ? undefined : [first, second];
}

/** JudgeLM as a judge format: no labels (the answer starts with scores), so full mode only. */
export const judgeLMFormat: JudgeFormat = {
  name: 'judgelm',
  buildPrompt: buildJudgeLMPrompt,
  parse(raw) {
    const scores = parseJudgeLMScores(raw);
    // NaN compares false both ways: a tie, as in JudgeLM.
    const verdict: Verdict = scores === undefined ? 0 : scores[0] - scores[1] > 0 ? 1 : scores[1] - scores[0] > 0 ? 2 : 0;
    const explanation = raw.split('\n').slice(1).join('\n').trim();
    return { verdict, ...(scores === undefined ? {} : { scores }), ...(explanation === '' ? {} : { reason: explanation }) };
  },
};
