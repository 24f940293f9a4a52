import { describe, expect, it } from 'vitest';
import { benchRequests, heldOutFrom, heldOutPieces } from '../../../bench/pandalm-bench-text.js';

describe('judge benchmark text', () => {
  it('learns merges in order: each piece joins two earlier pieces or single characters', () => {
    const pieces = heldOutPieces(60);
    expect(pieces).toHaveLength(60);
    expect(new Set(pieces).size).toBe(60);
    const known = new Set<string>();
    for (const piece of pieces) {
      const characters = [...piece];
      const splits = characters.slice(1).map((_, i) => [characters.slice(0, i + 1).join(''), characters.slice(i + 1).join('')] as const);
      const reachable = (part: string): boolean => [...part].length === 1 || known.has(part);
      expect(splits.some(([left, right]) => reachable(left) && reachable(right)), piece).toBe(true);
      // Pieces never cross a newline or a space inside: a space only starts a word, as `▁`.
      expect(piece).not.toMatch(/[\n ]|.▁/u);
      known.add(piece);
    }
    expect(heldOutPieces(60)).toEqual(pieces);
  });

  it('measures only items before the held-out ones', () => {
    expect(benchRequests(3)).toHaveLength(3);
    expect(() => benchRequests(heldOutFrom + 1)).toThrow(/At most 100 prompts/);
  });
});
