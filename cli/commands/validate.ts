// pandasweep validate <sweep.yaml> [--json]
import type { Command } from 'commander';
import path from 'node:path';
import { confirmStage, judgeLabel } from '../../core/tournament/confirmation.js';
import { detectGpus } from '../../activities/jobs/gpu-slots.js';
import { renderArgv } from '../../core/sweep/render-command.js';
import { adaptiveBudget, type AdaptiveBudget } from '../../core/tournament/adaptive-budget.js';
import type { EarlyTerminatePlan, EarlyTerminationCounts } from '../../core/early-termination/plan-early-termination.js';
import type { SweepPlan } from '../../core/sweep/sweep-plan.js';
import { previewRenderContext } from '../../core/sweep/sweep-requirements.js';
import type { JobSpec } from '../../core/sweep/sweep-spec.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { loadSweepPlan } from '../load-sweep-plan.js';
import { formatPreflightProblems, preflightSweep, type PreflightProblem } from '../preflight.js';

interface ValidateOptions {
  readonly json?: boolean;
}

/** The `--json` document of `pandasweep validate`. */
export interface ValidateReport {
  readonly valid: true;
  readonly file: string;
  readonly sweepId: string;
  readonly name: string;
  readonly method: string;
  readonly parameters: string[];
  readonly baseline: string | null;
  readonly baseModels: {
    readonly id: string;
    /** Number of trials, the baseline included. */
    readonly trials: number;
    /** Key of the baseline trial, `null` without a baseline. */
    readonly baselineKey: string | null;
    /** Whether the baseline is an extra trial (`false`: it is one of the grid or random configurations). */
    readonly baselineAdded: boolean;
    readonly blocks: { readonly index: number; readonly trials: number }[];
    readonly matches: number;
    /** The adaptive strategy's plan for this base model (`tournament.strategy: adaptive` only). */
    readonly adaptive?: AdaptiveBudget;
    /** Early termination's rungs for this base model, and the most epochs it trains (with `earlyTerminate` only). */
    readonly earlyTermination?: EarlyTerminationCounts & { readonly epochShare: number };
  }[];
  /** The `earlyTerminate` section as planned (epochs parameter resolved, rung epochs); absent without one. */
  readonly earlyTerminate?: EarlyTerminatePlan;
  readonly matches: number;
  readonly matchesByStage: Record<string, number>;
  readonly instructions: number;
  readonly orders: 1 | 2;
  readonly judgeCalls: number;
  /** The `confirm.judges` configs: second opinions on each base model's best trial against the baseline. */
  readonly confirmJudges: readonly string[];
  readonly commands: { readonly baseModel: string; readonly trial: string; readonly train: string[]; readonly generate: string[]; readonly evaluate?: string[] } | null;
  /** `evaluate` jobs after the tournaments, at most: per base model its `top` best trials and the baseline. */
  readonly evaluateJobs: number;
  /** Whether this machine has everything the jobs and the judge need (`problems` is empty). */
  readonly ready: boolean;
  /** What this machine lacks: programs, files, the judge's model, secrets, GPUs, each with its sweep-file line. */
  readonly problems: readonly PreflightProblem[];
}

/** `pandasweep validate`: checks a sweep file and its evaluation file and prints the plan without running anything. */
export const validateCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('validate')
      .description('Check a sweep file and print its plan: configurations per base model, blocks, matches per stage, judge calls and the first rendered commands.')
      .argument('<sweep>', 'sweep file (YAML)')
      .option('--json', 'print the plan as one JSON document')
      .addHelpText('after', `
Nothing is started: no Temporal, no database, no GPU. Every key, type and {{placeholder}} is
checked, and the evaluation file (relative to the sweep file's folder) is read. Then the preflight
that \`run\` makes: what this machine lacks for every trial's commands (a program not on PATH or not
in the job's folder, a file an argument names, the judge's model, an unset secret, more GPUs than
nvidia-smi finds) is listed with its line; that is no error here, since workers may run elsewhere.
Exit code 0 when the file is valid, 2 when it has problems (each printed as file:line:column).

Examples:
  $ pandasweep validate sweeps/demo.yaml
  $ pandasweep validate sweeps/pandalm-paper.yaml --json | jq '.baseModels[] | {id, trials}'`)
      .action(async (file: string, options: ValidateOptions) => ctx.setExitCode(await validateSweep(file, options, ctx)));
  },
};

