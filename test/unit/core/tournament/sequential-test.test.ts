import { describe, expect, it } from 'vitest';
import { SimulatedField, instructionsPerCheck } from '../../../../bench/selection/simulate-tournament.js';
import { defaultEarlyStopMargin, shouldStopMatch } from '../../../../core/tournament/sequential-test.js';

describe('shouldStopMatch', () => {
  it('stops exactly when one side leads by the margin, either way', () => {
    expect(shouldStopMatch({ aWins: 10, bWins: 0, ties: 0 }, { margin: 10 })).toBe(true);
    expect(shouldStopMatch({ aWins: 0, bWins: 10, ties: 0 }, { margin: 10 })).toBe(true);
    expect(shouldStopMatch({ aWins: 12, bWins: 3, ties: 0 }, { margin: 10 })).toBe(false);
    expect(shouldStopMatch({ aWins: defaultEarlyStopMargin - 1, bWins: 0, ties: 0 })).toBe(false);
    expect(shouldStopMatch({ aWins: defaultEarlyStopMargin, bWins: 0, ties: 0 })).toBe(true);
  });

  it('ignores ties (they say nothing about who is better)', () => {
    expect(shouldStopMatch({ aWins: 5, bWins: 0, ties: 100 }, { margin: 6 })).toBe(false);
    expect(shouldStopMatch({ aWins: 6, bWins: 0, ties: 100 }, { margin: 6 })).toBe(true);
  });

  it('waits for minInstructions (ties included)', () => {
    expect(shouldStopMatch({ aWins: 6, bWins: 0, ties: 1 }, { margin: 6, minInstructions: 8 })).toBe(false);
    expect(shouldStopMatch({ aWins: 6, bWins: 0, ties: 2 }, { margin: 6, minInstructions: 8 })).toBe(true);
  });

  it('stops at maxInstructions (ties included) whatever the lead', () => {
    expect(shouldStopMatch({ aWins: 7, bWins: 7, ties: 1 }, { maxInstructions: 16 })).toBe(false);
    expect(shouldStopMatch({ aWins: 7, bWins: 7, ties: 2 }, { maxInstructions: 16 })).toBe(true);
    expect(shouldStopMatch({ aWins: 0, bWins: 0, ties: 16 }, { maxInstructions: 16, minInstructions: 20 })).toBe(true);
  });

  it('never stops on a margin below one', () => {
    expect(shouldStopMatch({ aWins: 0, bWins: 0, ties: 3 }, { margin: 0 })).toBe(false);
  });

  // Sequential stopping on the PandaLM-calibrated simulated judge: rarely wrong, cheap when lopsided.
  function stopping(gap: number, matches: number) {
    const instructions = Array.from({ length: 170 }, (_, i) => `i${i}`);
    let wrong = 0;
    let stopped = 0;
    let judged = 0;
    for (let seed = 0; seed < matches; seed++) {
      const scores = new SimulatedField([gap, 0], seed, instructions).scoresA('t00', 't01', 170);
      let aWins = 0;
      let bWins = 0;
      let ties = 0;
      let k = 0;
      while (k < 170) {
        const s = scores[k++];
        if (s === 1) aWins++;
        else if (s === 0) bWins++;
        else ties++;
        if (k % instructionsPerCheck === 0 && k < 170 && shouldStopMatch({ aWins, bWins, ties })) {
          stopped++;
          if (bWins > aWins) wrong++;
          break;
        }
      }
      judged += k;
    }
    return { wrong: wrong / matches, stopped: stopped / matches, judged: judged / matches };
  }

  it('with the default margin, nearly equal trials seldom stop and a 0.1-logit gap seldom stops the wrong way', () => {
    expect(stopping(0.0001, 200).stopped).toBeLessThan(0.15);
    expect(stopping(0.1, 200).wrong).toBeLessThan(0.03);
  });

  it('ends lopsided matches early', () => {
    const { stopped, judged, wrong } = stopping(1, 100);
    expect(stopped).toBeGreaterThan(0.95);
    expect(wrong).toBe(0);
    expect(judged).toBeLessThan(100);
  });
});
