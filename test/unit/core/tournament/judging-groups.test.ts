import { describe, expect, it } from 'vitest';
import { judgingGroups, maxMatchesPerJudgingGroup } from '../../../../core/tournament/judging-groups.js';
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
