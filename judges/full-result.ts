import type { JudgeFormat } from '../core/judge-formats/judge-format.js';
import type { JudgeResult } from '../core/judging/judge-types.js';

/** A full-mode judge result: the format's parse of the generated answer, with the answer itself. */
export function fullResult(format: JudgeFormat, raw: string, latencyMs: number): JudgeResult {
  return { ...format.parse(raw), raw, latencyMs };
}
