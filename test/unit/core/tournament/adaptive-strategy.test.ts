import { describe, expect, it } from 'vitest';
import { adaptiveLevelShapes, planAdaptiveSchedule } from '../../../../core/tournament/adaptive-schedule.js';
import { planAdaptive, type AdaptiveConfig } from '../../../../core/tournament/adaptive-strategy.js';
import type { MatchPairing } from '../../../../core/tournament/types.js';
import { hashSeed, seededRandom, seededShuffle } from '../../../../core/tournament/seeded-random.js';
import { computeStandings } from '../../../../core/tournament/standings.js';
import { planNextMatches } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema, type TournamentConfig } from '../../../../core/tournament/tournament-config.js';
import type { MatchRecord } from '../../../../core/tournament/types.js';

const cfg = (input: object = {}) => tournamentConfigSchema.parse({ strategy: 'adaptive', bootstrap: 0, ...input }) as AdaptiveConfig;
const keys = (n: number) => Array.from({ length: n }, (_, i) => `t${String(i).padStart(2, '0')}`);

/**
 * Plays a match on 40 instructions (fewer where the pairing caps them): A wins instruction i when a
 * seeded uniform falls below the Bradley–Terry chance from the qualities (logits), so results are
 * noisy but favour the better trial.
 */
function play(p: MatchPairing, quality: (key: string) => number, seed: number): MatchRecord {
  const random = seededRandom(hashSeed('play', seed, p.a, p.b));
  const chance = 1 / (1 + Math.exp(-(quality(p.a) - quality(p.b))));
  const count = Math.min(40, p.earlyStop?.maxInstructions ?? 40);
  const perInstruction = Array.from({ length: count }, (_, i) => ({ instructionId: `i${i}`, scoreA: random() < chance ? 1 : 0 }));
  const aWins = perInstruction.filter((x) => x.scoreA === 1).length;
  return { id: p.id, a: p.a, b: p.b, stage: p.stage, block: p.block, aWins, bWins: count - aWins, ties: 0, perInstruction };
}

function runAdaptive(config: TournamentConfig, entrants: string[], quality: (key: string) => number, seed = 0) {
  const results: MatchRecord[] = [];
  const batches: MatchPairing[][] = [];
  for (let guard = 0; guard < 200; guard++) {
    const next = planNextMatches({ config, blocks: [entrants], results });
    if (next.done) return { results, batches, winner: next.winner };
    expect(next.pairings.length).toBeGreaterThan(0);
    batches.push(next.pairings);
    results.push(...next.pairings.map((p) => play(p, quality, seed)));
  }
  throw new Error('tournament did not finish');
}

const byIndex = (key: string) => Number(key.slice(1)) / 10;

