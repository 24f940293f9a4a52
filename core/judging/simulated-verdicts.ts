import { hashSeed, seededRandom } from '../tournament/seeded-random.js';
import type { Verdict } from './judge-types.js';

/** PandaLM-7B's rate of inconsistent verdicts when the two responses are swapped (paper: about 17%). */
export const pandaLMFlipRate = 0.17;

/** PandaLM-7B's share of Tie verdicts (about 10%). */
export const defaultSimulatedTieRate = 0.1;

/**
 * Default chance that a simulated verdict says "response 1" whatever the responses. With tie rate T,
 * a bias b makes the two orders of an instruction disagree with probability b x (1 + T) (see
 * `simulateVerdict`), so b = 0.17 / 1.1 reproduces PandaLM's flip rate at its tie rate.
 */
export const defaultSimulatedPositionBias = pandaLMFlipRate / (1 + defaultSimulatedTieRate);

/** Input of `simulateVerdict`. */
export interface SimulateVerdictInput {
  /** Latent quality of candidate A, in logits (Bradley–Terry strength). */
  readonly qualityA: number;
  /** Latent quality of candidate B, in logits. */
  readonly qualityB: number;
  readonly instructionId: string;
  /** 1: A is response 1; 2: B is response 1 (the swapped order). */
  readonly order: 1 | 2;
  readonly seed: number;
  /**
   * Chance in [0, 1] that the verdict is "response 1" regardless of the responses. Defaults to
   * `defaultSimulatedPositionBias` (about 0.155).
   */
  readonly positionBias?: number;
  /** Share of Tie verdicts in [0, 1 - positionBias]. Defaults to `0.1`. */
  readonly tieRate?: number;
}

/**
 * Draws the verdict of a simulated judge, in the shown order's labels (1: response 1 is better).
 *
 * Each instruction has one underlying outcome, shared by both orders: a tie with probability
 * tieRate / (1 - positionBias), otherwise a win for A with the Bradley–Terry probability
 * 1 / (1 + exp(-(qualityA - qualityB))). Each order then, independently, says "1" with probability
 * `positionBias` and reports the outcome otherwise. So ties make up `tieRate` of the verdicts, and
 * the orders disagree on positionBias x (1 + tieRate) of the instructions.
 *
 * The result is a pure function of the seed, the instruction and the qualities shown as response 1
 * and response 2: `order` only says which candidate is shown first, so a judge that sees positions
 * alone gives the same verdicts.
 */
export function simulateVerdict(input: SimulateVerdictInput): Verdict {
  const { instructionId, seed, positionBias = defaultSimulatedPositionBias, tieRate = defaultSimulatedTieRate } = input;
  const quality1 = input.order === 1 ? input.qualityA : input.qualityB;
  const quality2 = input.order === 1 ? input.qualityB : input.qualityA;
  const bias = clamp(positionBias);
  const trueTieRate = clamp(bias < 1 ? tieRate / (1 - bias) : 0);

  // The shared outcome is drawn for the pair with the lower quality first, so both orders see it.
  const [low, high] = quality1 <= quality2 ? [quality1, quality2] : [quality2, quality1];
  const shared = seededRandom(hashSeed('simulated-outcome', seed, instructionId, low, high))();
  const perOrder = seededRandom(hashSeed('simulated-order', seed, instructionId, quality1, quality2))();

  if (perOrder < bias) return 1;
  if (shared < trueTieRate) return 0;
  const u = (shared - trueTieRate) / (1 - trueTieRate);
  if (low === high) {
    // Equal qualities: no candidate to favour, so the outcome is a coin between the positions.
    return perOrder < bias + (1 - bias) / 2 ? 1 : 2;
  }
  const highWins = u < 1 / (1 + Math.exp(-(high - low)));
  const winnerIsResponse1 = highWins === (quality1 === high);
  return winnerIsResponse1 ? 1 : 2;
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, x));
}
