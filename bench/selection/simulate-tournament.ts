import { simulateVerdict } from '../../core/judging/simulated-verdicts.js';
import { resolveOrders } from '../../core/judging/resolve-orders.js';
import { shouldStopMatch } from '../../core/tournament/sequential-test.js';
import { computeStandings } from '../../core/tournament/standings.js';
import { assignBlocks, planNextMatches } from '../../core/tournament/strategies.js';
import type { TournamentConfig } from '../../core/tournament/tournament-config.js';
import type { MatchPairing, MatchRecord } from '../../core/tournament/types.js';

/** Instructions a judge activity resolves between two early-stopping checks (its 8-call write batch, both orders). */
export const instructionsPerCheck = 4;

/**
 * A simulated judging run: the trials' latent qualities and the seeded simulated judge. Each pair's
 * per-instruction outcomes are computed once and shared by every strategy run on this field, so the
 * strategies are compared on the same judgments (common random numbers), as they would be with one
 * deterministic judge.
 */
export class SimulatedField {
  readonly keys: readonly string[];
  private readonly quality: ReadonlyMap<string, number>;
  private readonly outcomes = new Map<string, number[]>();

  /** `keys` name the entrants (defaults to `t00`, `t01`, ...), one per quality. */
  constructor(
    qualities: readonly number[],
    private readonly judgeSeed: number,
    private readonly instructions: readonly string[],
    keys?: readonly string[],
  ) {
    this.keys = keys ?? qualities.map((_, i) => `t${String(i).padStart(2, '0')}`);
    this.quality = new Map(this.keys.map((k, i) => [k, qualities[i] as number]));
  }

  /** The trial with the highest quality (the first such key on an exact tie). */
  trueBest(): string {
    return this.keys.reduce((best, k) => ((this.quality.get(k) ?? 0) > (this.quality.get(best) ?? 0) ? k : best));
  }

  /** A trial's latent quality (its Bradley–Terry logit per instruction). */
  qualityOf(key: string): number {
    return this.quality.get(key) ?? 0;
  }

  /** 1-based rank of a trial by quality: 1 + the trials strictly better. */
  rankOf(key: string): number {
    const q = this.quality.get(key) ?? 0;
    return 1 + this.keys.filter((k) => (this.quality.get(k) ?? 0) > q).length;
  }

  /**
   * Returns A's resolved scores (1, 0.5 or 0) on the first `count` instructions, both orders judged
   * and resolved by the paper's rule; the returned array may be longer (it is the pair's cache).
   */
  scoresA(a: string, b: string, count: number): readonly number[] {
    const key = `${a}/${b}`;
    let list = this.outcomes.get(key);
    if (list === undefined) this.outcomes.set(key, (list = []));
    const qualityA = this.quality.get(a) ?? 0;
    const qualityB = this.quality.get(b) ?? 0;
    const seed = this.judgeSeed;
    while (list.length < count) {
      const instructionId = this.instructions[list.length] as string;
      const first = simulateVerdict({ qualityA, qualityB, instructionId, seed, order: 1 });
      const swapped = simulateVerdict({ qualityA, qualityB, instructionId, seed, order: 2 });
      const verdict = resolveOrders(first, swapped, 'paper');
      list.push(verdict === 1 ? 1 : verdict === 2 ? 0 : 0.5);
    }
    return list;
  }
}

/** What one strategy did on one field. */
export interface TournamentOutcome {
  /** The strategy's winner. */
  readonly winner: string | null;
  /** First place of the standings computed from the same matches (what the system records as best). */
  readonly standingsWinner: string | null;
  /** The standings' order, best first. */
  readonly order: readonly string[];
  /** Every match played. */
  readonly results: readonly MatchRecord[];
  readonly matches: number;
  /** Judge calls made (two per instruction judged, early stopping included). */
  readonly judgeCalls: number;
  /** Matches that stopped before the last instruction. */
  readonly stoppedEarly: number;
}

/**
 * Runs a tournament of `entrants` (every key of the field by default) to the end with the pure strategy
 * code, judging each match as `judgeSimulatedMatch` does.
 */
export function simulateTournament(field: SimulatedField, config: TournamentConfig, instructionCount: number, entrants: readonly string[] = field.keys): TournamentOutcome {
  const blocks = assignBlocks(entrants.map((key) => ({ key, params: {} })), config);
  const results: MatchRecord[] = [];
  let judgeCalls = 0;
  let stoppedEarly = 0;
  for (;;) {
    const next = planNextMatches({ config, blocks, results });
    if (next.done || next.pairings.length === 0) {
      const standings = computeStandings({ entrants, matches: results, seed: config.seed, bootstrap: 0 });
      const order = standings.standings.map((s) => s.trial);
      return { winner: next.winner, standingsWinner: order[0] ?? null, order, results, matches: results.length, judgeCalls, stoppedEarly };
    }
    for (const pairing of next.pairings) {
      const judged = judgeSimulatedMatch(field, pairing, instructionCount);
      judgeCalls += judged.judgeCalls;
      if (judged.stoppedEarly) stoppedEarly++;
      results.push(judged.record);
    }
  }
}

/** One simulated match: its record, the judge calls it took, and whether it stopped before the last instruction. */
export interface SimulatedMatch {
  readonly record: MatchRecord;
  readonly judgeCalls: number;
  readonly stoppedEarly: boolean;
}

/**
 * Judges one match like the judge activity does: instructions in order, both orders, and (when the
 * pairing asks for it) a sequential test every `instructionsPerCheck` instructions.
 */
export function judgeSimulatedMatch(field: SimulatedField, pairing: MatchPairing, instructionCount: number): SimulatedMatch {
  let aWins = 0;
  let bWins = 0;
  let ties = 0;
  // Judge in checkpoint-sized steps, as the activity does, so a stopped match costs what it would there.
  let judged = 0;
  let scores: readonly number[] = [];
  let stoppedEarly = false;
  while (judged < instructionCount) {
    const upTo = pairing.earlyStop === undefined ? instructionCount : Math.min(instructionCount, judged + instructionsPerCheck);
    scores = field.scoresA(pairing.a, pairing.b, upTo);
    for (; judged < upTo; judged++) {
      const s = scores[judged];
      if (s === 1) aWins++;
      else if (s === 0) bWins++;
      else ties++;
    }
    if (pairing.earlyStop !== undefined && judged < instructionCount && shouldStopMatch({ aWins, bWins, ties }, pairing.earlyStop)) {
      stoppedEarly = true;
      break;
    }
  }
  const perInstruction = scores.slice(0, judged).map((scoreA, i) => ({ instructionId: `i${i}`, scoreA }));
  return {
    record: { id: pairing.id, a: pairing.a, b: pairing.b, stage: pairing.stage, block: pairing.block, aWins, bWins, ties, perInstruction },
    judgeCalls: 2 * perInstruction.length,
    stoppedEarly,
  };
}
