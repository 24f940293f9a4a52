// pandasweep judge-eval --testset <testset-v1.json> (--predictions <file> | --judge <cfg>) [--json]
import { judgeConfigDir } from '../../judges/judge-config-dir.js';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors/usage-error.js';
import { goldLabel, predictionsSchema, predictionVerdict, testsetRequest, testsetSchema } from '../../core/judge-eval/judge-eval-files.js';
import type { TestsetItem } from '../../core/judge-eval/judge-eval-files.js';
import { scoreJudge } from '../../core/judge-eval/score-judge.js';
import type { JudgeScore, ScoredItem } from '../../core/judge-eval/score-judge.js';
import { swapResponses } from '../../core/pandalm/build-prompt.js';
import { resolveOrders } from '../../core/pandalm/resolve-orders.js';
import { readJudgeConfig } from '../../judges/judge-config.js';
import { loadJudge } from '../../judges/load-judge.js';
import type { CliCommand, CliContext } from '../command.js';
import { positiveInteger } from '../parse-options.js';
import { readJsonFile } from '../read-json-file.js';

interface JudgeEvalFlags {
  testset: string;
  predictions?: string;
  judge?: string;
  limit?: number;
  json?: boolean;
}

async function scorePredictions(items: readonly TestsetItem[], path: string): Promise<ScoredItem[]> {
  const predictions = await readJsonFile(predictionsSchema, path, 'Predictions file');
  const byIdx = new Map(predictions.map((p) => [p.idx, predictionVerdict(p)]));
  return items.map((item) => {
    const predicted = byIdx.get(item.idx);
    if (predicted === undefined) throw new UsageError(`Predictions file ${path} has no verdict for idx ${item.idx}`);
    return { gold: goldLabel(item), predicted };
  });
}

async function scoreWithJudge(items: readonly TestsetItem[], name: string, ctx: CliContext): Promise<ScoredItem[]> {
  const config = await readJudgeConfig(name, { configDir: judgeConfigDir, baseDir: ctx.cwd });
  const judge = await loadJudge(config, { logger: (line) => ctx.stderr.write(`${line}\n`), env: ctx.env });
  try {
    // As many items in flight as a judge can serve concurrently; the llama backend queues the rest.
    const concurrency = config.backend === 'pandalm' ? config.sequences : 4;
    const scored: ScoredItem[] = new Array<ScoredItem>(items.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < items.length; index = next++) {
        const item = items[index]!;
        const request = testsetRequest(item);
        const first = await judge.judge(request, { mode: config.mode });
        if (!config.bothOrders) {
          scored[index] = { gold: goldLabel(item), predicted: first.verdict };
          continue;
        }
        const swapped = await judge.judge(swapResponses(request), { mode: config.mode });
        const probabilities = first.probabilities && swapped.probabilities ? { first: first.probabilities, swapped: swapped.probabilities } : undefined;
        scored[index] = {
          gold: goldLabel(item),
          predicted: resolveOrders(first.verdict, swapped.verdict, config.resolution, probabilities),
          orders: { first: first.verdict, swapped: swapped.verdict },
        };
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return scored;
  } finally {
    await judge.dispose();
  }
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}`;

/** Formats a judge score as the human-readable report printed without `--json`. */
export function formatJudgeScore(score: JudgeScore): string {
  const lines = [
    `n ${score.n}`,
    `accuracy ${pct(score.accuracy)}%   macro precision ${pct(score.macro.precision)}  recall ${pct(score.macro.recall)}  F1 ${pct(score.macro.f1)}`,
    `Cohen's kappa ${score.kappa.toFixed(4)}` + (score.orderConflictRate === null ? '' : `   order conflicts ${pct(score.orderConflictRate)}%`),
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
    program
      .command('judge-eval')
      .description("Score a judge against the human majority labels of PandaLM's test set")
      .requiredOption('--testset <file>', 'annotated test set (PandaLM testset-v1.json)')
      .option('--predictions <file>', "released verdicts to score (pandalm_result 0/1/2 or gpt_result '1'/'2'/'Tie')")
      .option('--judge <config>', 'run this judge (a name in configs/judges or a YAML path) on the test set')
      .option('--limit <n>', 'score only the first n items (for a quick look with a slow judge)', positiveInteger)
      .option('--json', 'print one JSON document: n, accuracy, macro, perLabel, confusion, kappa, orderConflictRate')
      .addHelpText(
        'after',
        `
Examples:
  $ pandasweep judge-eval --testset ../shared/data/pandalm/testset-v1.json \\
      --predictions ../shared/data/pandalm/pandalm-7b-testset-v1.json
  $ pandasweep judge-eval --testset data/testset-v1.json --judge pandalm-7b --limit 100 --json`,
      )
      .action(async (flags: JudgeEvalFlags) => {
        if ((flags.predictions === undefined) === (flags.judge === undefined)) {
          throw new UsageError('Pass exactly one of --predictions <file> and --judge <config>');
        }
        const testsetPath = resolve(ctx.cwd, flags.testset);
        let items = await readJsonFile(testsetSchema, testsetPath, 'Test set');
        if (flags.limit !== undefined) items = items.slice(0, flags.limit);
        const scored =
          flags.predictions !== undefined
            ? await scorePredictions(items, resolve(ctx.cwd, flags.predictions))
            : await scoreWithJudge(items, flags.judge ?? '', ctx);
        const score = scoreJudge(scored);
        ctx.stdout.write(flags.json ? `${JSON.stringify(score, null, 2)}\n` : formatJudgeScore(score));
        ctx.setExitCode(0);
      });
  },
};
