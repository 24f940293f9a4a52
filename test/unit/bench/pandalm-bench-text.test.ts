import { describe, expect, it } from 'vitest';
import { benchRequests, blockRoundRobin, heldOutFrom, heldOutPieces } from '../../../bench/pandalm-bench-text.js';

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

  it('a block round robin: every ordered pair of trials once per instruction, distinct answers, in prefix order', () => {
    const judgments = blockRoundRobin(16, 2);
    expect(judgments).toHaveLength(2 * 16 * 15);
    expect(new Set(judgments.map((j) => `${j.instruction}/${j.first}/${j.second}`)).size).toBe(judgments.length);
    for (const instruction of [0, 1]) {
      const own = judgments.filter((j) => j.instruction === instruction);
      const answers = new Map(own.map((j) => [j.first, j.request.response1]));
      expect(new Set(answers.values()).size).toBe(16);
      // Trial t00's answer is the same whether it is shown first or second.
      expect(own.filter((j) => j.second === 't00').every((j) => j.request.response2 === answers.get('t00'))).toBe(true);
    }
    // Prefix order: by instruction, then the trial shown first.
    const keys = judgments.map((j) => `${j.instruction}/${j.first}`);
    expect(keys).toEqual([...keys].sort());
  });
});
