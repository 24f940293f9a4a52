import { describe, expect, it } from 'vitest';
import { computeStandings } from '../../../../core/tournament/standings.js';
import { seededRandom } from '../../../../core/tournament/seeded-random.js';
import { planNextMatches } from '../../../../core/tournament/strategies.js';
import { tournamentConfigSchema } from '../../../../core/tournament/tournament-config.js';
import type { MatchRecord } from '../../../../core/tournament/types.js';

/** Plays a match over `n` instructions from Bradley–Terry logits (no ties), with its own random stream. */
function simulate(id: string, a: string, b: string, diff: number, n: number, random: () => number, stage = 'round-robin'): MatchRecord {
  const perInstruction = Array.from({ length: n }, (_, i) => ({
    instructionId: `i${i}`,
    scoreA: random() < 1 / (1 + Math.exp(-diff)) ? 1 : 0,
  }));
  const aWins = perInstruction.filter((p) => p.scoreA === 1).length;
  return { id, a, b, stage, block: null, aWins, bWins: n - aWins, ties: 0, perInstruction };
}

function roundRobin(strengths: Record<string, number>, n: number, seed: number): MatchRecord[] {
  const random = seededRandom(seed);
  const keys = Object.keys(strengths);
  const out: MatchRecord[] = [];
  for (let i = 0; i < keys.length; i++)
    for (let j = i + 1; j < keys.length; j++) {
      const a = keys[i] as string;
      const b = keys[j] as string;
      out.push(simulate(`rr-${a}-${b}`, a, b, (strengths[a] ?? 0) - (strengths[b] ?? 0), n, random));
    }
  return out;
}

