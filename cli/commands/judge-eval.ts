// pandasweep judge-eval --testset <testset> (--predictions <file> | --judge <cfg> [--save <file>] [--full] [--one-order] [--resolution rule]) [--limit n] [--json]
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { goldLabel, predictionOrders, predictionVerdict, testsetSchema, type TestsetItem } from '../../core/judge-eval/judge-eval-files.js';
import { scoreJudge } from '../../core/judge-eval/score-judge.js';
import type { JudgeScore, ScoredItem } from '../../core/judge-eval/score-judge.js';
import { judgeConfigDir } from '../../judges/judge-config-dir.js';
import { readJudgeConfig } from '../../judges/judge-config.js';
import { loadJudge } from '../../judges/load-judge.js';
import type { CliCommand, CliContext } from '../command.js';
import { judgeTestset } from '../judge-testset.js';
import { addJudgeUsageOptions, checkJudgeUsage, judgeUsageFromFlags, type JudgeUsage, type JudgeUsageFlags } from '../judge-usage-options.js';
import { positiveInteger } from '../parse-options.js';
import { readJsonFile } from '../read-json-file.js';
import { readPredictionsFor } from '../read-predictions.js';

interface JudgeEvalFlags extends JudgeUsageFlags {
  testset: string;
  predictions?: string;
  judge?: string;
  save?: string;
  limit?: number;
  json?: boolean;
}

/** How long a judge took over the test set; only for `--judge`. */
export interface JudgeTiming {
  readonly judgments: number;
  readonly seconds: number;
}

/** What `judge-eval --json` prints: the score, plus the timing when a judge ran. */
export type JudgeEvalReport = JudgeScore & { readonly timing?: JudgeTiming };

/**
 * Scores a verdict file against the test set: the items it covers (all of them for PandaLM's released
 * files, the first n for a `--save` of a `--limit n` run), then the first `limit` of those.
 */
async function scorePredictions(testset: readonly TestsetItem[], testsetPath: string, path: string, limit: number | undefined): Promise<ScoredItem[]> {
  const joined = await readPredictionsFor(testset, testsetPath, path);
  return joined.slice(0, limit).map(({ item, prediction }) => {
    const orders = predictionOrders(prediction);
    return { gold: goldLabel(item), predicted: predictionVerdict(prediction), ...(orders === undefined ? {} : { orders }) };
  });
}

