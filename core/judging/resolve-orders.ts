/**
 * Combines the verdicts of the two orders (original and swapped responses) into one verdict, PandaLM's
 * answer to position bias.
 */
import type { JudgeRequest, Verdict, VerdictProbabilities } from './judge-types.js';

/**
 * How to combine both orders. `paper`: any disagreement becomes a tie (the paper's rule). `first`: the
 * PandaLM maintainers' rule (both tie -> tie; the same raw label in both orders -> tie; otherwise the
 * first order's verdict). `probability`: average both orders' probabilities and take the most likely.
 */
export type OrderResolution = 'paper' | 'first' | 'probability';

/** Both orders' probabilities, each in its own prompt's labels. */
export interface OrderProbabilities {
  readonly first: VerdictProbabilities;
  readonly swapped: VerdictProbabilities;
}

/** Returns the same request with its two responses exchanged, for the second (swapped) order. */
export function swapResponses(request: JudgeRequest): JudgeRequest {
  return { ...request, response1: request.response2, response2: request.response1 };
}

/** Maps a verdict given on the swapped prompt back to the original order's labels. */
export function unswapVerdict(verdict: Verdict): Verdict {
  return verdict === 1 ? 2 : verdict === 2 ? 1 : 0;
}

/** Maps probabilities measured on the swapped prompt back to the original order's labels. */
export function unswapProbabilities(probabilities: VerdictProbabilities): VerdictProbabilities {
  return { one: probabilities.two, two: probabilities.one, tie: probabilities.tie };
}

/**
 * Returns the most likely verdict for a set of probabilities. Exact ties between labels go to Tie first,
 * then to response 1, so the result never depends on floating-point noise in an unstated order.
 */
export function mostLikelyVerdict(probabilities: VerdictProbabilities): Verdict {
  const { one, two, tie } = probabilities;
  if (tie >= one && tie >= two) return 0;
  return one >= two ? 1 : 2;
}

/**
 * Resolves the two orders' verdicts into one, in the original order's labels. `swapped` is the verdict on
 * the swapped prompt in that prompt's labels (so 1 means the original response 2 won). `probability`
 * needs both orders' probabilities and throws without them.
 */
export function resolveOrders(
  first: Verdict,
  swapped: Verdict,
  rule: OrderResolution,
  probabilities?: OrderProbabilities,
): Verdict {
  switch (rule) {
    case 'paper':
      return first === unswapVerdict(swapped) ? first : 0;
    case 'first':
      if (first === 0 && swapped === 0) return 0;
      // The same raw label in both orders means the judge followed the position, not the content.
      if (first === swapped) return 0;
      return first;
    case 'probability': {
      if (probabilities === undefined) {
        throw new Error("resolveOrders: the 'probability' rule needs both orders' probabilities");
      }
      const back = unswapProbabilities(probabilities.swapped);
      return mostLikelyVerdict({
        one: (probabilities.first.one + back.one) / 2,
        two: (probabilities.first.two + back.two) / 2,
        tie: (probabilities.first.tie + back.tie) / 2,
      });
    }
  }
}
