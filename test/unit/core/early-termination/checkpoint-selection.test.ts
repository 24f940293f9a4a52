import { describe, expect, it } from 'vitest';
import { preferLastCheckpoints } from '../../../../core/early-termination/checkpoint-selection.js';
import { defaultEarlyStopMargin } from '../../../../core/tournament/sequential-test.js';

const match = (a: string, b: string, aWins: number, bWins: number) => ({ a, b, aWins, bWins });

describe('preferLastCheckpoints', () => {
  it("moves an earlier checkpoint behind its trial's last one unless it beat it by the margin", () => {
    const order = ['t1@1', 't2@2', 't1@3', 't2@1'];
    // t1@1 beat t1@3, but not clearly: it goes behind t1@3.
    const close = [match('t1@1', 't1@3', 60, 50)];
    expect(preferLastCheckpoints(order, close)).toEqual(['t2@2', 't1@3', 't1@1', 't2@1']);
    // Clearly: it keeps its place (the match may be recorded either way round).
    const clear = [match('t1@3', 't1@1', 40, 40 + defaultEarlyStopMargin)];
    expect(preferLastCheckpoints(order, clear)).toEqual(order);
  });

  it('leaves plain trial keys alone, and checkpoints whose last checkpoint is not ranked', () => {
    expect(preferLastCheckpoints(['b', 'a', 'c'], [])).toEqual(['b', 'a', 'c']);
    expect(preferLastCheckpoints(['t1@1', 't2@3'], [])).toEqual(['t1@1', 't2@3']);
  });

  it('keeps several held checkpoints of one trial in their order, behind it', () => {
    expect(preferLastCheckpoints(['t1@0.5', 't1@1.5', 't2@2', 't1@4'], [])).toEqual(['t2@2', 't1@4', 't1@0.5', 't1@1.5']);
  });
});
