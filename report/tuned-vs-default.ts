/**
 * Tuned vs default per base model, as every view shows it (leaderboard, status, the run's summary, the
 * report): what the confirmation match found, or why there is none. Pure: built from recorded rows.
 */
import { shortEntrantLabel, trialKeyOfEntrant } from '../core/ids/checkpoint-keys.js';
import type { BestTrialRecord, ConfirmationRecord, TrialRecord } from './read-sweep.js';

/** One base model's tuned-vs-default state. */
export type TunedVsDefault = { readonly baseModelId: string } & (
  | {
      readonly state: 'confirmed';
      readonly confirmation: ConfirmationRecord;
      /** The same match by each `confirm.judges` judge, by judge. */
      readonly secondOpinions: readonly ConfirmationRecord[];
    }
  /** The baseline itself won the tournament. */
  | { readonly state: 'baseline-best'; readonly baseline: string }
  | { readonly state: 'baseline-failed'; readonly baseline: string }
  | { readonly state: 'no-baseline' }
  /** Not decided yet (the tournament or its confirmation is still running, or no trial finished). */
  | { readonly state: 'pending'; readonly baseline: string }
);

/** What `tunedVsDefault` reads. */
export interface TunedVsDefaultInput {
  readonly trials: readonly Pick<TrialRecord, 'key' | 'baseModelId' | 'isBaseline' | 'status'>[];
  readonly best: readonly Pick<BestTrialRecord, 'baseModelId' | 'entrant'>[];
  readonly confirmations: readonly ConfirmationRecord[];
}

/** The tuned-vs-default state of every base model with trials, by base model id, by the sweep's own judge. */
export function tunedVsDefault({ trials, best, confirmations }: TunedVsDefaultInput): TunedVsDefault[] {
  const baseModelIds = [...new Set(trials.map((t) => t.baseModelId))].sort();
  return baseModelIds.map((baseModelId): TunedVsDefault => {
    const baseline = trials.find((t) => t.baseModelId === baseModelId && t.isBaseline);
    if (baseline === undefined) return { baseModelId, state: 'no-baseline' };
    const bestEntrant = best.find((b) => b.baseModelId === baseModelId)?.entrant;
    const own = confirmations.filter((c) => c.baseModelId === baseModelId && c.bestTrialKey === bestEntrant);
    const confirmation = own.find((c) => c.judge === 'tournament');
    if (confirmation !== undefined) return { baseModelId, state: 'confirmed', confirmation, secondOpinions: own.filter((c) => c.judge !== 'tournament') };
    // Under early termination the baseline is its last checkpoint: the best is the baseline when it is that trial's.
    if (bestEntrant !== undefined && trialKeyOfEntrant(bestEntrant) === baseline.key) return { baseModelId, state: 'baseline-best', baseline: baseline.key };
    if (baseline.status === 'failed') return { baseModelId, state: 'baseline-failed', baseline: baseline.key };
    return { baseModelId, state: 'pending', baseline: baseline.key };
  });
}

/** What the win rate's interval says: the tuned model is better, worse, or not clearly different. */
export function confirmationVerdict(c: Pick<ConfirmationRecord, 'ciLow' | 'ciHigh'>): 'tuned better' | 'baseline better' | 'no clear difference' {
  if (c.ciLow > 0.5) return 'tuned better';
  if (c.ciHigh < 0.5) return 'baseline better';
  return 'no clear difference';
}

/** One line (to be wrapped by the caller) for a terminal or a summary. */
export function describeTunedVsDefault(entry: TunedVsDefault): string {
  const head = `Tuned vs default (${entry.baseModelId}):`;
  switch (entry.state) {
    case 'confirmed': {
      const c = entry.confirmation;
      const n = c.wins + c.ties + c.losses;
      return (
        `${head} best ${shortEntrantLabel(c.bestTrialKey)} vs baseline ${shortEntrantLabel(c.baselineTrialKey)} over ${n} instructions: ` +
        `${counts(c)}; win rate ${rate(c)}: ${confirmationVerdict(c)}`
      );
    }
    case 'baseline-best':
      return `${head} the baseline ${entry.baseline.slice(0, 8)} won the tournament: no configuration beat the defaults.`;
    case 'baseline-failed':
      return `${head} the baseline ${entry.baseline.slice(0, 8)} failed, so there is nothing to compare the best trial with.`;
    case 'no-baseline':
      return `${head} no baseline in the sweep; add a \`baseline:\` section to compare the best trial with default hyperparameters.`;
    case 'pending':
      return `${head} not judged yet.`;
  }
}

