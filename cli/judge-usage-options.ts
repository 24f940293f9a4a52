/**
 * How `judge` and `judge-eval` use a judge: the mode, one order or both, and how both combine. A sweep
 * says this in its `judge:` section; these commands judge without a sweep, so they take it from their
 * flags, with the sweep's defaults (verdict mode, both orders, the paper's resolution). A judge config
 * names only the backend, the model and the format.
 */
import { Option, type Command } from 'commander';
import { UsageError } from '../core/errors/usage-error.js';
import { verdictModeProblemOf, type JudgeConfig } from '../judges/judge-config.js';
import { judgeResolutions, judgeSpecSchema, type JudgeSpec } from '../core/sweep/sweep-spec.js';

/** The mode, both orders (`swap`) and resolution a judge is used with, as a sweep's `judge:` section has them. */
export type JudgeUsage = Pick<JudgeSpec, 'mode' | 'swap' | 'resolution'>;

/** The flags {@link addJudgeUsageOptions} adds, as commander parses them. */
export interface JudgeUsageFlags {
  full?: boolean;
  oneOrder?: boolean;
  resolution?: JudgeSpec['resolution'];
}

const sweepDefaults = judgeSpecSchema.parse({});

/** Adds `--full`, `--one-order` and `--resolution <rule>` to a command. */
export function addJudgeUsageOptions(command: Command): Command {
  return command
    .option('--full', `generate the reason and reference too (full mode; default: ${sweepDefaults.mode} mode, as a sweep's judge.mode)`)
    .option('--one-order', "judge each pair in the order given only, not again with the responses swapped (a sweep's judge.swap: false)")
    .addOption(
      new Option('--resolution <rule>', `how both orders combine (a sweep's judge.resolution): paper turns an order conflict into a tie, first keeps the first order's verdict, probability averages both orders' first-token probabilities (default: ${sweepDefaults.resolution})`).choices(judgeResolutions),
    );
}

/** The usage the flags ask for, the sweep's defaults where a flag is not given. */
export function judgeUsageFromFlags(flags: JudgeUsageFlags): JudgeUsage {
  return {
    mode: flags.full === true ? 'full' : sweepDefaults.mode,
    swap: flags.oneOrder === true ? false : sweepDefaults.swap,
    resolution: flags.resolution ?? sweepDefaults.resolution,
  };
}

/** Refuses a usage the judge cannot serve, before any model loads: verdict mode on a format without labels, or probabilities from full mode. */
export function checkJudgeUsage(name: string, config: JudgeConfig, usage: JudgeUsage): void {
  const problem = usage.mode === 'verdict' ? verdictModeProblemOf(config) : undefined;
  if (problem !== undefined) throw new UsageError(`Judge ${name}: ${problem}.`, 'Pass --full.');
  if (usage.mode === 'full' && usage.swap && usage.resolution === 'probability') {
    throw new UsageError('--resolution probability averages first-token probabilities, which only verdict mode reads.', 'Drop --full, or pick --resolution paper or first.');
  }
}
