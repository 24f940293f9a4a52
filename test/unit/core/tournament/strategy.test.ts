import { describe, expect, it } from 'vitest';
import { planMatchCount, planNextMatches } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema, type TournamentConfig } from '../../../../core/tournament/tournament-config.js';
import type { MatchPairing, MatchSummary } from '../../../../core/tournament/types.js';

const cfg = (input: object) => tournamentConfigSchema.parse(input);

/** Plays a match between trials whose quality is their number: 20 instructions, the better wins more. */
function play(p: MatchPairing, quality: (key: string) => number): MatchSummary {
  const d = quality(p.a) - quality(p.b);
  const ties = 2;
  const aWins = Math.round(18 / (1 + Math.exp(-d / 4)));
  return { id: p.id, a: p.a, b: p.b, stage: p.stage, block: p.block, aWins, bWins: 18 - aWins, ties };
}

const numbered = (key: string) => Number(key.slice(1));

/** Drives a tournament to the end; returns every batch and the final answer. */
function runTournament(config: TournamentConfig, blocks: string[][], quality = numbered) {
  const results: MatchSummary[] = [];
  const batches: MatchPairing[][] = [];
  for (let guard = 0; guard < 100; guard++) {
    const next = planNextMatches({ config, blocks, results });
    if (next.done) {
      expect(next.pairings).toEqual([]);
      return { results, batches, winner: next.winner };
    }
    expect(next.pairings.length).toBeGreaterThan(0);
    for (const p of next.pairings) expect(results.some((r) => r.id === p.id)).toBe(false);
    batches.push(next.pairings);
    results.push(...next.pairings.map((p) => play(p, quality)));
  }
  throw new Error('tournament did not finish');
}

const keys = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

describe('round-robin', () => {
  it('plays every pair once in one batch and crowns the strongest', () => {
    const { batches, results, winner } = runTournament(cfg({ strategy: 'round-robin' }), [keys(6)]);
    expect(batches).toHaveLength(1);
    expect(results).toHaveLength(15);
    expect(new Set(results.map((r) => [r.a, r.b].sort().join()))).toHaveProperty('size', 15);
    expect(winner).toBe('t5');
  });

  it('returns only the pairings not yet played', () => {
    const config = cfg({ strategy: 'round-robin' });
    const first = planNextMatches({ config, blocks: [keys(4)], results: [] });
    const some = first.pairings.slice(0, 4).map((p) => play(p, numbered));
    const again = planNextMatches({ config, blocks: [keys(4)], results: some });
    expect(again.done).toBe(false);
    expect(again.pairings.map((p) => p.id)).toEqual(first.pairings.slice(4).map((p) => p.id));
  });
});

describe('blocks (paper)', () => {
  const blocks = [keys(16).slice(0, 4), keys(16).slice(4, 8), keys(16).slice(8, 12), keys(16).slice(12)];

  it('runs all block round robins at once, then a cross-block final', () => {
    const config = cfg({ blocks: 4 });
    const { batches, results, winner } = runTournament(config, blocks);
    expect(batches).toHaveLength(2);
    expect(batches[0]).toHaveLength(24);
    expect(batches[0]?.every((p) => p.stage === 'block' && p.block !== null && p.round === 1)).toBe(true);
    expect(batches[1]?.map((p) => [p.a, p.b])).toEqual([
      ['t3', 't7'], ['t3', 't11'], ['t3', 't15'], ['t7', 't11'], ['t7', 't15'], ['t11', 't15'],
    ]);
    expect(batches[1]?.every((p) => p.stage === 'final' && p.block === null && p.round === 2)).toBe(true);
    expect(results).toHaveLength(planMatchCount([4, 4, 4, 4], config).total);
    expect(winner).toBe('t15');
  });

  it('advances the top `advance` per block and skips same-block final pairs', () => {
    const config = cfg({ blocks: 4, advance: 2 });
    const { batches, winner } = runTournament(config, blocks);
    const final = batches[1] ?? [];
    expect(final).toHaveLength(planMatchCount([4, 4, 4, 4], config).byStage.final ?? -1);
    expect(final.some((p) => p.a === 't14' && p.b === 't15')).toBe(false);
    expect(new Set(final.flatMap((p) => [p.a, p.b]))).toEqual(new Set(['t2', 't3', 't6', 't7', 't10', 't11', 't14', 't15']));
    expect(winner).toBe('t15');
  });

  it('lets a weak block winner lose the final even with more block points', () => {
    // t0 sweeps a weak block (2 points); t9 ties its equal rival t10 (1.5 points) and goes through on
    // input order, then beats t0 in the final.
    const quality = (k: string) => ({ t0: 10, t1: 0, t2: 0, t8: 9, t9: 12, t10: 12 })[k] ?? 0;
    const { results, winner } = runTournament(cfg({ blocks: 2 }), [['t0', 't1', 't2'], ['t8', 't9', 't10']], quality);
    expect(results.filter((r) => r.stage === 'final').map((r) => [r.a, r.b])).toEqual([['t0', 't9']]);
    expect(winner).toBe('t9');
  });

  it('has no final with one block and finishes at once without entrants', () => {
    const { batches, winner } = runTournament(cfg({ blocks: 1 }), [keys(3)]);
    expect(batches).toHaveLength(1);
    expect(winner).toBe('t2');
    expect(planNextMatches({ config: cfg({}), blocks: [], results: [] })).toEqual({ pairings: [], done: true, winner: null });
  });

  it('reports a leader while the blocks are still running', () => {
    const config = cfg({ blocks: 2 });
    const first = planNextMatches({ config, blocks: [keys(4)], results: [] });
    expect(first.winner).toBeNull();
    const partial = first.pairings.slice(0, 3).map((p) => play(p, numbered));
    expect(planNextMatches({ config, blocks: [keys(4)], results: partial }).winner).not.toBeNull();
  });
});

