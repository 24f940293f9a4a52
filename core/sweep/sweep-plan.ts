import { epochParameterOf } from '../early-termination/early-terminate-config.js';
import { countEarlyTermination, finalBlockSizes, ladderOf, rungTrialsOf, type EarlyTerminatePlan, type EarlyTerminationCounts } from '../early-termination/plan-early-termination.js';
import { rungStage } from '../early-termination/rungs.js';
import { sweepIdOf } from '../ids/sweep-id.js';
import { folderOf, resolveAgainst } from '../paths/posix-path.js';
import { confirmStage } from '../tournament/confirmation.js';
import { assignBlocks, planInstructionCount, planMatchCount } from '../tournament/strategies.js';
import type { TournamentConfig } from '../tournament/tournament-config.js';
import { expandConfigs, expandTrials, type TrialPlan } from './expand-trials.js';
import type { EvalSpec, EvaluateSpec, JobSpec, JudgeSpec, ParamValue, SweepSpec } from './sweep-spec.js';

/** Options of `buildSweepPlan`. */
export interface BuildSweepPlanOptions {
  /** Path of the sweep file (absolute in the CLI); a relative `eval.file` resolves against its folder. */
  readonly file: string;
  /** Number of instructions in the evaluation file, before `eval.limit`. */
  readonly evalCount: number;
}

/** One base model's share of a plan. */
export interface BaseModelPlan {
  readonly id: string;
  /** The base model's free fields (everything but `id`), for `{{baseModel.<field>}}`. */
  readonly fields: Record<string, ParamValue>;
  readonly trials: TrialPlan[];
  /** Trial keys per tournament block (none under early termination: the final's blocks are of checkpoints, drawn when it starts). */
  readonly blocks: string[][];
  /** Under early termination: its rungs, the most epochs it trains against the full grid's, and the final's size. */
  readonly earlyTermination?: EarlyTerminationCounts;
  /** Whether the baseline is an extra trial (`false` when it is one of the configurations, or absent). */
  readonly baselineAdded: boolean;
  /** Matches this base model's tournament plays (upper bounds for result-dependent stages). */
  readonly matches: { readonly byStage: Record<string, number>; readonly total: number };
}

/**
 * What a sweep workflow receives: small plain JSON with every decision already made (trials, keys,
 * blocks) and no datasets. `sweepId` is a slug of the name and names the workflow.
 */
export interface SweepPlan {
  readonly sweepId: string;
  readonly name: string;
  readonly description?: string;
  /** The sweep file's path as given in the options. */
  readonly file: string;
  readonly method: SweepSpec['method'];
  /** The baseline's name, or `null` when the sweep has none. */
  readonly baselineName: string | null;
  readonly baseModels: BaseModelPlan[];
  readonly train: JobSpec;
  readonly generate: JobSpec;
  /** The downstream evaluation job run on the best trials and the baseline after each tournament; absent: none. */
  readonly evaluate?: EvaluateSpec;
  /** `file` resolved against the sweep file's folder; `count` = instructions judged (after `limit`). */
  readonly eval: EvalSpec & { readonly count: number };
  readonly judge: JudgeSpec;
  /** Second-opinion judges of the tuned-vs-default match (configs resolved like `judge`'s); absent in plans from before it existed. */
  readonly confirm?: { readonly judges: readonly JudgeSpec[] };
  readonly tournament: TournamentConfig;
  /** Judge-driven early termination; absent: every trial trains to its last epoch. */
  readonly earlyTerminate?: EarlyTerminatePlan;
  readonly concurrency: SweepSpec['concurrency'];
  readonly counts: {
    readonly trials: number;
    readonly matches: number;
    readonly matchesByStage: Record<string, number>;
    /** Each match's instructions x orders (2 with its judge's `swap`), summed; confirmations are upper bounds. */
    readonly judgeCalls: number;
    /** `evaluate` jobs after the tournaments, at most: per base model its `top` best trials and the baseline. */
    readonly evaluateJobs: number;
  };
}

/**
 * Adds the tuned-vs-default confirmations (the best trial against the baseline, after the tournament: one
 * by the tournament judge, one per `confirm.judges`) to a base model's match count when it has a baseline.
 */
function withConfirmation(matches: BaseModelPlan['matches'], hasBaseline: boolean, judges: number): BaseModelPlan['matches'] {
  if (!hasBaseline) return matches;
  return { byStage: { ...matches.byStage, [confirmStage]: 1 + judges }, total: matches.total + 1 + judges };
}

/**
 * Builds the plan of a validated sweep: its trials per base model (`expandTrials`), their tournament
 * blocks (`assignBlocks`), the matches per stage (`planMatchCount`, plus the tuned-vs-default
 * confirmations) and the judge calls: the instructions each match judges at most
 * (`planInstructionCount`: every one, or fewer in the adaptive strategy's early levels) x (2 when its
 * judge swaps, else 1).
 */
