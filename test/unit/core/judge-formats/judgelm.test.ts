import { describe, expect, it } from 'vitest';
import { buildJudgeLMPrompt, judgeLMFormat, parseJudgeLMScores } from '../../../../core/judge-formats/judgelm.js';
import type { Verdict } from '../../../../core/judging/judge-types.js';

/**
 * JudgeLM's full model input without a reference, byte-exact, as upstream renders it: `conv.system + '\n' +
 * prompt_template.format(...) + conv.appendix` from baaivision/JudgeLM `judgelm/llm_judge/common.py` and
 * `judgelm/llm_judge/gen_model_judgement.py` @ 00c45169de47641f62223f57cc15b608bc3cc69d.
 */
const renderedNoReference = "You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\n{question}\n\n[The Start of Assistant 1's Answer]\n{answer_1}\n\n[The End of Assistant 1's Answer]\n\n[The Start of Assistant 2's Answer]\n{answer_2}\n\n[The End of Assistant 2's Answer]\n\n[System]\nWe would like to request your feedback on the performance of two AI assistants in response to the user question displayed above.\nPlease rate the helpfulness, relevance, accuracy, level of details of their responses. Each assistant receives an overall score on a scale of 1 to 10, where a higher score indicates better overall performance.\nPlease first output a single line containing only two values indicating the scores for Assistant 1 and 2, respectively. The two scores are separated by a space. In the subsequent line, please provide a comprehensive explanation of your evaluation, avoiding any potential bias and ensuring that the order in which the responses were presented does not affect your judgment.\n\n### Response:";

/** Fills the upstream template's `{question}`, `{answer_1}` and `{answer_2}` as Python's `str.format` would. */
function fill(question: string, answer1: string, answer2: string): string {
  return renderedNoReference.split('{question}').join(question).split('{answer_1}').join(answer1).split('{answer_2}').join(answer2);
}

// baaivision/JudgeLM, judgelm/llm_judge/common.py (conv_judge_pair) and gen_model_judgement.py, @ 00c45169de47641f62223f57cc15b608bc3cc69d
describe('buildJudgeLMPrompt (baaivision/JudgeLM judgelm/llm_judge/gen_model_judgement.py @ 00c45169de47641f62223f57cc15b608bc3cc69d)', () => {
  it('equals the rendered upstream input without a reference', () => {
    const request = { instruction: 'What is the capital of France?', input: '', response1: 'Paris.', response2: 'The capital of France is Lyon.' };
    expect(buildJudgeLMPrompt(request)).toBe(fill('What is the capital of France?', 'Paris.', 'The capital of France is Lyon.'));
  });

  it('renders the README golden pair (assets/judge_pairs_v1.0.png) byte for byte', () => {
    const question =
      'If Rosslyn Mountain Boys had produced two more albums, how many albums would they have produced?Rosslyn Mountain Boys was a band that backed up a number of nationally known singers, and released two albums of their own.';
    const request = { instruction: question, input: '', response1: '4', response2: 'Rosslyn Mountain Boys produced' };
    expect(buildJudgeLMPrompt(request)).toBe(fill(question, '4', 'Rosslyn Mountain Boys produced'));
  });

  it('puts the input on the line after the instruction in the question', () => {
    const request = { instruction: 'Summarize the text.', input: 'The cat sat on the mat.', response1: 'A cat sat.', response2: 'Mats.' };
    expect(buildJudgeLMPrompt(request)).toBe(fill('Summarize the text.\nThe cat sat on the mat.', 'A cat sat.', 'Mats.'));
  });

  it('treats a whitespace-only input as no input', () => {
    const request = { instruction: 'Say hi.', input: '  \n', response1: 'hi', response2: 'hello' };
    expect(buildJudgeLMPrompt(request)).toBe(fill('Say hi.', 'hi', 'hello'));
  });

  it('shows the responses in the request order (Assistant 1 is response1)', () => {
    expect(buildJudgeLMPrompt({ instruction: 'Q', input: '', response1: 'first', response2: 'second' })).toBe(fill('Q', 'first', 'second'));
    expect(buildJudgeLMPrompt({ instruction: 'Q', input: '', response1: 'second', response2: 'first' })).toBe(fill('Q', 'second', 'first'));
  });

  it('starts with the system line and ends at "### Response:" with no trailing space or chat wrapper', () => {
    const prompt = buildJudgeLMPrompt({ instruction: 'Q', input: '', response1: 'a', response2: 'b' });
    expect(prompt.startsWith('You are a helpful and precise assistant for checking the quality of the answer.\n[Question]\nQ\n\n')).toBe(true);
    expect(prompt.endsWith('does not affect your judgment.\n\n### Response:')).toBe(true);
    expect(prompt).not.toContain('[Reference Answer]');
    expect(prompt).not.toContain('USER:');
  });

  it('is the format built by judgeLMFormat', () => {
    const request = { instruction: 'Q', input: 'I', response1: 'a', response2: 'b' };
    expect(judgeLMFormat.buildPrompt(request)).toBe(fill('Q\nI', 'a', 'b'));
  });
});

interface ScoreRow {
  /** The generated text. */
  readonly raw: string;
  /** What `parse_score` returns; `undefined` for its `[-1, -1]` failure. */
  readonly scores: readonly [number, number] | undefined;
  /** `translate_score_to_win_list` with T = 0: 1, -1 or 0. */
  readonly win: 1 | -1 | 0;
}