/** One line per second-opinion judge: its counts, win rate and how often it agreed with the tournament judge. */
export function describeSecondOpinions(entry: TunedVsDefault): string[] {
  if (entry.state !== 'confirmed') return [];
  return entry.secondOpinions.map((c) => `Second opinion by ${c.judge}: ${counts(c)}; win rate ${rate(c)}: ${confirmationVerdict(c)}; ${agreement(c)}`);
}

function counts(c: ConfirmationRecord): string {
  return `${count(c.wins, 'win')}, ${count(c.ties, 'tie')}, ${count(c.losses, 'loss', 'losses')}`;
}

function rate(c: ConfirmationRecord): string {
  return `${c.winRate.toFixed(2)} (95% CI ${c.ciLow.toFixed(2)}–${c.ciHigh.toFixed(2)})`;
}

/** `agrees with the tournament judge on 10 of 12 instructions (83%)`. */
export function agreement(c: Pick<ConfirmationRecord, 'agreed' | 'shared'>): string {
  if (c.agreed === null || c.shared === null || c.shared === 0) return 'no instruction judged by both';
  return `agrees with the tournament judge on ${c.agreed} of ${c.shared} instructions (${((100 * c.agreed) / c.shared).toFixed(0)}%)`;
}

/** A short form for one status line: `W-L-T 7-2-3 vs baseline 1a2b3c4d, win rate 0.71 (0.50–0.88): tuned better`. */
export function shortTunedVsDefault(entry: TunedVsDefault): string {
  if (entry.state !== 'confirmed') return describeTunedVsDefault(entry).replace(/^Tuned vs default \([^)]*\): /, '');
  const c = entry.confirmation;
  return `W-L-T ${c.wins}-${c.losses}-${c.ties} vs baseline ${c.baselineTrialKey.slice(0, 8)}, win rate ${c.winRate.toFixed(2)} (${c.ciLow.toFixed(2)}–${c.ciHigh.toFixed(2)}): ${confirmationVerdict(c)}`;
}

/** The `--json` form shared by `leaderboard`, `status` and `run`. */
export interface TunedVsDefaultJson {
  readonly baseModel: string;
  readonly state: TunedVsDefault['state'];
  readonly best: string | null;
  readonly baseline: string | null;
  readonly wins: number | null;
  readonly ties: number | null;
  readonly losses: number | null;
  readonly winRate: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly verdict: ReturnType<typeof confirmationVerdict> | null;
  /** The same match by each `confirm.judges` judge, with `agreed` of `shared` instructions resolved as the tournament judge did. */
  readonly secondOpinions: readonly (Omit<ConfirmationRecord, 'baseModelId' | 'bestTrialKey' | 'baselineTrialKey'> & { readonly verdict: ReturnType<typeof confirmationVerdict> })[];
}

/** Converts an entry to its JSON form (every field present, `null` where it does not apply). */
export function tunedVsDefaultToJson(entry: TunedVsDefault): TunedVsDefaultJson {
  const empty = { best: null, baseline: null, wins: null, ties: null, losses: null, winRate: null, ciLow: null, ciHigh: null, verdict: null, secondOpinions: [] };
  if (entry.state === 'confirmed') {
    const c = entry.confirmation;
    return {
      baseModel: entry.baseModelId,
      state: entry.state,
      best: c.bestTrialKey,
      baseline: c.baselineTrialKey,
      wins: c.wins,
      ties: c.ties,
      losses: c.losses,
      winRate: c.winRate,
      ciLow: c.ciLow,
      ciHigh: c.ciHigh,
      verdict: confirmationVerdict(c),
      secondOpinions: entry.secondOpinions.map(({ baseModelId: _base, bestTrialKey: _best, baselineTrialKey: _baseline, ...opinion }) => ({ ...opinion, verdict: confirmationVerdict(opinion) })),
    };
  }
  return { ...empty, baseModel: entry.baseModelId, state: entry.state, baseline: entry.state === 'no-baseline' ? null : entry.baseline };
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