async function scoreWithJudge(items: readonly TestsetItem[], name: string, usage: JudgeUsage, save: string | undefined, ctx: CliContext): Promise<{ scored: ScoredItem[]; timing: JudgeTiming }> {
  const config = await readJudgeConfig(name, { configDir: judgeConfigDir, baseDir: ctx.cwd });
  checkJudgeUsage(name, config, usage);
  const judge = await loadJudge(config, { logger: (line) => ctx.stderr.write(`${line}\n`), env: ctx.env });
  try {
    const step = Math.max(1, Math.round(items.length / 10));
    const run = await judgeTestset(items, judge, usage, {
      // As many items in flight as a judge can serve concurrently; the llama backend queues the rest.
      concurrency: config.backend === 'llama' ? config.sequences : 4,
      onProgress: (done, total) => {
        if (done % step === 0 || done === total) ctx.stderr.write(`judged ${done}/${total} items\n`);
      },
    });
    if (save !== undefined) {
      // PandaLM's released files are 4-space-indented JSON arrays; the saved file reads like one.
      await writeFile(save, `${JSON.stringify(run.records, null, 4)}\n`, 'utf8');
      ctx.stderr.write(`saved ${run.records.length} verdicts to ${save}\n`);
    }
    return { scored: run.scored, timing: { judgments: run.judgments, seconds: run.seconds } };
  } finally {
    await judge.dispose();
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}`;

/** Formats a judge score as the human-readable report printed without `--json`. */
export function formatJudgeScore(score: JudgeEvalReport): string {
  const lines = [
    `n ${score.n}`,
    `accuracy ${pct(score.accuracy)}%   macro precision ${pct(score.macro.precision)}  recall ${pct(score.macro.recall)}  F1 ${pct(score.macro.f1)}`,
    `Cohen's kappa ${score.kappa.toFixed(4)}` + (score.orderConflictRate === null ? '' : `   order conflicts ${pct(score.orderConflictRate)}%`),
    ...(score.positionBias === null
      ? []
      : [`position bias: first shown wins ${pct(score.positionBias.first)}%, second ${pct(score.positionBias.second)}%, tie ${pct(score.positionBias.tie)}% of ${score.positionBias.judgments} judgments`]),
    ...(score.timing === undefined
      ? []
      : [`judged in ${score.timing.seconds.toFixed(1)} s: ${score.timing.judgments} judgments, ${(score.timing.judgments / Math.max(score.timing.seconds, 1e-9)).toFixed(2)} per second`]),
    '',
    'label  precision  recall    F1  support',
  ];
  for (const [label, name] of [['0', 'tie'], ['1', '1'], ['2', '2']] as const) {
    const s = score.perLabel[label];
    lines.push(`${name.padEnd(5)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)}  ${pct(s.f1).padStart(5)}  ${String(s.support).padStart(7)}`);
  }
  lines.push('', 'confusion (rows gold, columns judge: tie 1 2)');
  for (const [index, row] of score.confusion.entries()) lines.push(`${['tie', '1  ', '2  '][index]}  ${row.map((c) => String(c).padStart(5)).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** `pandasweep judge-eval`: scores a judge (released verdicts or a configured judge) against human labels. */
export const judgeEvalCommand: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    const command = program
      .command('judge-eval')
      .description("Score a judge against the human majority labels of PandaLM's test set")
      .requiredOption('--testset <file>', 'annotated test set (PandaLM testset-v1.json: sweeps/data/pandalm-testset-v1.json)')
      .option('--predictions <file>', "verdicts to score, by idx (pandalm_result 0/1/2, gpt_result '1'/'2'/'Tie', or a --save file)")
      .option('--judge <config>', 'run this judge (a name in configs/judges or a YAML path) on the test set')
      .option('--save <file>', "with --judge: write its verdicts per item, both orders' answers and probabilities included, in PandaLM's format")
      .option('--limit <n>', 'score only the first n items (for a quick look with a slow judge)', positiveInteger)
      .option('--json', 'print one JSON document: n, accuracy, macro, perLabel, confusion, kappa, orderConflictRate, positionBias, timing');
    addJudgeUsageOptions(command)
      .addHelpText(
        'after',
        `
A --predictions file scores the test-set items it covers (then the first --limit of them). A --save
file is PandaLM's released format (idx, pandalm_result, pandalm_reason, pandalm_reference) with the
judge's answer per order added: "first" (the annotated order) and "swapped" (responses swapped),
each with "result" in its own prompt's labels and "probabilities" where the backend reports them.
--predictions, rank --predictions and the replay backend (backend: replay, file: ...) read it back.
Position bias and order conflicts need both orders judged. With --judge, --full, --one-order and
--resolution say how the judge is used, as a sweep's judge: section does (defaults: verdict mode,
both orders, the paper's resolution); a judge config names only the backend, model and format.

Examples:
  $ pandasweep judge-eval --testset sweeps/data/pandalm-testset-v1.json \\
      --predictions sweeps/data/pandalm-7b-testset-v1.json
  $ pandasweep judge-eval --testset sweeps/data/pandalm-testset-v1.json \\
      --judge smollm2 --resolution probability --limit 200 --save smollm2-verdicts.json
  $ pandasweep judge-eval --testset sweeps/data/pandalm-testset-v1.json \\
      --judge pandalm-7b-released --one-order
  $ pandasweep rank --testset sweeps/data/pandalm-testset-v1.json \\
      --predictions smollm2-verdicts.json`,
      )
      .action(async (flags: JudgeEvalFlags) => {
        if ((flags.predictions === undefined) === (flags.judge === undefined)) {
          throw new UsageError('Pass exactly one of --predictions <file> and --judge <config>');
        }
        if (flags.save !== undefined && flags.judge === undefined) {
          throw new UsageError('--save writes the verdicts of a judge that runs: pass it with --judge <config>');
        }
        const usageFlags = (['full', 'oneOrder', 'resolution'] as const).filter((flag) => flags[flag] !== undefined);
        if (usageFlags.length > 0 && flags.judge === undefined) {
          const names = usageFlags.map((flag) => ({ full: '--full', oneOrder: '--one-order', resolution: '--resolution' })[flag]);
          throw new UsageError(`${names.join(', ')} say${names.length === 1 ? 's' : ''} how a judge that runs is used: pass ${names.length === 1 ? 'it' : 'them'} with --judge <config>`);
        }
        const testsetPath = resolve(ctx.cwd, flags.testset);
        const testset = await readJsonFile(testsetSchema, testsetPath, 'Test set');
        let report: JudgeEvalReport;
        if (flags.predictions !== undefined) {
          report = scoreJudge(await scorePredictions(testset, testsetPath, resolve(ctx.cwd, flags.predictions), flags.limit));
        } else {
          const items = testset.slice(0, flags.limit);
          const save = flags.save === undefined ? undefined : resolve(ctx.cwd, flags.save);
          const { scored, timing } = await scoreWithJudge(items, flags.judge ?? '', judgeUsageFromFlags(flags), save, ctx);
          report = { ...scoreJudge(scored), timing };
        }
        ctx.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatJudgeScore(report));
        ctx.setExitCode(0);
      });
  },
};
