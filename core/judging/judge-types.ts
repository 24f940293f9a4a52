/**
 * Types shared by every judge backend, the judge activity and the tournament. Pure types only.
 */

/** A pairwise verdict: 1 = response 1 is better, 2 = response 2 is better, 0 = tie (PandaLM's labels). */
export type Verdict = 0 | 1 | 2;

/** How a judge produces its verdict. `verdict`: first-token probabilities only; `full`: generate reason and reference. */
export type JudgeMode = 'verdict' | 'full';

/** One question put to a judge: an instruction, its optional input, and two responses in this order. */
export interface JudgeRequest {
  readonly instruction: string;
  /** Empty string when the instruction has no input. */
  readonly input: string;
  readonly response1: string;
  readonly response2: string;
  /**
   * What the orchestrator knows about the two candidates. Only the `simulated` judge reads it (latent
   * qualities reported by a toy trainer); real judges see nothing but the texts.
   */
  readonly subjects?: {
    readonly quality1?: number;
    readonly quality2?: number;
    readonly instructionId?: string;
  };
}

/**
 * Probabilities of the first tokens of the format's three verdict labels (PandaLM's "1", "2", "Tie"),
 * renormalised over them; `tie` is 0 for a format without a tie label.
 */
export interface VerdictProbabilities {
  readonly one: number;
  readonly two: number;
  readonly tie: number;
}

/** One judge answer for one order of one instruction. */
export interface JudgeResult {
  readonly verdict: Verdict;
  /** Present for backends that can read first-token probabilities. */
  readonly probabilities?: VerdictProbabilities;
  /** The judge's explanation (PandaLM's `### Reason:`), in full mode. */
  readonly reason?: string;
  /** `### Reference:` text, in full mode. */
  readonly reference?: string;
  /** The two responses' scores, in full mode, for a format that scores (JudgeLM). */
  readonly scores?: readonly [number, number];
  /** The raw generated text, in full mode. */
  readonly raw?: string;
  /** Wall time of this judgment in ms. */
  readonly latencyMs: number;
  /** The prompt's length in tokens and how many were evaluated (the rest came from a cached prefix), where the backend counts them. */
  readonly promptTokens?: PromptTokenCount;
}

/** A prompt's length in tokens and the part of it a judge evaluated rather than reused from its cache. */
export interface PromptTokenCount {
  readonly total: number;
  readonly evaluated: number;
}
