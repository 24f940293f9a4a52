/**
 * The PandaLM format: its prompt, exactly as `build_pandalm_prompt` in WeOpenML/PandaLM
 * (`pandalm/utils/pandalm_inference.py`), and its answer `{1|2|Tie}\n\n### Reason: ..\n\n### Reference: ..`,
 * parsed as `parse_pandalm_response` does. Golden-tested against `sweeps/data/pandalm-prompt-fixtures.jsonl`
 * and `pandalm-parse-fixtures.jsonl`.
 */
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';
import type { JudgeFormat } from './judge-format.js';

/** Tokens PandaLM removes from every response before building the prompt. */
export const pandaLMSpecialTokens: readonly string[] = [
  '<unk>',
  '<pad>',
  '<s>',
  '</s>',
  '[PAD]',
  '<|endoftext|>',
  '[UNK]',
  '[CLS]',
  '[MASK]',
  '<|startofpiece|>',
  '<|endofpiece|>',
  '[gMASK]',
  '[sMASK]',
];

/**
 * Cleans one response the way PandaLM does: trims it, removes its special tokens, and trims again (a token
 * removed at an edge can leave whitespace behind).
 */
export function cleanResponse(text: string): string {
  let cleaned = text.trim();
  for (const token of pandaLMSpecialTokens) cleaned = cleaned.split(token).join('');
  return cleaned.trim();
}

/** The end of every PandaLM prompt: the judge's answer starts right after it with its verdict label. */
export const pandaLMEvaluationHeader = '### Evaluation:\n';

/**
 * Builds PandaLM's evaluation prompt for a request: the instruction, the input section when the input is
 * not empty, and both responses (cleaned) in the request's order, ending with `### Evaluation:\n`.
 */
export function buildPandaLMPrompt(request: JudgeRequest): string {
  const response1 = cleanResponse(request.response1);
  const response2 = cleanResponse(request.response2);
  if (request.input.trim() === '') {
    return (
      'Below are two responses for a given task. The task is defined by the Instruction. Evaluate the ' +
      'responses and generate a reference answer for the task.\n\n' +
      `### Instruction:\n${request.instruction}\n\n` +
      `### Response 1:\n${response1}\n\n### Response 2:\n${response2}\n\n${pandaLMEvaluationHeader}`
    );
  }
  return (
    'Below are two responses for a given task. The task is defined by the Instruction with an Input that ' +
    'provides further context. Evaluate the responses and generate a reference answer for the task.\n\n' +
    `### Instruction:\n${request.instruction}\n\n### Input:\n${request.input}\n\n` +
    `### Response 1:\n${response1}\n\n### Response 2:\n${response2}\n\n${pandaLMEvaluationHeader}`
  );
}

/** A parsed PandaLM answer. */
export interface PandaLMOutput {
  /** 1 or 2 when the first line is exactly that digit; 0 (tie) for anything else, as PandaLM does. */
  readonly verdict: Verdict;
  /** The `### Reason:` text, trimmed; null when the section is missing. */
  readonly reason: string | null;
  /** The `### Reference:` text, trimmed; null when the section is missing. */
  readonly reference: string | null;
}

const reasonHeader = '### Reason:';
const referenceHeader = '### Reference:';

/**
 * Parses PandaLM's raw generated text into its verdict, reason and reference. The verdict comes from the
 * first line after trimming: "1" -> 1, "2" -> 2, anything else (including "Tie") -> 0.
 */
export function parsePandaLMOutput(raw: string): PandaLMOutput {
  const firstLine = raw.trim().split('\n')[0] ?? '';
  const verdict: Verdict = firstLine === '1' ? 1 : firstLine === '2' ? 2 : 0;
  const reasonAt = raw.indexOf(reasonHeader);
  const referenceAt = raw.indexOf(referenceHeader, reasonAt === -1 ? 0 : reasonAt);
  let reason: string | null = null;
  if (reasonAt !== -1) {
    const end = referenceAt === -1 ? raw.length : referenceAt;
    reason = raw.slice(reasonAt + reasonHeader.length, end).trim();
  }
  const reference = referenceAt === -1 ? null : raw.slice(referenceAt + referenceHeader.length).trim();
  return { verdict, reason, reference };
}

/** PandaLM as a judge format: the answer starts with "1", "2" or "Tie" right after `### Evaluation:\n`. */
export const pandaLMFormat: JudgeFormat = {
  name: 'pandalm',
  buildPrompt: buildPandaLMPrompt,
  labels: { one: '1', two: '2', tie: 'Tie' },
  parse(raw) {
    const { verdict, reason, reference } = parsePandaLMOutput(raw);
    return { verdict, ...(reason === null ? {} : { reason }), ...(reference === null ? {} : { reference }) };
  },
};
