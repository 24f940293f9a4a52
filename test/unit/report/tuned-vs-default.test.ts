import { describe, expect, it } from 'vitest';
import type { ConfirmationRecord } from '../../../report/read-sweep.js';
import { confirmationVerdict, describeSecondOpinions, describeTunedVsDefault, shortTunedVsDefault, tunedVsDefault } from '../../../report/tuned-vs-default.js';

const trial = (key: string, baseModelId: string, isBaseline: boolean, status = 'done') => ({ key, baseModelId, isBaseline, status });
const confirmation = (over: Partial<ConfirmationRecord> = {}): ConfirmationRecord => ({
  baseModelId: 'm1', judge: 'tournament', judgeId: 'j', bestTrialKey: 'best0000aaaa', baselineTrialKey: 'base0000bbbb',
  wins: 7, ties: 3, losses: 2, winRate: 8.5 / 12, ciLow: 0.5, ciHigh: 0.88, agreed: null, shared: null, ...over,
});

describe('tunedVsDefault', () => {
  it('tells apart a confirmed comparison, a winning baseline, a failed one, a missing one and one still to come', () => {
    const entries = tunedVsDefault({
      trials: [
        trial('best0000aaaa', 'm1', false), trial('base0000bbbb', 'm1', true),
        trial('b2', 'm2', true), trial('x2', 'm2', false),
        trial('b3', 'm3', true, 'failed'), trial('x3', 'm3', false),
        trial('x4', 'm4', false),
        trial('b5', 'm5', true), trial('x5', 'm5', false),
      ],
      best: [{ baseModelId: 'm1', entrant: 'best0000aaaa' }, { baseModelId: 'm2', entrant: 'b2' }, { baseModelId: 'm3', entrant: 'x3' }, { baseModelId: 'm4', entrant: 'x4' }, { baseModelId: 'm5', entrant: 'x5' }],
      // Another judge's confirmation does not stand for the tournament judge's.
      confirmations: [confirmation(), confirmation({ baseModelId: 'm5', judge: 'gpt-4', bestTrialKey: 'x5', baselineTrialKey: 'b5' })],
    });
    expect(entries.map((e) => [e.baseModelId, e.state])).toEqual([
      ['m1', 'confirmed'], ['m2', 'baseline-best'], ['m3', 'baseline-failed'], ['m4', 'no-baseline'], ['m5', 'pending'],
    ]);
  });

  it("keeps second opinions beside the tournament judge's, with their agreement", () => {
    const gpt = confirmation({ judge: 'gpt-4o', judgeId: 'openai:gpt-4o', wins: 9, ties: 1, losses: 2, winRate: 9.5 / 12, ciLow: 0.58, ciHigh: 0.96, agreed: 10, shared: 12 });
    const [entry] = tunedVsDefault({ trials: [trial('best0000aaaa', 'm1', false), trial('base0000bbbb', 'm1', true)], best: [{ baseModelId: 'm1', entrant: 'best0000aaaa' }], confirmations: [gpt, confirmation()] });
    expect(entry).toMatchObject({ state: 'confirmed', confirmation: { judge: 'tournament' }, secondOpinions: [{ judge: 'gpt-4o' }] });
    expect(describeSecondOpinions(entry!)).toEqual([
      'Second opinion by gpt-4o: 9 wins, 1 tie, 2 losses; win rate 0.79 (95% CI 0.58–0.96): tuned better; agrees with the tournament judge on 10 of 12 instructions (83%)',
    ]);
  });

  it('ignores a confirmation of a trial that is no longer the best', () => {
    const [entry] = tunedVsDefault({ trials: [trial('best0000aaaa', 'm1', false), trial('base0000bbbb', 'm1', true), trial('new', 'm1', false)], best: [{ baseModelId: 'm1', entrant: 'new' }], confirmations: [confirmation()] });
    expect(entry!.state).toBe('pending');
  });
});

describe('describing the comparison', () => {
  it('calls the tuned model better only when the whole interval is above one half', () => {
    expect(confirmationVerdict({ ciLow: 0.51, ciHigh: 0.9 })).toBe('tuned better');
    expect(confirmationVerdict({ ciLow: 0.5, ciHigh: 0.9 })).toBe('no clear difference');
    expect(confirmationVerdict({ ciLow: 0.1, ciHigh: 0.49 })).toBe('baseline better');
  });

  it('writes the counts, the win rate and its interval', () => {
    const entry = { baseModelId: 'm1', state: 'confirmed' as const, confirmation: confirmation(), secondOpinions: [] };
    expect(describeTunedVsDefault(entry)).toBe(
      'Tuned vs default (m1): best best0000 vs baseline base0000 over 12 instructions: 7 wins, 3 ties, 2 losses; win rate 0.71 (95% CI 0.50–0.88): no clear difference',
    );
    expect(shortTunedVsDefault(entry)).toBe('W-L-T 7-2-3 vs baseline base0000, win rate 0.71 (0.50–0.88): no clear difference');
    expect(shortTunedVsDefault({ baseModelId: 'm2', state: 'baseline-best', baseline: 'b2' })).toBe('the baseline b2 won the tournament: no configuration beat the defaults.');
  });
});