export function buildSweepPlan(spec: SweepSpec, options: BuildSweepPlanOptions): SweepPlan {
  const trials = expandTrials(spec);
  const configCount = expandConfigs(spec).length;
  const matchesByStage: Record<string, number> = {};
  const instructions = spec.eval.limit === undefined ? options.evalCount : Math.min(options.evalCount, spec.eval.limit);
  let tournamentInstructions = 0;
  const earlyTerminate = earlyTerminatePlanOf(spec, trials);
  const baseModels = spec.baseModels.map((baseModel): BaseModelPlan => {
    const own = trials.filter((trial) => trial.baseModelId === baseModel.id);
    const { id, ...fields } = baseModel;
    const hasBaseline = own.some((trial) => trial.isBaseline);
    if (earlyTerminate !== undefined) {
      const counts = countEarlyTermination(rungTrialsOf(own, earlyTerminate.epochsParameter), { epochs: earlyTerminate.rungs, eta: earlyTerminate.eta }, earlyTerminate.matches);
      const finalSizes = finalBlockSizes(counts.finalEntrants, spec.tournament);
      const final = planMatchCount(finalSizes, spec.tournament);
      const rungMatches = Object.fromEntries(counts.rungs.map((rung, k) => [rungStage(k), rung.matches]));
      const byStage = { ...rungMatches, ...final.byStage };
      const rungCount = counts.rungs.reduce((sum, rung) => sum + rung.matches, 0);
      tournamentInstructions += rungCount * Math.min(earlyTerminate.instructions, instructions) + planInstructionCount(finalSizes, spec.tournament, instructions);
      const matches = withConfirmation({ byStage, total: rungCount + final.total }, hasBaseline, spec.confirm.judges.length);
      for (const [stage, count] of Object.entries(matches.byStage)) matchesByStage[stage] = (matchesByStage[stage] ?? 0) + count;
      return { id, fields, trials: own, blocks: [], earlyTermination: counts, baselineAdded: own.length > configCount, matches };
    }
    const blocks = assignBlocks(own, spec.tournament);
    tournamentInstructions += planInstructionCount(blocks.map((block) => block.length), spec.tournament, instructions);
    const matches = withConfirmation(planMatchCount(blocks.map((block) => block.length), spec.tournament), hasBaseline, spec.confirm.judges.length);
    for (const [stage, count] of Object.entries(matches.byStage)) matchesByStage[stage] = (matchesByStage[stage] ?? 0) + count;
    return { id, fields, trials: own, blocks, baselineAdded: own.length > configCount, matches };
  });
  const matches = baseModels.reduce((sum, baseModel) => sum + baseModel.matches.total, 0);
  const orders = (judge: JudgeSpec) => (judge.swap ? 2 : 1);
  const withBaseline = baseModels.filter((b) => b.trials.some((t) => t.isBaseline)).length;
  const secondOpinions = spec.confirm.judges.reduce((sum, judge) => sum + withBaseline * instructions * orders(judge), 0);
  const resolveJudge = (judge: JudgeSpec): JudgeSpec => ({ ...judge, config: isJudgeConfigPath(judge.config) ? resolveAgainst(folderOf(options.file), judge.config) : judge.config });
  return {
    sweepId: sweepIdOf(spec.name),
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    file: options.file,
    method: spec.method,
    baselineName: spec.baseline?.name ?? null,
    baseModels,
    train: spec.train,
    generate: spec.generate,
    ...(spec.evaluate === undefined ? {} : { evaluate: spec.evaluate }),
    eval: { ...spec.eval, file: resolveAgainst(folderOf(options.file), spec.eval.file), count: instructions },
    // A judge config given as a path is relative to the sweep file, like every path in it; a bare name
    // stays a name (`configs/judges/<name>.yaml`).
    judge: resolveJudge(spec.judge),
    confirm: { judges: spec.confirm.judges.map(resolveJudge) },
    tournament: spec.tournament,
    ...(earlyTerminate === undefined ? {} : { earlyTerminate }),
    concurrency: spec.concurrency,
    counts: {
      trials: trials.length,
      matches,
      matchesByStage,
      judgeCalls: (tournamentInstructions + withBaseline * instructions) * orders(spec.judge) + secondOpinions,
      evaluateJobs: spec.evaluate === undefined ? 0 : baseModels.reduce((n, b) => n + Math.min(spec.evaluate!.top, b.trials.length) + (b.trials.some((t) => t.isBaseline) && spec.evaluate!.top < b.trials.length ? 1 : 0), 0),
    },
  };
}

/** The plan's `earlyTerminate`: the epochs parameter resolved (validation made sure there is one) and the rungs of all trials. */
function earlyTerminatePlanOf(spec: SweepSpec, trials: readonly TrialPlan[]): EarlyTerminatePlan | undefined {
  const early = spec.earlyTerminate;
  if (early === undefined) return undefined;
  const epochsParameter = epochParameterOf(early, Object.keys(spec.parameters)) ?? 'num_train_epochs';
  const ladder = ladderOf(early, rungTrialsOf(trials, epochsParameter));
  return { ...early, epochsParameter, rungs: ladder.epochs };
}

/** Whether a `judge.config` value is a path (to a YAML file) rather than a name under `configs/judges/`. */
export function isJudgeConfigPath(config: string): boolean {
  return config.includes('/') || config.includes('\\') || /\.ya?ml$/.test(config);
}