describe('knockout', () => {
  it.each([2, 5, 8, 13])('plays n - 1 matches round by round with %i entrants', (n) => {
    const config = cfg({ strategy: 'knockout', seed: 7 });
    const { batches, results, winner } = runTournament(config, [keys(n)]);
    expect(results).toHaveLength(n - 1);
    expect(results).toHaveLength(planMatchCount([n], config).total);
    expect(batches).toHaveLength(Math.ceil(Math.log2(n)));
    batches.forEach((batch, i) => expect(batch.every((p) => p.round === i + 1 && p.stage === 'knockout')).toBe(true));
    // Nobody plays twice in a round.
    for (const batch of batches) expect(new Set(batch.flatMap((p) => [p.a, p.b])).size).toBe(batch.length * 2);
    expect(winner).toBe(`t${n - 1}`);
  });

  it('does not depend on the order entrants are listed', () => {
    const config = cfg({ strategy: 'knockout', seed: 3 });
    const a = runTournament(config, [keys(6)]).results.map((r) => r.id);
    const b = runTournament(config, [[...keys(6)].reverse()]).results.map((r) => r.id);
    expect(b).toEqual(a);
  });

  it('sends exact ties through a seeded coin, the same every replay', () => {
    const config = cfg({ strategy: 'knockout', seed: 1 });
    const flat = () => 0;
    const first = runTournament(config, [keys(8)], flat);
    expect(runTournament(config, [keys(8)], flat).winner).toBe(first.winner);
    const winners = new Set([0, 1, 2, 3, 4, 5].map((seed) => runTournament(cfg({ strategy: 'knockout', seed }), [keys(8)], flat).winner));
    expect(winners.size).toBeGreaterThan(1);
  });
});

describe('swiss', () => {
  it('pairs everyone once per round without rematches and finds the strongest', () => {
    const config = cfg({ strategy: 'swiss', rounds: 3 });
    const { batches, results, winner } = runTournament(config, [keys(8)]);
    expect(batches).toHaveLength(3);
    for (const batch of batches) expect(new Set(batch.flatMap((p) => [p.a, p.b])).size).toBe(8);
    expect(new Set(results.map((r) => [r.a, r.b].sort().join())).size).toBe(results.length);
    expect(results).toHaveLength(planMatchCount([8], config).total);
    expect(winner).toBe('t7');
  });

  it('gives an odd field one bye per round, never twice to the same entrant', () => {
    const config = cfg({ strategy: 'swiss' });
    const { batches } = runTournament(config, [keys(5)]);
    expect(batches).toHaveLength(3);
    const byes = batches.map((batch) => keys(5).find((k) => !batch.some((p) => p.a === k || p.b === k)));
    expect(byes.every((b) => b !== undefined)).toBe(true);
    expect(new Set(byes).size).toBe(3);
  });
});
