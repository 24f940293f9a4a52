import { describe, expect, it } from 'vitest';
import { fitBradleyTerry, toRating } from '../../../../core/tournament/fit-bradley-terry.js';

describe('fitBradleyTerry', () => {
  it('matches a hand-computed three-player case with ties as half wins', () => {
    // A-B: A wins 1, ties 2 (A scores 2 of 3); B-C: B 2 of 3; A-C: A 4 of 5 (3 wins, 2 ties).
    // Strengths (4, 2, 1) satisfy the likelihood equations W_i = sum_j n_ij p_i / (p_i + p_j):
    // A: 3*4/6 + 5*4/5 = 6 = 2 + 4; B: 3*2/6 + 3*2/3 = 3 = 1 + 2; C: 3/3 + 5/5 = 2 = 1 + 1.
    const logits = fitBradleyTerry(
      ['A', 'B', 'C'],
      [
        { a: 'A', b: 'B', scoreA: 2, games: 3 },
        { a: 'B', b: 'C', scoreA: 2, games: 3 },
        { a: 'C', b: 'A', scoreA: 1, games: 5 },
      ],
      { prior: 0 },
    );
    expect(logits.get('A')).toBeCloseTo(Math.LN2, 6);
    expect(logits.get('B')).toBeCloseTo(0, 6);
    expect(logits.get('C')).toBeCloseTo(-Math.LN2, 6);
    expect(toRating(logits.get('A') ?? 0)).toBeCloseTo(1000 + 400 * Math.log10(2), 4);
  });

  it('matches the two-player closed form: odds = score ratio', () => {
    const logits = fitBradleyTerry(['x', 'y'], [{ a: 'x', b: 'y', scoreA: 3, games: 4 }], { prior: 0 });
    expect((logits.get('x') ?? 0) - (logits.get('y') ?? 0)).toBeCloseTo(Math.log(3), 6);
  });

  it('keeps perfect records finite with the default prior and orders them', () => {
    const logits = fitBradleyTerry(['w', 'l', 'm'], [
      { a: 'w', b: 'l', scoreA: 10, games: 10 },
      { a: 'w', b: 'm', scoreA: 10, games: 10 },
      { a: 'm', b: 'l', scoreA: 6, games: 10 },
    ]);
    const [w, m, l] = ['w', 'm', 'l'].map((k) => logits.get(k) ?? NaN);
    expect(Number.isFinite(w) && Number.isFinite(l)).toBe(true);
    expect(w).toBeGreaterThan(m as number);
    expect(m).toBeGreaterThan(l as number);
    expect((w as number) + (m as number) + (l as number)).toBeCloseTo(0, 9);
  });

  it('gives an entrant without games the average rating', () => {
    const logits = fitBradleyTerry(['a', 'b', 'idle'], [{ a: 'a', b: 'b', scoreA: 5, games: 10 }]);
    expect(logits.get('idle')).toBeCloseTo(0, 6);
  });
});
