/**
 * The early-termination scheduler: asynchronous successive halving over epoch rungs, decided by a
 * pairwise judge instead of a scalar metric. Pure: given what has happened (which checkpoints have
 * answered, which epoch each trial was sent to, which rung matches were played), it says what to judge
 * and what to train next, which trials stop early and, at the end, the finalists. The sweep workflow
 * calls it after every event, and the selection benchmark's simulation calls the same code.
 *
 * - Every trial trains to the first rung; its checkpoint answers the evaluation instructions and plays
 *   `matches` short matches against checkpoints at the same rung (opponents near the promotion cut,
 *   where a result decides most). Strength at a rung is a Bradley–Terry fit over that rung's matches.
 * - Promotions are asynchronous, as in ASHA (Li et al., "A system for massively parallel
 *   hyperparameter tuning", MLSys 2020): a checkpoint goes on as soon as it is sure to be in the better
 *   `1/eta` of its rung, counting every checkpoint still to come as if it would beat it, so no GPU waits
 *   for a rung to fill. Unlike ASHA's rule (the top `1/eta` of those seen so far), that never promotes
 *   more than successive halving would, so `validate` can bound the epochs a sweep spends. Once every
 *   checkpoint of a rung is in and judged, the rung closes: its best fill the remaining places, and
 *   the rest are stopped early.
 * - A promoted trial resumes from its rung checkpoint and trains to the next rung, or to its own last
 *   epoch; a trial whose last epoch is reached (after its last rung's promotion) is a finalist. The
 *   protected trials (the sweep's baseline) train straight to their last epoch and are finalists.
 * - Priority when a GPU frees: protected trials not started, then promotions (highest rung first,
 *   strongest first), then trials not started, in order.
 */
import { checkpointKey, parseEntrantKey } from '../ids/checkpoint-keys.js';
import { fitBradleyTerry } from '../tournament/fit-bradley-terry.js';
import { toPairResult } from '../tournament/rank-entrants.js';
import { defaultEarlyStopMargin } from '../tournament/sequential-test.js';
import type { MatchPairing, MatchSummary } from '../tournament/types.js';
import { promotionSlots, rungStage, type RungLadder } from './rungs.js';

/** A trial as the scheduler sees it. */
export interface RungTrial {
  readonly key: string;
  /** Epochs of its full schedule (its `epochs` parameter). */
  readonly epochs: number;
  /** Trained straight to its last epoch and always a finalist (the sweep's baseline). */
  readonly protected?: boolean;
}

/** How the rungs are played. */
export interface RungRules {
  readonly ladder: RungLadder;
  /** Matches each checkpoint plays at its rung. */
  readonly matches: number;
  /** Instructions a rung match judges at most. */
  readonly instructions: number;
}

/** What has happened so far; the scheduler derives everything else from it. */
export interface RungFacts {
  /** Checkpoint keys (`trial@epoch`) whose answers are recorded. */
  readonly answered: readonly string[];
  /** The epoch each started trial was last sent to train to; absent: not started. */
  readonly targets: ReadonlyMap<string, number>;
  /** Trials whose jobs failed: they leave the rungs. */
  readonly failed: ReadonlySet<string>;
  /** Rung matches played (other stages are ignored). */
  readonly results: readonly MatchSummary[];
  /** Rung matches being judged now. */
  readonly judging: readonly Pick<MatchPairing, 'id' | 'a' | 'b' | 'stage'>[];
}

/** Where a trial stands. */
export type TrialRungStatus = 'pending' | 'training' | 'waiting' | 'stopped' | 'finalist' | 'failed';

/** One trial's place in the rungs. */
export interface TrialRungState {
  readonly status: TrialRungStatus;
  /** Epochs of the last checkpoint that answered (0 before the first). */
  readonly epochsTrained: number;
  /** 0-based index of the highest rung it reached, or `null`. */
  readonly rung: number | null;
}

/** One rung's state. */
export interface RungSummary {
  readonly index: number;
  readonly epoch: number;
  /** Most checkpoints that can still reach it (an upper bound until the rung below closes). */
  readonly expected: number;
  /** Checkpoints at it with answers recorded. */
  readonly present: number;
  /** Of those, judged in all their matches. */
  readonly ranked: number;
  readonly promoted: number;
  readonly stopped: number;
  readonly closed: boolean;
  /** Checkpoints at the rung, strongest first, with their Bradley–Terry logit over the rung's matches. */
  readonly order: readonly { readonly trial: string; readonly logit: number }[];
}

/** A trial to train now, and the epoch its job stops at. */
export interface NextStop {
  readonly trial: string;
  readonly epoch: number;
  /** The rung it was promoted from, or `null` for a first stop. */
  readonly promotedFrom: number | null;
}

