// pandasweep rank --testset <testset-v1.json> [--predictions <verdict file>] [--seed N] [--bootstrap N] [--json]
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { goldLabel, predictionVerdict, testsetItemSchema } from '../../core/judge-eval/judge-eval-files.js';
import type { Verdict } from '../../core/judging/judge-types.js';
import { computeStandings, type Standing } from '../../core/tournament/standings.js';
import type { MatchRecord } from '../../core/tournament/types.js';
import type { CliCommand, CliContext } from '../command.js';
import { integer, nonNegativeInteger } from '../parse-options.js';
import { readJsonFile } from '../read-json-file.js';
import { readPredictionsFor } from '../read-predictions.js';

/** A test-set item with the two models it compares: `cmp_key` is `modelA_modelB`, response 1 is modelA's. */
const rankItemSchema = testsetItemSchema.extend({
  cmp_key: z.string().regex(/^[^_]+_[^_]+$/, 'expected "modelA_modelB"'),
});
const rankTestsetSchema = z.array(rankItemSchema).min(1);
type RankItem = z.infer<typeof rankItemSchema>;

/** One model pair's record (instruction level). */
export interface RankPair {
  readonly a: string;
  readonly b: string;
  readonly aWins: number;
  readonly bWins: number;
  readonly ties: number;
}

/** One model's standing; `wins`/`losses`/`ties` count judged items, `match*` count model pairs won. */
export interface RankStanding {
  readonly model: string;
  readonly rank: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  readonly score: number;
  readonly rating: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly matchWins: number;
  readonly matchLosses: number;
  readonly matchTies: number;
  readonly points: number;
}

/** What `rank --json` prints. */
export interface RankReport {
  /** `human` (majority of the three annotators) or the predictions file. */
  readonly source: string;
  /** Items ranked: the test set's, or those the predictions file covers. */
  readonly items: number;
  /** Items in the test set. */
  readonly testsetItems: number;
  readonly pairs: RankPair[];
  readonly standings: RankStanding[];
}

interface RankFlags {
  testset: string;
  predictions?: string;
  seed: number;
  bootstrap: number;
  json?: boolean;
}

/**
 * Ranks the models of PandaLM's test set from pairwise verdicts (one per item, `verdicts` keyed by
 * `idx`): each model pair is one match, each item one instruction, and the tournament's standings code
 * does the rest (points, head-to-head, Bradley–Terry with bootstrap intervals over instructions).
 */
export function rankModels(items: readonly RankItem[], verdicts: ReadonlyMap<number, Verdict>, options: { seed: number; bootstrap: number }): Omit<RankReport, 'source' | 'testsetItems'> {
  const matches = new Map<string, { a: string; b: string; aWins: number; bWins: number; ties: number; perInstruction: { instructionId: string; scoreA: number }[] }>();
  for (const item of items) {
    const [a, b] = item.cmp_key.split('_') as [string, string];
    const verdict = verdicts.get(item.idx) ?? 0;
    const match = matches.get(item.cmp_key) ?? { a, b, aWins: 0, bWins: 0, ties: 0, perInstruction: [] };
    if (verdict === 1) match.aWins++;
    else if (verdict === 2) match.bWins++;
    else match.ties++;
    // Items sharing an instruction resample together: the bootstrap draws instructions, not items.
    match.perInstruction.push({ instructionId: JSON.stringify([item.instruction, item.input]), scoreA: verdict === 1 ? 1 : verdict === 2 ? 0 : 0.5 });
    matches.set(item.cmp_key, match);
  }
  const records: MatchRecord[] = [...matches].map(([id, m]) => ({ id, stage: 'round-robin', block: null, ...m }));
  const models = [...new Set(records.flatMap((m) => [m.a, m.b]))].sort();
  const { standings } = computeStandings({ entrants: models, matches: records, ...options });
  return {
    items: items.length,
    pairs: records.map(({ a, b, aWins, bWins, ties }) => ({ a, b, aWins, bWins, ties })),
    standings: standings.map(toRankStanding),
  };
}

function toRankStanding(s: Standing): RankStanding {
  return {
    model: s.trial, rank: s.rank,
    wins: s.instructionWins, losses: s.instructionLosses, ties: s.instructionTies,
    score: s.score, rating: s.rating, ciLow: s.ciLow, ciHigh: s.ciHigh,
    matchWins: s.wins, matchLosses: s.losses, matchTies: s.ties, points: s.points,
  };
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
