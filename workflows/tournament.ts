/**
 * TournamentWorkflow: judges the matches a tournament strategy asks for (one activity per judging group,
 * a block's round robin say, a bounded number at once) until the strategy is done, then records standings
 * and the best trial, then plays the best trial against the sweep's baseline (tuned vs default).
 */
import { continueAsNew, patched, proxyActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { BestTrialResult, ConfirmationResult } from '../activities/store.js';
import type { JudgeSettings } from '../activities/judge.js';
import { failureTypes } from '../core/failure-types.js';
import { bestEntrantOf } from '../core/ids/checkpoint-keys.js';
import { defaultJudgeHeartbeatTimeoutSeconds } from '../core/sweep/heartbeat-timeouts.js';
import { confirmationPairing, judgeLabel, needsConfirmation } from '../core/tournament/confirmation.js';
import { judgingGroups } from '../core/tournament/judging-groups.js';
import { planNextMatches } from '../core/tournament/strategies.js';
import type { TournamentConfig } from '../core/tournament/tournament-config.js';
import type { MatchPairing, MatchSummary } from '../core/tournament/types.js';
import { searchAttributes, taskQueuesFor } from './shared.js';

// A match is up to a few hundred judge calls: minutes on a GPU, longer on a CPU; a group of 120 matches
// can take hours on a CPU. The heartbeat timeout (the sweep's `judge.heartbeatTimeout`) notices a dead
// judge worker long before the start-to-close would. Created per run because the judge queue is derived
// from the workflow's own task queue.
function judgeActivities(judge: JudgeSettings, startToCloseTimeout: string) {
  return proxyActivities<Activities>({
    taskQueue: taskQueuesFor(workflowInfo().taskQueue).judge,
    startToCloseTimeout,
    heartbeatTimeout: `${judge.heartbeatTimeout ?? defaultJudgeHeartbeatTimeoutSeconds}s`,
    retry: { maximumAttempts: 5, nonRetryableErrorTypes: [failureTypes.JudgeUnavailable] },
  });
}

// Database bookkeeping is quick; transient database errors retry with the default policy.
const storeActs = proxyActivities<Activities>({ startToCloseTimeout: '2m' });

// Continue as new well before the 51,200-event history limit (each match adds about 6 events).
const maxHistoryEvents = 10_000;

/** Input of `tournamentWorkflow`. */
export interface TournamentInput {
  readonly sweepId: string;
  readonly baseModelId: string;
  /** Trials that finished and compete. */
  readonly entrants: readonly string[];
  /** Trials left out, with the reason (a failed training run, say). */
  readonly excluded: readonly { readonly trial: string; readonly reason: string }[];
  /** Trial keys per block, as planned (failed trials are filtered out here). */
  readonly blocks: readonly (readonly string[])[];
  readonly config: TournamentConfig;
  readonly judge: JudgeSettings;
  /** Matches judged at once. */
  readonly maxParallelMatches: number;
  /** Results carried over a continue-as-new. */
  readonly results?: readonly MatchSummary[];
  /** The sweep's baseline trial of this base model, which the best trial meets at the end (absent: none). */
  readonly baselineKey?: string;
  /** Second-opinion judges of that match (`confirm.judges`), each stored apart from the tournament judge. */
  readonly confirmJudges?: readonly JudgeSettings[];
}

/** Result of `tournamentWorkflow`. */
export interface TournamentResult {
  readonly best: BestTrialResult;
  readonly matches: number;
  /** The best trial against the baseline; absent without a baseline, or when the baseline is the best. */
  readonly confirmation?: ConfirmationResult;
  /** The same match by each `confirm.judges` judge, in order. */
  readonly secondOpinions?: readonly ConfirmationResult[];
}

/** Runs one base model's tournament to the end and records the best trial. */
export async function tournamentWorkflow(input: TournamentInput): Promise<TournamentResult> {
  const judgeActs = judgeActivities(input.judge, '2h');
  const groupActs = judgeActivities(input.judge, '24h');
  const results: MatchSummary[] = [...(input.results ?? [])];
  const entrants = new Set(input.entrants);
  const blocks = input.blocks.map((block) => block.filter((key) => entrants.has(key))).filter((block) => block.length > 0);
  for (;;) {
    const next = planNextMatches({ config: input.config, blocks, results });
    if (next.done || next.pairings.length === 0) break;
    upsertSearchAttributes([{ key: searchAttributes.stage, value: next.pairings[0]?.stage ?? 'judging' }]);
    await storeActs.planMatches({ sweepId: input.sweepId, baseModelId: input.baseModelId, pairings: next.pairings });
    // Histories from before judging groups replay one activity per match.
    const groups = patched('judging-groups') ? judgingGroups(next.pairings) : next.pairings.map((pairing) => [pairing]);
    await runWindowed(groups, input.maxParallelMatches, async (group: readonly MatchPairing[]) => {
      const common = { sweepId: input.sweepId, baseModelId: input.baseModelId, judge: input.judge };
      if (group.length === 1) results.push(await judgeActs.judgeMatch({ ...common, pairing: group[0]! }));
      else results.push(...(await groupActs.judgeMatches({ ...common, pairings: group })));
    });
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxHistoryEvents) {
      await continueAsNew<typeof tournamentWorkflow>({ ...input, results });
    }
  }

  const best = await storeActs.finalizeTournament({
    sweepId: input.sweepId,
    baseModelId: input.baseModelId,
    entrants: [...entrants],
    excluded: input.excluded,
    seed: input.config.seed,
    bootstrap: input.config.bootstrap,
    resolution: input.judge.resolution,
  });
  // Histories from before the confirmation end with the best trial.
  const bestEntrant = bestEntrantOf(best);
  if (!patched('confirm-baseline') || !needsConfirmation(bestEntrant, input.baselineKey, input.entrants)) return { best, matches: results.length };
  upsertSearchAttributes([{ key: searchAttributes.stage, value: 'confirm' }]);
  const scope = { sweepId: input.sweepId, baseModelId: input.baseModelId };
  const summary = { seed: input.config.seed, bootstrap: input.config.bootstrap };
  const pairing = confirmationPairing(bestEntrant!, input.baselineKey);
  const extra = (input.confirmJudges ?? []).map((judge) => ({ judge, pairing: confirmationPairing(bestEntrant!, input.baselineKey!, judge.config) }));
  await storeActs.planMatches({ ...scope, pairings: [pairing, ...extra.map((e) => e.pairing)] });
  await judgeActs.judgeMatch({ ...scope, pairing, judge: input.judge });
  const confirmation = await storeActs.recordConfirmation({ ...scope, pairing, judge: 'tournament', resolution: input.judge.resolution, ...summary });
  // Second opinions run one after another: each may load another model on the judge worker.
  const secondOpinions: ConfirmationResult[] = [];
  for (const { judge, pairing: theirs } of extra) {
    await judgeActivities(judge, '2h').judgeMatch({ ...scope, pairing: theirs, judge });
    secondOpinions.push(
      await storeActs.recordConfirmation({ ...scope, pairing: theirs, judge: judgeLabel(judge.config), resolution: judge.resolution, agreementWith: { pairing, resolution: input.judge.resolution }, ...summary }),
    );
  }
  return { best, matches: results.length + 1 + extra.length, confirmation, secondOpinions };
}

/** Runs `task` over `items` with at most `limit` in flight; rejects on the first failure. */
export async function runWindowed<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (const item of items) {
    while (inFlight.size >= Math.max(1, limit)) await Promise.race(inFlight);
    const p: Promise<void> = task(item).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}