/** What the scheduler decides. */
export interface RungDecisions {
  /** Rung matches to judge now (none already played or being judged). */
  readonly pairings: MatchPairing[];
  /** Trials that may train now, in priority order. */
  readonly next: NextStop[];
  readonly rungs: readonly RungSummary[];
  readonly trials: ReadonlyMap<string, TrialRungState>;
  /** Trials that are or will be finalists, as far as known (final once `done`). */
  readonly finalists: readonly string[];
  /** Every rung is closed and every finalist has answered at its last epoch. */
  readonly done: boolean;
}

/** Decides what to judge and train next (see the file comment). */
export function planRungs(trials: readonly RungTrial[], rules: RungRules, facts: RungFacts): RungDecisions {
  const { ladder } = rules;
  const answered = new Map<string, Set<number>>();
  for (const key of facts.answered) {
    const { trialKey, epoch } = parseEntrantKey(key);
    let epochs = answered.get(trialKey);
    if (epochs === undefined) answered.set(trialKey, (epochs = new Set()));
    epochs.add(epoch);
  }
  const hasAnswered = (t: string, epoch: number) => answered.get(t)?.has(epoch) === true;
  const lastAnswered = (t: string) => Math.max(0, ...(answered.get(t) ?? []));
  const live = trials.filter((t) => !facts.failed.has(t.key));
  const contenders = live.filter((t) => t.protected !== true);

  const pairings: MatchPairing[] = [];
  const promotions: NextStop[][] = ladder.epochs.map(() => []);
  const finalists = new Set<string>();
  const stoppedAt = new Map<string, number>();
  const summaries: RungSummary[] = [];
  let belowClosed = true;
  let belowOpenSlots = 0;

  ladder.epochs.forEach((epoch, k) => {
    const stage = rungStage(k);
    const eligible = contenders.filter((t) => t.epochs >= epoch);
    const present = eligible.filter((t) => hasAnswered(t.key, epoch)).map((t) => t.key).sort();
    // Trials sent to this rung or past it; below the first rung, every contender is on its way.
    const sent = k === 0 ? eligible.length : eligible.filter((t) => (facts.targets.get(t.key) ?? 0) >= epoch).length;
    const expected = Math.max(present.length, sent + (belowClosed ? 0 : belowOpenSlots));
    const entrant = (t: string) => checkpointKey(t, epoch);
    const entrants = present.map(entrant);
    const atRung = new Set(entrants);
    const results = facts.results.filter((m) => m.stage === stage && atRung.has(m.a) && atRung.has(m.b));
    const inFlight = facts.judging.filter((p) => p.stage === stage);
    const logits = fitBradleyTerry(entrants, results.map(toPairResult));
    const order = [...present].sort((x, y) => (logits.get(entrant(y)) ?? 0) - (logits.get(entrant(x)) ?? 0) || (x < y ? -1 : 1));
    const position = new Map(order.map((t, i) => [t, i]));
    const slotsExpected = promotionSlots(expected, ladder.eta);

    // Matches: each checkpoint plays `matches` others (all of them on a small rung), opponents nearest
    // the promotion cut first, then the least played.
    const count = new Map(present.map((t) => [t, 0]));
    const pending = new Map(present.map((t) => [t, 0]));
    const met = new Set<string>();
    for (const m of [...results, ...inFlight]) {
      const [a, b] = [parseEntrantKey(m.a).trialKey, parseEntrantKey(m.b).trialKey];
      met.add(pairKey(a, b));
      count.set(a, (count.get(a) ?? 0) + 1);
      count.set(b, (count.get(b) ?? 0) + 1);
    }
    for (const m of inFlight) {
      for (const side of [m.a, m.b]) {
        const t = parseEntrantKey(side).trialKey;
        pending.set(t, (pending.get(t) ?? 0) + 1);
      }
    }
    const required = Math.min(rules.matches, Math.max(0, present.length - 1));
    const playOrder = [...present].sort((x, y) => (count.get(x) ?? 0) - (count.get(y) ?? 0) || (x < y ? -1 : 1));
    for (const x of playOrder) {
      while ((count.get(x) ?? 0) < required) {
        const opponents = present.filter((y) => y !== x && !met.has(pairKey(x, y)));
        if (opponents.length === 0) break;
        const distance = (y: string) => Math.abs((position.get(y) ?? 0) + 0.5 - slotsExpected);
        opponents.sort((y, z) => distance(y) - distance(z) || (count.get(y) ?? 0) - (count.get(z) ?? 0) || (y < z ? -1 : 1));
        const y = opponents[0]!;
        const [a, b] = x < y ? [x, y] : [y, x];
        pairings.push({
          id: `${stage}-${entrant(a)}-${entrant(b)}`,
          a: entrant(a),
          b: entrant(b),
          stage,
          block: null,
          round: k + 1,
          earlyStop: { margin: defaultEarlyStopMargin, maxInstructions: rules.instructions },
        });
        met.add(pairKey(a, b));
        for (const t of [a, b]) {
          count.set(t, (count.get(t) ?? 0) + 1);
          pending.set(t, (pending.get(t) ?? 0) + 1);
        }
      }
    }
    const isRanked = (t: string) => (pending.get(t) ?? 0) === 0;
    const ranked = order.filter(isRanked);
    const promotedReal = new Set(present.filter((t) => (facts.targets.get(t) ?? 0) > epoch));
    const closed = belowClosed && expected === present.length && ranked.length === present.length;
    const byKey = new Map(trials.map((t) => [t.key, t]));
    const promote = (t: string) => {
      const trial = byKey.get(t)!;
      if (trial.epochs === epoch) finalists.add(t);
      else if (!promotedReal.has(t)) promotions[k]!.push({ trial: t, epoch: Math.min(ladder.epochs[k + 1] ?? trial.epochs, trial.epochs), promotedFrom: k });
    };
    let promotedCount: number;
    if (closed) {
      const slots = promotionSlots(present.length, ladder.eta);
      const chosen = new Set(promotedReal);
      for (const t of order) {
        if (chosen.size >= slots) break;
        chosen.add(t);
      }
      for (const t of order) {
        if (chosen.has(t)) promote(t);
        else stoppedAt.set(t, epoch);
      }
      promotedCount = chosen.size;
      belowOpenSlots = 0;
    } else {
      // Sure to be in the better 1/eta: even if every checkpoint not yet judged beat it, and every
      // promoted one stayed ahead, it would keep its place.
      const unknown = expected - ranked.length;
      const sure = new Set(promotedReal);
      ranked.forEach((t, i) => {
        const promotedBelow = ranked.slice(i + 1).filter((u) => promotedReal.has(u)).length;
        if (i + promotedBelow + 1 + unknown <= slotsExpected) sure.add(t);
      });
      for (const t of order) if (sure.has(t)) promote(t);
      promotedCount = sure.size;
      belowOpenSlots = Math.max(0, slotsExpected - promotedCount);
    }
    belowClosed = closed;
    summaries.push({
      index: k,
      epoch,
      expected,
      present: present.length,
      ranked: ranked.length,
      promoted: promotedCount,
      stopped: closed ? present.length - promotedCount : 0,
      closed,
      order: order.map((t) => ({ trial: t, logit: logits.get(entrant(t)) ?? 0 })),
    });
  });

  // A promoted trial whose last epoch comes before the next rung is a finalist once it gets there.
  for (const t of contenders) {
    if (stoppedAt.has(t.key)) continue;
    const target = facts.targets.get(t.key);
    if (target === t.epochs && !ladder.epochs.includes(t.epochs)) finalists.add(t.key);
    else if (target === t.epochs && target > (ladder.epochs[ladder.epochs.length - 1] ?? 0)) finalists.add(t.key);
  }
  for (const t of live) if (t.protected === true) finalists.add(t.key);

  const states = new Map<string, TrialRungState>();
  for (const t of trials) {
    const trained = lastAnswered(t.key);
    const rungsReached = ladder.epochs.filter((e) => e <= trained && hasAnswered(t.key, e));
    const rung = rungsReached.length === 0 ? null : ladder.epochs.indexOf(rungsReached[rungsReached.length - 1]!);
    const target = facts.targets.get(t.key);
    let status: TrialRungStatus;
    if (facts.failed.has(t.key)) status = 'failed';
    else if (target === undefined) status = 'pending';
    else if (target > trained) status = 'training';
    else if (stoppedAt.has(t.key)) status = 'stopped';
    else if (finalists.has(t.key) && trained === t.epochs) status = 'finalist';
    else status = 'waiting';
    states.set(t.key, { status, epochsTrained: trained, rung });
  }

  const protectedStarts = live.filter((t) => t.protected === true && !facts.targets.has(t.key)).map((t): NextStop => ({ trial: t.key, epoch: t.epochs, promotedFrom: null }));
  const firstStops = contenders.filter((t) => !facts.targets.has(t.key)).map((t): NextStop => ({ trial: t.key, epoch: Math.min(ladder.epochs[0] ?? t.epochs, t.epochs), promotedFrom: null }));
  const next = [...protectedStarts, ...promotions.reverse().flat(), ...firstStops];
  const allClosed = summaries.every((s) => s.closed);
  const done = allClosed && next.length === 0 && pairings.length === 0 && facts.judging.length === 0 && [...finalists].every((t) => lastAnswered(t) === byKeyEpochs(trials, t));
  return { pairings, next, rungs: summaries, trials: states, finalists: [...finalists].sort(), done };
}

function byKeyEpochs(trials: readonly RungTrial[], key: string): number {
  return trials.find((t) => t.key === key)?.epochs ?? Number.NaN;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}
