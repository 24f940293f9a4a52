import { describe, expect, it } from 'vitest';
import { judgingGroups, judgingPosition, maxMatchesPerJudgingGroup } from '../../../../core/tournament/judging-groups.js';
import type { MatchPairing } from '../../../../core/tournament/types.js';

const pairing = (id: string, stage: string, block: number | null, earlyStop?: MatchPairing['earlyStop']): MatchPairing => ({
  id,
  a: `${id}a`,
  b: `${id}b`,
  stage,
  block,
  round: 1,
  ...(earlyStop === undefined ? {} : { earlyStop }),
});

describe('judgingGroups', () => {
  it('groups pairings by stage and block, in order, and keeps early-stop pairings alone', () => {
    const pairings = [
      pairing('b0-1', 'block', 0),
      pairing('b1-1', 'block', 1),
      pairing('b0-2', 'block', 0),
      pairing('ad-1', 'adaptive', null, { margin: 2 }),
      pairing('ad-2', 'adaptive', null, { margin: 2 }),
      pairing('f-1', 'final', null),
      pairing('f-2', 'final', null),
    ];
    expect(judgingGroups(pairings).map((group) => group.map((p) => p.id))).toEqual([['b0-1', 'b0-2'], ['b1-1'], ['ad-1'], ['ad-2'], ['f-1', 'f-2']]);
  });

  it(`splits a stage larger than ${maxMatchesPerJudgingGroup} matches`, () => {
    const pairings = Array.from({ length: maxMatchesPerJudgingGroup * 2 + 1 }, (_, i) => pairing(`rr-${i}`, 'round-robin', null));
    const groups = judgingGroups(pairings);
    expect(groups.map((g) => g.length)).toEqual([maxMatchesPerJudgingGroup, maxMatchesPerJudgingGroup, 1]);
    expect(groups.flat()).toEqual(pairings);
  });
});

describe('judgingPosition', () => {
  it('starts a capped match at an offset hashed from its id and covers every instruction once', () => {
    const capped = (id: string) => ({ id, earlyStop: { margin: 24, maxInstructions: 16 } });
    const positions = (id: string) => Array.from({ length: 170 }, (_, i) => judgingPosition(capped(id), i, 170));
    for (const id of ['adaptive-1-t00-t01', 'adaptive-1-t02-t03']) expect([...positions(id)].sort((x, y) => x - y)).toEqual(Array.from({ length: 170 }, (_, i) => i));
    const firstJudged = (id: string) => positions(id).indexOf(0);
    // Different matches start at different instructions, and the same match always at the same one.
    const starts = new Set(Array.from({ length: 20 }, (_, k) => firstJudged(`adaptive-1-t${k}-x`)));
    expect(starts.size).toBeGreaterThan(10);
    expect(firstJudged('adaptive-1-t00-t01')).toBe(firstJudged('adaptive-1-t00-t01'));
  });

  it('keeps the evaluation order for matches that judge every instruction', () => {
    for (const pairing of [{ id: 'block-0-a-b' }, { id: 'adaptive-9-a-b', earlyStop: { margin: 24 } }]) {
      expect(Array.from({ length: 5 }, (_, i) => judgingPosition(pairing, i, 5))).toEqual([0, 1, 2, 3, 4]);
    }
  });
});
