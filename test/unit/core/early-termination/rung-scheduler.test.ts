import { describe, expect, it } from 'vitest';
import { countEarlyTermination } from '../../../../core/early-termination/plan-early-termination.js';
import { planRungs, type RungFacts, type RungRules, type RungTrial } from '../../../../core/early-termination/rung-scheduler.js';
import { checkpointKey, parseEntrantKey } from '../../../../core/ids/checkpoint-keys.js';
import type { MatchPairing, MatchSummary } from '../../../../core/tournament/types.js';

const rules: RungRules = { ladder: { epochs: [1, 3], eta: 3 }, matches: 3, instructions: 16 };

/** Nine trials of 2 to 4 epochs; t8 is the best, t0 the worst. */
const nine: RungTrial[] = Array.from({ length: 9 }, (_, i) => ({ key: `t${i}`, epochs: 2 + (i % 3) }));
const quality = (entrant: string) => Number(parseEntrantKey(entrant).trialKey.slice(1));

function facts(partial: Partial<RungFacts> = {}): RungFacts {
  return { answered: [], targets: new Map(), failed: new Set(), results: [], judging: [], ...partial };
}

/** A judge that always prefers the better trial, on every instruction. */
function judged(pairing: MatchPairing): MatchSummary {
  const aBetter = quality(pairing.a) > quality(pairing.b);
  return { id: pairing.id, a: pairing.a, b: pairing.b, stage: pairing.stage, block: null, aWins: aBetter ? 16 : 0, bWins: aBetter ? 0 : 16, ties: 0 };
}

/** Plays a sweep to the end with `slots` trials training at once, finishing them in the order started. */
function drive(trials: readonly RungTrial[], options: { slots: number; failing?: ReadonlySet<string> }) {
  const answered: string[] = [];
  const targets = new Map<string, number>();
  const failed = new Set<string>();
  const results: MatchSummary[] = [];
  const running: { trial: string; epoch: number }[] = [];
  const trained = new Map<string, number>();
  let maxPromotedFromFirst = 0;
  for (let step = 0; step < 10_000; step++) {
    const decisions = planRungs(trials, rules, facts({ answered, targets, failed, results }));
    results.push(...decisions.pairings.map(judged));
    maxPromotedFromFirst = Math.max(maxPromotedFromFirst, [...targets].filter(([t, e]) => e > 1 && !trials.find((x) => x.key === t)?.protected).length);
    if (decisions.pairings.length > 0) continue;
    for (const stop of decisions.next) {
      if (running.length >= options.slots) break;
      if (running.some((r) => r.trial === stop.trial)) continue;
      targets.set(stop.trial, stop.epoch);
      running.push({ trial: stop.trial, epoch: stop.epoch });
    }
    if (decisions.done) return { decisions, trained, maxPromotedFromFirst };
    const finished = running.shift();
    if (finished === undefined) throw new Error('stuck');
    if (options.failing?.has(finished.trial)) failed.add(finished.trial);
    else {
      answered.push(checkpointKey(finished.trial, finished.epoch));
      trained.set(finished.trial, finished.epoch);
    }
  }
  throw new Error('did not finish');
}