async function validateSweep(file: string, options: ValidateOptions, ctx: CliContext): Promise<number> {
  const loaded = await loadSweepPlan(file, ctx.cwd);
  const { spec, plan, instructions } = loaded;
  const problems = await preflightSweep(loaded, { env: ctx.env, gpuCount: (await detectGpus()).length });
  const report: ValidateReport = { ...buildReport(plan, instructions.length, file, Object.keys(spec.parameters)), ready: problems.length === 0, problems };
  if (problems.length > 0) {
    // Not an error: on a cluster, what is missing here may exist where the workers run.
    ctx.stderr.write(`Note: this machine cannot run the sweep as it is (${problems.length === 1 ? '1 problem' : `${problems.length} problems`}); \`pandasweep run\` with its own worker would refuse to start:\n`);
    ctx.stderr.write(formatPreflightProblems(file, problems));
  }
  ctx.stdout.write(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, plan, ctx.cwd));
  return exitCodes.ok;
}

function buildReport(plan: SweepPlan, evalFileCount: number, file: string, parameters: string[]): Omit<ValidateReport, 'ready' | 'problems'> {
  const first = plan.baseModels[0];
  const trial = first?.trials[0];
  return {
    valid: true,
    file,
    sweepId: plan.sweepId,
    name: plan.name,
    method: plan.method,
    parameters,
    baseline: plan.baselineName,
    baseModels: plan.baseModels.map((baseModel) => {
      const baseline = baseModel.trials.find((t) => t.isBaseline);
      return {
        id: baseModel.id,
        trials: baseModel.trials.length,
        baselineKey: baseline?.key ?? null,
        baselineAdded: baseModel.baselineAdded,
        blocks: baseModel.blocks.map((keys, index) => ({ index, trials: keys.length })),
        matches: baseModel.matches.total,
        ...(plan.tournament.strategy === 'adaptive' && baseModel.earlyTermination === undefined ? { adaptive: adaptiveBudget(baseModel.trials.length, plan.tournament, plan.eval.count) } : {}),
        ...(baseModel.earlyTermination === undefined
          ? {}
          : { earlyTermination: { ...baseModel.earlyTermination, epochShare: baseModel.earlyTermination.fullEpochs === 0 ? 0 : baseModel.earlyTermination.maxEpochs / baseModel.earlyTermination.fullEpochs } }),
      };
    }),
    ...(plan.earlyTerminate === undefined ? {} : { earlyTerminate: plan.earlyTerminate }),
    matches: plan.counts.matches,
    matchesByStage: plan.counts.matchesByStage,
    instructions: plan.eval.count,
    orders: plan.judge.swap ? 2 : 1,
    judgeCalls: plan.counts.judgeCalls,
    confirmJudges: (plan.confirm?.judges ?? []).map((judge) => judge.config),
    evaluateJobs: plan.counts.evaluateJobs,
    commands:
      first === undefined || trial === undefined
        ? null
        : (() => {
            const context = previewRenderContext(plan, evalFileCount, first, trial);
            return {
              baseModel: first.id,
              trial: trial.key,
              train: renderArgv(plan.train.command, context(plan.train)),
              generate: renderArgv(plan.generate.command, context(plan.generate)),
              ...(plan.evaluate === undefined ? {} : { evaluate: renderArgv(plan.evaluate.command, context(plan.evaluate)) }),
            };
          })(),
  };
}

const plainArg = /^[\w\-+=.,/:@%]+$/;

