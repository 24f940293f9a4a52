// pandasweep rank --testset <testset-v1.json> [--predictions <verdict file>] [--seed N] [--bootstrap N] [--json]
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { goldLabel, predictionVerdict } from '../../core/judge-eval/judge-eval-files.js';
import { rankModels, rankTestsetSchema, type RankItem, type RankReport } from '../../core/judge-eval/rank-models.js';
import type { Verdict } from '../../core/judging/judge-types.js';
import type { CliCommand, CliContext } from '../command.js';
import { integer, nonNegativeInteger } from '../parse-options.js';
import { readJsonFile } from '../read-json-file.js';
import { readPredictionsFor } from '../read-predictions.js';

interface RankFlags {
  testset: string;
  predictions?: string;
  seed: number;
  bootstrap: number;
  json?: boolean;
}

/** Formats a rank report as two tables that fit in 100 columns. */
export function formatRankReport(report: RankReport): string {
  const cut = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text).padEnd(width);
  const num = (x: number, width: number, digits = 0) => x.toFixed(digits).padStart(width);
  const covered = report.items === report.testsetItems ? '' : ` (of the test set's ${report.testsetItems})`;
  const lines = [`Ranking from ${report.source} verdicts on ${report.items} items${covered}`, '', 'Standings', `${'#'.padStart(3)}  ${cut('model', 24)}  ${'pts'.padStart(4)}  ${'W'.padStart(5)}  ${'L'.padStart(5)}  ${'T'.padStart(5)}  ${'score'.padStart(6)}  ${'rating'.padStart(6)}  ${'95% CI'.padStart(13)}`];
  for (const s of report.standings) {
    lines.push(`${num(s.rank, 3)}  ${cut(s.model, 24)}  ${num(s.points, 4, 1)}  ${num(s.wins, 5)}  ${num(s.losses, 5)}  ${num(s.ties, 5)}  ${num(s.score, 6, 3)}  ${num(s.rating, 6)}  ${`${s.ciLow.toFixed(0)}–${s.ciHigh.toFixed(0)}`.padStart(13)}`);
  }
  lines.push('', 'Pairs (A is response 1)', `${cut('A', 24)}  ${cut('B', 24)}  ${'A wins'.padStart(6)}  ${'B wins'.padStart(6)}  ${'ties'.padStart(5)}`);
  for (const p of report.pairs) lines.push(`${cut(p.a, 24)}  ${cut(p.b, 24)}  ${num(p.aWins, 6)}  ${num(p.bWins, 6)}  ${num(p.ties, 5)}`);
  return `${lines.join('\n')}\n`;
}

/** `pandasweep rank`: ranks the models of a recorded pairwise test set with the tournament's standings. */
export const rankCommand: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('rank')
      .description("Rank the models of PandaLM's test set from human labels or a judge's released verdicts")
      .requiredOption('--testset <file>', 'annotated test set with cmp_key (PandaLM testset-v1.json)')
      .option('--predictions <file>', "a judge's verdicts by idx (pandalm_result 0/1/2, gpt_result '1'/'2'/'Tie', or a judge-eval --save file); default: human majority")
      .option('--seed <n>', 'bootstrap seed', integer, 0)
      .option('--bootstrap <n>', 'bootstrap resamples behind the rating intervals', nonNegativeInteger, 1000)
      .option('--json', 'print one JSON document: { source, items, testsetItems, pairs: [...], standings: [...] }')
      .addHelpText(
        'after',
        `
Each model pair (cmp_key "modelA_modelB", response 1 is modelA's) is one match and each item one
instruction. Standings: match points, then head-to-head, then the Bradley–Terry rating (Elo scale,
1000 = average) with a bootstrap interval over instructions; W/L/T count items. Human labels are
the majority of annotator1..3 (no majority counts as a tie). A --predictions file ranks the items it
covers (all 999 for PandaLM's released files, the first n for judge-eval --limit n --save).

Examples:
  $ pandasweep rank --testset sweeps/data/pandalm-testset-v1.json
  $ pandasweep rank --testset sweeps/data/pandalm-testset-v1.json \\
      --predictions sweeps/data/pandalm-7b-testset-v1.json --json`,
      )
      .action(async (flags: RankFlags) => {
        const { seed, bootstrap } = flags;
        const testsetPath = resolve(ctx.cwd, flags.testset);
        const testset = await readJsonFile(rankTestsetSchema, testsetPath, 'Test set');
        let items: readonly RankItem[] = testset;
        let verdicts: Map<number, Verdict>;
        let source = 'human';
        if (flags.predictions === undefined) {
          verdicts = new Map(items.map((item) => [item.idx, goldLabel(item)]));
        } else {
          const path = resolve(ctx.cwd, flags.predictions);
          const joined = await readPredictionsFor(testset, testsetPath, path);
          items = joined.map(({ item }) => item);
          verdicts = new Map(joined.map(({ item, prediction }) => [item.idx, predictionVerdict(prediction)]));
          source = flags.predictions;
        }
        const report: RankReport = { source, testsetItems: testset.length, ...rankModels(items, verdicts, { seed, bootstrap }) };
        ctx.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatRankReport(report));
        ctx.setExitCode(0);
      });
  },
};
