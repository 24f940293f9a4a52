import type { JudgeRequest } from '../judging/judge-types.js';

/**
 * The task as one text, for formats whose prompt has a single question field (JudgeLM's question,
 * Prometheus' instruction "might include an Input inside it", Auto-J's query): the instruction, then the
 * input on the next line when there is one.
 */
export function instructionText(request: JudgeRequest): string {
  return request.input.trim() === '' ? request.instruction : `${request.instruction}\n${request.input}`;
}