describe('computeStandings', () => {
  const strengths = { a: 0.6, b: 0.2, c: -0.2, d: -0.6 };

  it('ranks by points and reports records, scores and ratings', () => {
    const matches = roundRobin(strengths, 200, 1);
    const { standings } = computeStandings({ entrants: Object.keys(strengths), matches, seed: 0, bootstrap: 100 });
    expect(standings.map((s) => s.trial)).toEqual(['a', 'b', 'c', 'd']);
    expect(standings.map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    const top = standings[0]!;
    expect(top).toMatchObject({ matches: 3, wins: 3, losses: 0, ties: 0, points: 3 });
    expect(top.instructionWins + top.instructionLosses).toBe(600);
    expect(top.score).toBeCloseTo(top.instructionWins / 600, 12);
    for (const s of standings) expect(s.ciLow).toBeLessThanOrEqual(s.rating);
    for (const s of standings) expect(s.ciHigh).toBeGreaterThanOrEqual(s.rating);
    expect(standings.reduce((sum, s) => sum + s.rating, 0) / 4).toBeCloseTo(1000, 6);
  });

  it('breaks level points by head-to-head before rating', () => {
    const rec = (id: string, a: string, b: string, aWins: number, bWins: number): MatchRecord => ({
      id, a, b, stage: 'round-robin', block: null, aWins, bWins, ties: 0,
      perInstruction: Array.from({ length: aWins + bWins }, (_, i) => ({ instructionId: `i${i}`, scoreA: i < aWins ? 1 : 0 })),
    });
    // x, y, z all have 1 point... x beats y narrowly, y beats z, z beats x; w loses everything.
    // Add: y crushes w, x barely beats w -> x and y on 2 points, x won their match, y has the better rating.
    const matches = [
      rec('1', 'x', 'y', 6, 4), rec('2', 'y', 'z', 9, 1), rec('3', 'z', 'x', 6, 4),
      rec('4', 'x', 'w', 6, 4), rec('5', 'y', 'w', 10, 0), rec('6', 'z', 'w', 4, 6),
    ];
    const { standings } = computeStandings({ entrants: ['w', 'x', 'y', 'z'], matches, seed: 0, bootstrap: 0 });
    const x = standings.find((s) => s.trial === 'x')!;
    const y = standings.find((s) => s.trial === 'y')!;
    expect(x.points).toBe(y.points);
    expect(y.rating).toBeGreaterThan(x.rating);
    expect(x.rank).toBeLessThan(y.rank);
  });

  it('gives the same intervals for the same seed and different ones for another', () => {
    const matches = roundRobin(strengths, 60, 2);
    const input = { entrants: Object.keys(strengths), matches, bootstrap: 200 };
    const one = computeStandings({ ...input, seed: 5 });
    expect(computeStandings({ ...input, seed: 5 })).toEqual(one);
    expect(computeStandings({ ...input, seed: 6 }).standings[0]?.ciLow).not.toBe(one.standings[0]?.ciLow);
  });

  it('covers the true rating about as often as the confidence level says', () => {
    let covered = 0;
    let total = 0;
    for (let rep = 0; rep < 30; rep++) {
      const matches = roundRobin(strengths, 80, 100 + rep);
      const { standings } = computeStandings({ entrants: Object.keys(strengths), matches, seed: rep, bootstrap: 150 });
      for (const s of standings) {
        const truth = 1000 + (strengths[s.trial as keyof typeof strengths] * 400) / Math.LN10;
        total++;
        if (s.ciLow <= truth && truth <= s.ciHigh) covered++;
      }
    }
    // 95% nominal; the percentile bootstrap with a weak prior runs a little under or over.
    expect(covered / total).toBeGreaterThan(0.85);
    expect(covered / total).toBeLessThanOrEqual(1);
  });

  it('reports excluded trials and emptied blocks without ranking them', () => {
    const matches = roundRobin({ a: 1, b: 0 }, 20, 3);
    const result = computeStandings({
      entrants: ['a', 'b', 'gone'],
      matches,
      seed: 0,
      bootstrap: 10,
      excluded: [{ trial: 'gone', reason: 'JobFailed' }, { trial: 'lost', reason: 'JobTimedOut' }],
    });
    expect(result.standings.map((s) => s.trial).sort()).toEqual(['a', 'b']);
    expect(result.excluded.map((e) => e.trial)).toEqual(['gone', 'lost']);
  });

  it('puts the strategy winner first: blocks finalists and knockout survivors lead', () => {
    const quality: Record<string, number> = { p: 3, q: 0, r: 0.5, s: 2.5, t: 0, u: 0 };
    const random = seededRandom(9);
    for (const [strategy, blocks] of [['blocks', [['p', 'q', 'r'], ['s', 't', 'u']]], ['knockout', [['p', 'q', 'r', 's', 't', 'u']]]] as const) {
      const config = tournamentConfigSchema.parse({ strategy, seed: 4 });
      const results: MatchRecord[] = [];
      let next = planNextMatches({ config, blocks: blocks.map((b) => [...b]), results });
      while (!next.done) {
        for (const p of next.pairings) {
          results.push(simulate(p.id, p.a, p.b, (quality[p.a] ?? 0) - (quality[p.b] ?? 0), 30, random, p.stage));
        }
        next = planNextMatches({ config, blocks: blocks.map((b) => [...b]), results });
      }
      const { standings } = computeStandings({ entrants: blocks.flat(), matches: results, seed: 4, bootstrap: 0 });
      expect(standings[0]?.trial).toBe(next.winner);
    }
  });

  it('orders an adaptive tournament by strength over every match, where points over the final would disagree', () => {
    // f1 edges f2 and f3 in the final, but f2 crushed f3 and everyone else on the way there.
    const m = (id: string, a: string, b: string, aWins: number, bWins: number, stage: string): MatchRecord => ({
      id, a, b, stage, block: null, aWins, bWins, ties: 0,
      perInstruction: [...Array.from({ length: aWins }, (_, i) => ({ instructionId: `w${i}`, scoreA: 1 })), ...Array.from({ length: bWins }, (_, i) => ({ instructionId: `l${i}`, scoreA: 0 }))],
    });
    const final = [m('final-f1-f2', 'f1', 'f2', 21, 19, 'final'), m('final-f1-f3', 'f1', 'f3', 21, 19, 'final'), m('final-f2-f3', 'f2', 'f3', 38, 2, 'final')];
    const levels = ['x1', 'x2', 'x3'].flatMap((x) => [m(`adaptive-1-f2-${x}`, 'f2', x, 15, 1, 'adaptive'), m(`adaptive-1-f1-${x}`, 'f1', x, 9, 7, 'adaptive')]);
    const entrants = ['f1', 'f2', 'f3', 'x1', 'x2', 'x3'];
    const adaptive = computeStandings({ entrants, matches: [...levels, ...final], seed: 0, bootstrap: 0 }).standings;
    expect(adaptive[0]).toMatchObject({ trial: 'f2', points: 4 });
    expect(adaptive.slice(0, 3).map((s) => s.trial)).toEqual(['f2', 'f1', 'f3']);
    // The finalists still lead the field, and each tier is in rating order.
    for (let i = 1; i < 3; i++) expect(adaptive[i]!.rating).toBeLessThanOrEqual(adaptive[i - 1]!.rating);
    // The same matches in a blocks tournament rank the final tier by points: f1 won both its final matches.
    const blocks = computeStandings({ entrants, matches: [...levels.map((x) => ({ ...x, stage: 'block' })), ...final], seed: 0, bootstrap: 0 }).standings;
    expect(blocks[0]?.trial).toBe('f1');
  });
});
