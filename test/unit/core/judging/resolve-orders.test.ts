import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../../../core/judging/judge-types.js';
import { mostLikelyVerdict, resolveOrders, unswapVerdict } from '../../../../core/judging/resolve-orders.js';

const verdicts: Verdict[] = [0, 1, 2];
const pairs = verdicts.flatMap((first) => verdicts.map((swapped) => [first, swapped] as const));

describe('resolveOrders', () => {
  it.each(pairs)("paper: first %i, swapped %i -> agreement or tie", (first, swapped) => {
    const expected = first === unswapVerdict(swapped) ? first : 0;
    expect(resolveOrders(first, swapped, 'paper')).toBe(expected);
  });

  it('paper: a consistent win survives, a position-following judge ties', () => {
    // Response 2 wins in the original order and, swapped, the same text (now response 1) wins again.
    expect(resolveOrders(2, 1, 'paper')).toBe(2);
    expect(resolveOrders(1, 1, 'paper')).toBe(0);
    expect(resolveOrders(1, 0, 'paper')).toBe(0);
  });

  it('first: the maintainers rule', () => {
    expect(resolveOrders(0, 0, 'first')).toBe(0);
    expect(resolveOrders(1, 1, 'first')).toBe(0);
    expect(resolveOrders(2, 2, 'first')).toBe(0);
    expect(resolveOrders(1, 2, 'first')).toBe(1);
    expect(resolveOrders(1, 0, 'first')).toBe(1);
    expect(resolveOrders(0, 1, 'first')).toBe(0);
    expect(resolveOrders(2, 0, 'first')).toBe(2);
  });

  it('probability: averages both orders after unswapping', () => {
    const first = { one: 0.5, two: 0.3, tie: 0.2 };
    // On the swapped prompt "2" is the original response 1.
    const swapped = { one: 0.6, two: 0.1, tie: 0.3 };
    // original one = (0.5 + 0.1) / 2 = 0.3, two = (0.3 + 0.6) / 2 = 0.45, tie = 0.25
    expect(resolveOrders(1, 1, 'probability', { first, swapped })).toBe(2);
    expect(resolveOrders(1, 2, 'probability', { first, swapped: { one: 0.1, two: 0.7, tie: 0.2 } })).toBe(1);
  });

  it('probability: requires probabilities', () => {
    expect(() => resolveOrders(1, 2, 'probability')).toThrow(/probabilities/);
  });
});

describe('mostLikelyVerdict', () => {
  it('picks the largest and breaks exact ties toward Tie', () => {
    expect(mostLikelyVerdict({ one: 0.2, two: 0.7, tie: 0.1 })).toBe(2);
    expect(mostLikelyVerdict({ one: 0.4, two: 0.2, tie: 0.4 })).toBe(0);
  });
});
