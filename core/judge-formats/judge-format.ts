/**
 * A judge format: how one ordered pair of responses becomes the judge's prompt, which labels its answer
 * starts with (so a backend can read the verdict from the first token's probabilities), and how a
 * generated answer parses into a verdict. Pure: the backends in `judges/` own the model, the sequences,
 * truncation and probabilities, and serve every format. Adding a format is one file in this folder.
 */
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';

/** The text each verdict's label starts with, as the judge writes it first in its answer. */
export interface VerdictLabels {
  readonly one: string;
  readonly two: string;
  /** Absent for a format that cannot say "tie" (Prometheus' A/B). */
  readonly tie?: string;
}

/** A generated answer, parsed. */
export interface ParsedJudgeAnswer {
  /** 1: the first response shown is better, 2: the second, 0: tie (also what an unparseable answer gives). */
  readonly verdict: Verdict;
  /** The judge's explanation, where the format has one. */
  readonly reason?: string;
  /** A reference answer, where the format asks for one (PandaLM). */
  readonly reference?: string;
  /** The two responses' scores, where the format's verdict comes from scores (JudgeLM). */
  readonly scores?: readonly [number, number];
}

/** One judge format. */
export interface JudgeFormat {
  /** The format's name in judge configs (`format: pandalm`) and in stored judge ids. */
  readonly name: string;
  /** The whole prompt for the request's order, ending where the judge's answer begins. */
  buildPrompt(request: JudgeRequest): string;
  /**
   * The labels the answer starts with, for verdict mode (first-token probabilities). Absent when the
   * answer reasons first and decides at its end (Prometheus, Auto-J) or scores (JudgeLM): such a format
   * is judged in full mode only.
   */
  readonly labels?: VerdictLabels;
  /** Parses a generated answer; never throws (an answer without a decision is a tie). */
  parse(raw: string): ParsedJudgeAnswer;
}

/** The format cannot be judged in verdict mode (it has no labels to read): what to do instead. */
export function verdictModeProblem(format: JudgeFormat): string | undefined {
  return format.labels === undefined
    ? `the ${format.name} format's answer does not start with a verdict label, so its verdict cannot be read from first-token probabilities; judge it in full mode (the sweep's judge.mode: full, or --full)`
    : undefined;
}