/** Outputs and what upstream's `parse_score` and `translate_score_to_win_list` make of them (run on each with the upstream functions). */
const scoreRows: readonly ScoreRow[] = [
  { raw: '8 7\nAssistant 1 ...', scores: [8, 7], win: 1 },
  { raw: '7 9', scores: [7, 9], win: -1 },
  { raw: '10 10\nboth', scores: [10, 10], win: 0 },
  { raw: '8.5 7.0\nx', scores: [8.5, 7], win: 1 },
  { raw: '8,7', scores: [8, 7], win: 1 },
  { raw: '8, 7', scores: undefined, win: 0 },
  { raw: ' 8 7', scores: undefined, win: 0 },
  { raw: '8 7 ', scores: undefined, win: 0 },
  { raw: '8  7', scores: undefined, win: 0 },
  { raw: '8\t7', scores: undefined, win: 0 },
  { raw: '8 7\r\nx', scores: [8, 7], win: 1 },
  { raw: '\n8 7', scores: undefined, win: 0 },
  { raw: '', scores: undefined, win: 0 },
  { raw: 'Assistant 1: 8 Assistant 2: 7', scores: undefined, win: 0 },
  { raw: '8 seven', scores: undefined, win: 0 },
  { raw: '9 8</s>', scores: undefined, win: 0 },
  { raw: '8 7.', scores: [8, 7], win: 1 },
  { raw: '1e1 2', scores: [10, 2], win: 1 },
  { raw: 'nan 7', scores: [Number.NaN, 7], win: 0 },
  // A real parse of two -1s (upstream returns [-1.0, -1.0], not its failure value): equal scores, a tie.
  { raw: '-1 -1', scores: [-1, -1], win: 0 },
];

const verdictOfWin = (win: 1 | -1 | 0): Verdict => (win === 1 ? 1 : win === -1 ? 2 : 0);

// baaivision/JudgeLM, judgelm/llm_judge/common.py (parse_score, translate_score_to_win_list, lines 10-37) @ 00c45169de47641f62223f57cc15b608bc3cc69d
describe('parseJudgeLMScores and judgeLMFormat.parse (baaivision/JudgeLM judgelm/llm_judge/common.py @ 00c45169de47641f62223f57cc15b608bc3cc69d)', () => {
  it('covers every case', () => {
    expect(scoreRows).toHaveLength(20);
  });

  it.each(scoreRows.map((row) => [JSON.stringify(row.raw), row] as const))('parse_score(%s)', (_label, row) => {
    const scores = parseJudgeLMScores(row.raw);
    if (row.scores === undefined) expect(scores).toBeUndefined();
    else expect(scores).toEqual(row.scores);
  });

  it.each(scoreRows.map((row) => [JSON.stringify(row.raw), row] as const))('verdict of %s follows the win list (T = 0)', (_label, row) => {
    const parsed = judgeLMFormat.parse(row.raw);
    expect(parsed.verdict).toBe(verdictOfWin(row.win));
    if (row.scores === undefined) expect(parsed.scores).toBeUndefined();
    else expect(parsed.scores).toEqual(row.scores);
  });

  it('keeps NaN scores and calls them a tie, as NaN comparisons are false in Python', () => {
    const parsed = judgeLMFormat.parse('nan 7');
    expect(parsed.verdict).toBe(0);
    expect(Number.isNaN(parsed.scores?.[0])).toBe(true);
    expect(parsed.scores?.[1]).toBe(7);
  });

  it('takes the explanation after the score line as the reason, and has none without one', () => {
    expect(judgeLMFormat.parse('8 7\nAssistant 1 ...')).toEqual({ verdict: 1, scores: [8, 7], reason: 'Assistant 1 ...' });
    expect(judgeLMFormat.parse('7 9')).toEqual({ verdict: 2, scores: [7, 9] });
    expect(judgeLMFormat.parse('8, 7\nclose call')).toEqual({ verdict: 0, reason: 'close call' });
  });

  it('has no labels: its answer starts with scores, so it is judged in full mode only', () => {
    expect(judgeLMFormat.labels).toBeUndefined();
    expect(judgeLMFormat.name).toBe('judgelm');
  });
});

// baaivision/JudgeLM, README figure assets/judge_pairs_v1.0.png (raw first line reconstructed from the documented format) @ 00c45169de47641f62223f57cc15b608bc3cc69d
describe('JudgeLM README golden example (baaivision/JudgeLM assets/judge_pairs_v1.0.png @ 00c45169de47641f62223f57cc15b608bc3cc69d)', () => {
  const explanation =
    "Assistant 2's response is incomplete and does not provide any information or answer to the question, hence the low score. On the other hand, Assistant 1's response is accurate and directly answers the question. The Rosslyn Mountain Boys produced two albums, and if they had produced two more, they would have produced a total of four albums. Therefore, Assistant 1 receives a perfect score.";
  const raw = `10 1\n${explanation}`;

  it('parses to [10, 1]', () => {
    expect(parseJudgeLMScores(raw)).toEqual([10, 1]);
  });

  it('gives verdict 1 (Answer 1 better) with the explanation as the reason', () => {
    expect(judgeLMFormat.parse(raw)).toEqual({ verdict: 1, scores: [10, 1], reason: explanation });
  });
});
