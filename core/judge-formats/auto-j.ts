/**
 * The Auto-J pairwise format (GAIR-NLP/auto-j, `codes/usage/constants_prompt.py`): the `pairwise_tie`
 * protocol, wrapped as `build_autoj_input` does (`[INST] … [/INST]`, no system message), and its answer,
 * which ends with "So, the final decision is Response 1 / Response 2 / Tie", parsed as
 * `extract_pariwise_result` of `codes/usage/example.py`: the text after the last `final decision is `,
 * lowercased, starting with `response 1`, `response 2` or `tie`. An answer without a decision (-1 there,
 * where the leaderboard script stops) is a tie here.
 */
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';
import { instructionText } from './instruction-text.js';
import type { JudgeFormat } from './judge-format.js';

/** Auto-J's pairwise prompt for one ordered pair. */
export function buildAutoJPrompt(request: JudgeRequest): string {
  const message =
    "You are assessing two submitted responses on a given user's query and judging which response is better or they are tied. Here is the data:\n\n" +
    `[BEGIN DATA]\n***\n[Query]: ${instructionText(request)}\n***\n[Response 1]: ${request.response1}\n***\n[Response 2]: ${request.response2}\n***\n[END DATA]\n\n` +
    'Here are the instructions to assess and compare the two responses:\n\n' +
    '1. Pinpoint the key factors to distinguish these two responses.\n' +
    '2. Conclude your comparison by providing a final decision on which response is better, or they are tied. ' +
    'Begin your final decision statement with "So, the final decision is Response 1 / Response 2 / Tie". ' +
    "Ensure that your decision aligns coherently with the comprehensive evaluation and comparison you've provided.";
  return `[INST] ${message} [/INST]`;
}

const marker = 'final decision is ';

/** Auto-J's decision, or `undefined` where `extract_pariwise_result` gives -1. */
export function parseAutoJDecision(raw: string): Verdict | undefined {
  const text = raw.trim();
  const at = text.lastIndexOf(marker);
  if (at === -1) return undefined;
  const rest = text.slice(at + marker.length).trim().toLowerCase();
  if (rest.startsWith('response 1')) return 1;
  if (rest.startsWith('response 2')) return 2;
  if (rest.startsWith('tie')) return 0;
  return undefined;
}

/** Auto-J as a judge format: it reasons first and decides last, so full mode only. */
export const autoJFormat: JudgeFormat = {
  name: 'auto-j',
  buildPrompt: buildAutoJPrompt,
  parse(raw) {
    const reason = raw.trim();
    return { verdict: parseAutoJDecision(raw) ?? 0, ...(reason === '' ? {} : { reason }) };
  },
};
