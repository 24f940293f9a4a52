/**
 * PandaLM's prompt, exactly as `build_pandalm_prompt` in WeOpenML/PandaLM
 * (`pandalm/utils/pandalm_inference.py`). Golden-tested against `prompt-fixtures.jsonl`.
 */
import type { JudgeRequest } from '../judging/judge-types.js';

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

/** Returns the same request with its two responses exchanged, for the second (swapped) order. */
export function swapResponses(request: JudgeRequest): JudgeRequest {
  return { ...request, response1: request.response2, response2: request.response1 };
}