describe('adaptive strategy', () => {
  it('finds a clearly best trial of 40 with a fraction of the round robin, never repeating a pair', () => {
    const entrants = keys(40);
    const { results, winner } = runAdaptive(cfg(), entrants, (k) => byIndex(k) * 2);
    expect(winner).toBe('t39');
    expect(results.length).toBeLessThanOrEqual(planAdaptiveSchedule(40).levelMatches + planAdaptiveSchedule(40).finalMatches);
    expect(results.length).toBeLessThan(780 / 5);
    const pairsPlayed = results.map((r) => [r.a, r.b].sort().join('/'));
    expect(new Set(pairsPlayed).size).toBe(pairsPlayed.length);
  });

  it('plays each entrant at most once per round and asks the judge to stop early', () => {
    const { batches } = runAdaptive(cfg(), keys(16), byIndex);
    expect(batches[batches.length - 1]?.every((p) => p.stage === 'final')).toBe(true);
    expect(batches[0]).toHaveLength(8);
    for (const batch of batches) {
      const sides = batch.filter((p) => p.stage === 'adaptive').flatMap((p) => [p.a, p.b]);
      expect(new Set(sides).size).toBe(sides.length);
      for (const p of batch) expect(p.earlyStop?.margin).toBeGreaterThan(0);
    }
  });

  it('drops the weaker two fifths after each level', () => {
    const entrants = keys(32);
    const { results } = runAdaptive(cfg(), entrants, (k) => byIndex(k) * 3);
    const schedule = planAdaptiveSchedule(32);
    const firstLevelRounds = schedule.levels[0]?.rounds ?? 0;
    const later = results.filter((r) => r.stage === 'adaptive' && Number(r.id.split('-')[1]) > firstLevelRounds);
    expect(later.length).toBeGreaterThan(0);
    const laterPlayers = new Set(later.flatMap((r) => [r.a, r.b]));
    expect(laterPlayers.size).toBeLessThanOrEqual(adaptiveLevelShapes.growing.survivors(32));
    // The bottom quarter is far below the cut line.
    for (const k of entrants.slice(0, 8)) expect(laterPlayers.has(k)).toBe(false);
  });

  it('caps the matches of each level at its instruction budget and lets the final judge every instruction', () => {
    const { batches } = runAdaptive(cfg(), keys(40), byIndex);
    const schedule = planAdaptiveSchedule(40);
    // Rounds of level i are numbered after the rounds of the levels before it.
    const capOfRound: (number | undefined)[] = schedule.levels.flatMap((level) => Array.from({ length: level.rounds }, () => level.instructions));
    const pairings = batches.flat();
    for (const p of pairings.filter((x) => x.stage === 'adaptive')) expect(p.earlyStop?.maxInstructions).toBe(capOfRound[p.round - 1]);
    expect(new Set(pairings.filter((x) => x.stage === 'adaptive').map((p) => p.earlyStop?.maxInstructions))).toEqual(new Set([16, 28, 56, 112]));
    const final = pairings.filter((x) => x.stage === 'final');
    expect(final.length).toBeGreaterThan(0);
    for (const p of final) expect(p.earlyStop?.maxInstructions).toBeUndefined();
  });

  it('plans a recorded config without `schedule` (a workflow input from before it) with the halving schedule', () => {
    const { schedule: _dropped, ...recorded } = cfg();
    const { batches } = runAdaptive(recorded as AdaptiveConfig, keys(40), byIndex);
    const levels = batches.flat().filter((p) => p.stage === 'adaptive');
    expect(levels.every((p) => p.earlyStop?.maxInstructions === undefined)).toBe(true);
    // Halving: two rounds among all 40, then the other 20 are out.
    const third = new Set(levels.filter((p) => p.round === 3).flatMap((p) => [p.a, p.b]));
    expect(third.size).toBeLessThanOrEqual(20);
    expect(cfg().schedule).toBe('growing');
  });

  it('respects any budget', () => {
    for (const budget of [1, 3, 7, 12, 20, 35]) {
      const { results, winner } = runAdaptive(cfg({ budget }), keys(12), byIndex);
      expect(results.length).toBeLessThanOrEqual(budget);
      expect(winner).not.toBeNull();
    }
  });

  it('plans the same matches whatever order the results arrive in', () => {
    const entrants = keys(20);
    const { results } = runAdaptive(cfg({ seed: 3 }), entrants, byIndex);
    const partial = results.slice(0, 25);
    const shuffled = seededShuffle(partial, seededRandom(9));
    const a = planAdaptive({ config: cfg({ seed: 3 }), blocks: [entrants], results: partial });
    const b = planAdaptive({ config: cfg({ seed: 3 }), blocks: [entrants], results: shuffled });
    expect(b).toEqual(a);
  });

  it('depends on the seed only for the first pairing, not on the order trials are listed', () => {
    const entrants = keys(10);
    const forward = planAdaptive({ config: cfg({ seed: 1 }), blocks: [entrants], results: [] });
    const reversed = planAdaptive({ config: cfg({ seed: 1 }), blocks: [[...entrants].reverse()], results: [] });
    const otherSeed = planAdaptive({ config: cfg({ seed: 2 }), blocks: [entrants], results: [] });
    expect(reversed.pairings).toEqual(forward.pairings);
    expect(otherSeed.pairings.map((p) => p.id)).not.toEqual(forward.pairings.map((p) => p.id));
  });

  it('handles tiny fields', () => {
    expect(planAdaptive({ config: cfg(), blocks: [], results: [] })).toEqual({ pairings: [], done: true, winner: null });
    expect(planAdaptive({ config: cfg(), blocks: [['t00']], results: [] })).toMatchObject({ pairings: [], done: true });
    const two = runAdaptive(cfg(), ['t00', 't01'], (k) => (k === 't00' ? 3 : 0));
    expect(two.results).toHaveLength(1);
    expect(two.results[0]?.stage).toBe('final');
    expect(two.winner).toBe('t00');
  });

  it('names the same winner as the standings, which record the best trial', () => {
    for (let seed = 0; seed < 12; seed++) {
      const entrants = keys(24);
      const quality = new Map(entrants.map((k) => [k, seededRandom(hashSeed('q', seed, k))() * 1.5]));
      for (const budget of [undefined, 20, 9]) {
        const config = cfg(budget === undefined ? { seed } : { seed, budget });
        const { results, winner } = runAdaptive(config, entrants, (k) => quality.get(k) ?? 0, seed);
        const standings = computeStandings({ entrants, matches: results, seed, bootstrap: 0 });
        expect(standings.standings[0]?.trial).toBe(winner);
      }
    }
  });
});
