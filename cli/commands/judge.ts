// pandasweep judge --instruction .. [--input ..] --response1 .. --response2 .. [--judge cfg] [--full] [--one-order] [--resolution rule] [--json]
import { judgeConfigDir } from '../../judges/judge-config-dir.js';
import type { Command } from 'commander';
import type { JudgeRequest, JudgeResult } from '../../core/judging/judge-types.js';
import { resolveOrders, swapResponses } from '../../core/judging/resolve-orders.js';
import { readJudgeConfig } from '../../judges/judge-config.js';
import { loadJudge } from '../../judges/load-judge.js';
import type { CliCommand, CliContext } from '../command.js';
import { addJudgeUsageOptions, checkJudgeUsage, judgeUsageFromFlags, type JudgeUsageFlags } from '../judge-usage-options.js';

interface JudgeFlags extends JudgeUsageFlags {
  instruction: string;
  input: string;
  response1: string;
  response2: string;
  judge: string;
  json?: boolean;
}

const verdictName = (verdict: number): string => (verdict === 0 ? 'Tie' : `response ${verdict}`);

function describeOrder(name: string, result: JudgeResult): string[] {
  const lines = [`${name}: ${verdictName(result.verdict)} (${result.latencyMs.toFixed(0)} ms)`];
  const p = result.probabilities;
  if (p !== undefined) lines.push(`  P(1) ${p.one.toFixed(4)}  P(2) ${p.two.toFixed(4)}  P(Tie) ${p.tie.toFixed(4)}`);
  if (result.scores !== undefined) lines.push(`  Scores: ${result.scores[0]} and ${result.scores[1]}`);
  if (result.reason !== undefined) lines.push(`  Reason: ${result.reason}`);
  if (result.reference !== undefined) lines.push(`  Reference: ${result.reference}`);
  return lines;
}

/** `pandasweep judge`: judges one pair of responses with a configured judge, in both orders. */
export const judgeCommand: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    const command = program
      .command('judge')
      .description('Judge one pair of responses with a configured judge (both orders unless --one-order)')
      .requiredOption('--instruction <text>', 'the task')
      .option('--input <text>', 'the task input, if any', '')
      .requiredOption('--response1 <text>', 'the first response')
      .requiredOption('--response2 <text>', 'the second response')
      .option('--judge <config>', 'judge config: a name in configs/judges or a YAML path (smollm2 is the small real model the set-up fetches)', 'smollm2')
      .option('--json', 'print one JSON document');
    addJudgeUsageOptions(command)
      .addHelpText(
        'after',
        `
Examples:
  $ pandasweep judge --instruction "Say hi." --response1 "Hello!" --response2 "Go away." \\
      --judge smollm2 --resolution probability
  $ pandasweep judge --instruction "Add 2+2" --response1 4 --response2 5 --judge pandalm-7b --full`,
      )
      .action(async (flags: JudgeFlags) => {
        const config = await readJudgeConfig(flags.judge, { configDir: judgeConfigDir, baseDir: ctx.cwd });
        const { mode, swap, resolution } = judgeUsageFromFlags(flags);
        checkJudgeUsage(flags.judge, config, { mode, swap, resolution });
        const judge = await loadJudge(config, { logger: (line) => ctx.stderr.write(`${line}\n`), env: ctx.env });
        try {
          const request: JudgeRequest = { instruction: flags.instruction, input: flags.input, response1: flags.response1, response2: flags.response2 };
          const first = await judge.judge(request, { mode });
          const swapped = swap ? await judge.judge(swapResponses(request), { mode }) : undefined;
          const probabilities = first.probabilities && swapped?.probabilities ? { first: first.probabilities, swapped: swapped.probabilities } : undefined;
          const verdict = swapped === undefined ? first.verdict : resolveOrders(first.verdict, swapped.verdict, resolution, probabilities);
          if (flags.json) {
            ctx.stdout.write(`${JSON.stringify({ judge: judge.id, mode, resolution, verdict, first, swapped: swapped ?? null }, null, 2)}\n`);
          } else {
            const lines = [`verdict: ${verdictName(verdict)}${swapped === undefined ? '' : ` (both orders, rule: ${resolution})`}`];
            lines.push(...describeOrder('original order', first));
            if (swapped !== undefined) lines.push(...describeOrder('swapped order (labels of the swapped prompt)', swapped));
            ctx.stdout.write(`${lines.join('\n')}\n`);
          }
          ctx.setExitCode(0);
        } finally {
          await judge.dispose();
        }
      });
  },
};