function quoteArg(arg: string): string {
  return plainArg.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function formatReport(report: ValidateReport, plan: SweepPlan, cwd: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines: string[] = [];
  const t = plan.tournament;
  const tournament = t.strategy === 'blocks' ? `blocks (${t.blockBy === undefined ? `${t.blocks ?? 4} blocks` : `one block per ${t.blockBy.join(' x ')}`}, top ${t.advance} of each to the final)` : t.strategy;
  lines.push(`${report.file} is valid: sweep "${report.name}" (id ${report.sweepId})`);
  lines.push(`  method        ${report.method}, ${report.parameters.length} parameters: ${report.parameters.join(', ')}`);
  lines.push(`  baseline      ${report.baseline === null ? 'none' : `"${report.baseline}"`}`);
  lines.push(`  eval          ${n(report.instructions)} instructions from ${path.relative(cwd, plan.eval.file) || plan.eval.file}`);
  lines.push(`  judge         ${plan.judge.config}, ${plan.judge.mode} mode, ${plan.judge.swap ? `both orders (resolution: ${plan.judge.resolution})` : 'one order'}`);
  lines.push(`  tournament    ${tournament}${plan.earlyTerminate === undefined ? '' : ", over the finalists' checkpoints (their rung checkpoints too)"}`);
  const early = plan.earlyTerminate;
  if (early !== undefined) {
    const share = early.eta === Math.round(early.eta) ? `1/${early.eta}` : `1/${early.eta} share`;
    lines.push(`  early stop    ${early.type}: ${early.rungs.length === 1 ? 'a rung' : 'rungs'} at ${early.rungs.join(', ')} epoch${early.rungs.length === 1 && early.rungs[0] === 1 ? '' : 's'} (of ${early.epochsParameter}), the better ${share} of each goes on;`);
    lines.push(`                each checkpoint plays ${early.matches} match${early.matches === 1 ? '' : 'es'} of at most ${Math.min(early.instructions, report.instructions)} instructions at its rung${plan.baselineName === null ? '' : '; the baseline trains straight through'}`);
  }
  lines.push(`  concurrency   ${plan.concurrency.trials} trials, ${plan.concurrency.matches} judge activities at once`);
  lines.push('', 'Base models:');
  const width = Math.max(...report.baseModels.map((b) => b.id.length));
  for (const baseModel of report.baseModels) {
    const baseline = baseModel.baselineKey === null ? '' : baseModel.baselineAdded ? ', baseline added' : ', baseline among them';
    const sizes = baseModel.blocks.map((block) => block.trials).join(', ');
    const blocks = baseModel.earlyTermination === undefined ? ` ${baseModel.blocks.length} block${baseModel.blocks.length === 1 ? '' : 's'} [${sizes}];` : '';
    lines.push(`  ${baseModel.id.padEnd(width)}  ${n(baseModel.trials)} trials${baseline};${blocks} ${n(baseModel.matches)} matches`);
    const e = baseModel.earlyTermination;
    if (e !== undefined) {
      const rungs = e.rungs.map((r) => `${n(r.trials)} at ${r.epoch}`).join(' -> ');
      lines.push(
        `  ${''.padEnd(width)}  rungs ${rungs}; at most ${n(e.maxEpochs)} of the full grid's ${n(e.fullEpochs)} training epochs (${(e.epochShare * 100).toFixed(0)}%);`,
        `  ${''.padEnd(width)}  final of at most ${n(e.finalEntrants)} checkpoints`,
      );
    }
    const a = baseModel.adaptive;
    if (a !== undefined) {
      const levels = a.levels.map((l) => `${l.size} (${l.rounds} round${l.rounds === 1 ? '' : 's'} of ${l.instructions})`).join(' -> ');
      lines.push(
        `  ${''.padEnd(width)}  adaptive budget ${a.budget === null ? 'none (a round robin caps it)' : n(a.budget)}: at most ${n(a.matches)} matches, ${(a.shareOfRoundRobin * 100).toFixed(1)}% of a round robin;`,
        `  ${''.padEnd(width)}  Swiss rounds by field (instructions per match) ${levels || '(none)'}, final of ${a.finalSize}${a.truncated ? '; the budget is too small for one round per level, so it stops when used up' : ''}`,
      );
    }
  }
  lines.push('');
  const stages = Object.entries(report.matchesByStage).map(([stage, count]) => `${stage} ${n(count)}`).join(', ');
  const confirms = report.matchesByStage[confirmStage] ?? 0;
  lines.push(`Matches: ${n(report.matches)} (${stages})`);
  const extra = report.confirmJudges.length === 0 ? 0 : (confirms / (1 + report.confirmJudges.length)) * report.confirmJudges.length;
  if (confirms > 0) {
    const by = report.confirmJudges.length === 0 ? '' : `, by the tournament judge and again by ${report.confirmJudges.map(judgeLabel).join(', ')} (confirm.judges)`;
    lines.push(`  ${confirmStage}: after each tournament the best trial meets the baseline on every instruction (tuned vs default)${by}`);
  }
  const atMost =
    plan.tournament.strategy === 'adaptive'
      ? ' at most (matches stop early once decided)'
      : confirms > 0
        ? ' at most (the confirmation reuses what an earlier meeting judged)'
        : '';
  const orders = `${report.orders} order${report.orders === 1 ? '' : 's'}`;
  if (early !== undefined) {
    lines.push(`Judge calls: at most ${n(report.judgeCalls)} (rung matches stop early once decided; then the final over the finalists' checkpoints, ${orders})`);
    return `${lines.join('\n')}\n${formatTail(report, plan, cwd)}`;
  }
  const adaptive = report.baseModels.flatMap((b) => (b.adaptive === undefined ? [] : [b.adaptive]));
  // The adaptive strategy's early matches are shorter: count its instructions, not matches x instructions.
  const judged =
    adaptive.length === 0 ? (report.matches - extra) * report.instructions : adaptive.reduce((sum, a) => sum + a.instructionsJudged, 0) + (confirms - extra) * report.instructions;
  const own = judged * report.orders;
  const secondOpinions = extra === 0 ? '' : ` + ${n(report.judgeCalls - own)} by confirm.judges = ${n(report.judgeCalls)}`;
  const product =
    adaptive.length === 0
      ? `${n(report.matches - extra)} matches x ${n(report.instructions)} instructions x ${orders}`
      : `${n(judged)} instructions over ${n(report.matches - extra)} matches (the levels' capped ones, then every instruction) x ${orders}`;
  lines.push(`Judge calls: ${product} = ${n(own)}${secondOpinions}${atMost}`);
  return `${lines.join('\n')}\n${formatTail(report, plan, cwd)}`;
}

/** The evaluate jobs and the first rendered commands, the end of every plan. */
function formatTail(report: ValidateReport, plan: SweepPlan, cwd: string): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines: string[] = [];
  if (plan.evaluate !== undefined) {
    lines.push(`Evaluate jobs: at most ${n(report.evaluateJobs)} (per base model the top ${plan.evaluate.top} by rank${plan.baselineName === null ? '' : ' and the baseline'}, after its tournament)`);
  }
  if (report.commands !== null) {
    lines.push('', `First commands (${report.commands.baseModel}, trial ${report.commands.trial}):`);
    lines.push(`  train     ${report.commands.train.map(quoteArg).join(' ')}`);
    lines.push(`            ${describeJob(plan, plan.train, cwd)}`);
    lines.push(`  generate  ${report.commands.generate.map(quoteArg).join(' ')}`);
    lines.push(`            ${describeJob(plan, plan.generate, cwd)}`);
    if (report.commands.evaluate !== undefined && plan.evaluate !== undefined) {
      lines.push(`  evaluate  ${report.commands.evaluate.map(quoteArg).join(' ')}`);
      lines.push(`            ${describeJob(plan, plan.evaluate, cwd)}; after the tournament, on the top ${plan.evaluate.top} and the baseline`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function describeJob(plan: SweepPlan, job: JobSpec, cwd: string): string {
  const dir = path.relative(cwd, path.resolve(path.dirname(plan.file), job.workdir)) || '.';
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `in ${dir}, ${plural(job.gpus, 'GPU')}, timeout ${formatSeconds(job.timeout)}, ${plural(job.retries, 'retry').replace('retrys', 'retries')}`;
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