describe('planRungs', () => {
  it('starts every trial at the first rung, protected trials first and straight to their last epoch', () => {
    const trials: RungTrial[] = [...nine.slice(0, 3), { key: 'base', epochs: 4, protected: true }];
    const d = planRungs(trials, rules, facts());
    expect(d.next).toEqual([
      { trial: 'base', epoch: 4, promotedFrom: null },
      { trial: 't0', epoch: 1, promotedFrom: null },
      { trial: 't1', epoch: 1, promotedFrom: null },
      { trial: 't2', epoch: 1, promotedFrom: null },
    ]);
    expect(d.pairings).toEqual([]);
    expect(d.done).toBe(false);
    expect([...d.trials.values()].every((s) => s.status === 'pending')).toBe(true);
  });

  it('has each checkpoint at a rung play `matches` short matches, fewer while the rung is small', () => {
    const targets = new Map(nine.map((t) => [t.key, 1]));
    const small = planRungs(nine, rules, facts({ targets, answered: ['t0@1', 't1@1', 't2@1'] }));
    // Three checkpoints: each meets the two others once.
    expect(small.pairings.map((p) => p.id).sort()).toEqual(['rung-1-t0@1-t1@1', 'rung-1-t0@1-t2@1', 'rung-1-t1@1-t2@1']);
    expect(small.pairings[0]).toMatchObject({ stage: 'rung-1', round: 1, earlyStop: { maxInstructions: 16 } });
    const all = planRungs(nine, rules, facts({ targets, answered: nine.map((t) => `${t.key}@1`) }));
    const count = new Map<string, number>();
    for (const p of all.pairings) for (const side of [p.a, p.b]) count.set(side, (count.get(side) ?? 0) + 1);
    expect([...count.values()].every((n) => n >= 3)).toBe(true);
    expect(new Set(all.pairings.map((p) => p.id)).size).toBe(all.pairings.length);
  });

  it('promotes a checkpoint before its rung closes once it is sure to be in the better third', () => {
    const targets = new Map(nine.map((t) => [t.key, 1]));
    // Eight of nine judged: the two leading would stay in the top three even if t0 came in above them both.
    const answered = nine.filter((t) => t.key !== 't0').map((t) => `${t.key}@1`);
    let results: MatchSummary[] = [];
    for (let i = 0; i < 5; i++) results = [...results, ...planRungs(nine, rules, facts({ targets, answered, results })).pairings.map(judged)];
    const d = planRungs(nine, rules, facts({ targets, answered, results }));
    expect(d.pairings).toEqual([]);
    expect(d.rungs[0]).toMatchObject({ epoch: 1, expected: 9, present: 8, ranked: 8, closed: false });
    const promoted = d.next.filter((s) => s.promotedFrom === 0);
    expect(promoted).toHaveLength(2);
    expect(promoted.map((s) => quality(s.trial)).every((q) => q >= 5)).toBe(true);
    // t8 trains 4 epochs: promoted to the next rung, at 3; one of 2 epochs goes to its last epoch.
    expect(promoted).toContainEqual({ trial: 't8', epoch: 3, promotedFrom: 0 });
    for (const s of promoted) expect(s.epoch).toBe(Math.min(3, nine.find((t) => t.key === s.trial)!.epochs));
    expect([...d.trials.values()].filter((s) => s.status === 'stopped')).toEqual([]);
  });

  it('closes a rung once every checkpoint is in and judged: the better third goes on, the rest stop', () => {
    const { decisions, trained, maxPromotedFromFirst } = drive(nine, { slots: 2 });
    expect(decisions.done).toBe(true);
    const stopped = [...decisions.trials].filter(([, s]) => s.status === 'stopped').map(([t]) => t).sort();
    expect(decisions.finalists).not.toContain('t0');
    // The perfect judge keeps the best: t8 (4 epochs) survives both rungs.
    expect(decisions.finalists).toContain('t8');
    expect(decisions.trials.get('t8')).toEqual({ status: 'finalist', epochsTrained: 4, rung: 1 });
    expect(stopped.length + decisions.finalists.length).toBe(9);
    expect(maxPromotedFromFirst).toBeLessThanOrEqual(3);
    // Never more training than the plan's bound.
    const bound = countEarlyTermination(nine, rules.ladder, rules.matches);
    const spent = [...trained.values()].reduce((a, b) => a + b, 0);
    expect(spent).toBeLessThanOrEqual(bound.maxEpochs);
    expect(spent).toBeLessThan(bound.fullEpochs);
    expect(decisions.rungs.map((r) => [r.present, r.promoted, r.stopped, r.closed])).toEqual([[9, 3, 6, true], [2, 1, 1, true]]);
  });

  it('leaves failed trials out and still closes the rung', () => {
    const { decisions } = drive(nine, { slots: 3, failing: new Set(['t8', 't4']) });
    expect(decisions.done).toBe(true);
    expect(decisions.trials.get('t8')!.status).toBe('failed');
    expect(decisions.finalists).not.toContain('t8');
    expect(decisions.rungs[0]).toMatchObject({ expected: 7, present: 7, closed: true });
  });

  it('trains a protected trial straight through: a finalist, never at a rung', () => {
    const trials: RungTrial[] = [...nine, { key: 'base', epochs: 3, protected: true }];
    const { decisions, trained } = drive(trials, { slots: 2 });
    expect(trained.get('base')).toBe(3);
    expect(decisions.finalists).toContain('base');
    expect(decisions.rungs[0]!.present).toBe(9);
  });

  it('goes on from recorded facts alone: a rerun replans rung matches, starts nothing twice', () => {
    const targets = new Map([...nine.map((t): [string, number] => [t.key, 1]), ['t8', 3]]);
    const answered = [...nine.map((t) => `${t.key}@1`)];
    const d = planRungs(nine, rules, facts({ targets, answered }));
    expect(d.pairings.length).toBeGreaterThan(0);
    expect(d.next).toEqual([]);
    // t8 was sent to epoch 3 and has not answered there: it is training (the workflow resumes that stop).
    expect(d.trials.get('t8')).toEqual({ status: 'training', epochsTrained: 1, rung: 0 });
  });
});
