/**
 * The one parser for PandaLM's output format (`{1|2|Tie}\n\n### Reason: ..\n\n### Reference: ..`), as
 * `parse_pandalm_response` in WeOpenML/PandaLM. Golden-tested against `parse-fixtures.jsonl`.
 */
import type { Verdict } from '../judging/judge-types.js';

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
