import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SweepFileError } from '../core/errors/sweep-file-error.js';
import { UsageError } from '../core/errors/usage-error.js';
import { parseEvalSet, type EvalInstruction } from '../core/spec/eval-set.js';
import { locateInYamlText } from '../core/spec/locate-yaml-node.js';
import { parseSweepSpec } from '../core/spec/parse-sweep-spec.js';
import { buildSweepPlan, type SweepPlan } from '../core/spec/sweep-plan.js';
import type { SweepSpec } from '../core/spec/sweep-spec.js';
import { judgeConfigDir } from '../judges/judge-config-dir.js';
import { readJudgeConfig, verdictModeProblemOf, type JudgeConfig } from '../judges/judge-config.js';

/** A sweep file read, validated and planned, with every path in it made absolute. */
export interface LoadedSweep {
  readonly spec: SweepSpec;
  /** The sweep file's text, to locate problems found later (preflight) by line. */
  readonly text: string;
  readonly plan: SweepPlan;
  readonly instructions: readonly EvalInstruction[];
  /** The judge config the sweep names, read and validated. */
  readonly judge: JudgeConfig;
}

/**
 * Reads and validates a sweep file (`file`, relative to `cwd`) and its evaluation instructions, and
 * returns the plan a workflow runs. A missing sweep file is a `UsageError`; an invalid one, or one whose
 * evaluation file cannot be read, a `SweepFileError` that names the file, line and field.
 */
export async function loadSweepPlan(file: string, cwd: string): Promise<LoadedSweep> {
  const absolute = path.resolve(cwd, file);
  const text = await readSweepFile(absolute, file);
  const spec = parseSweepSpec(text, file);
  const evalFile = path.resolve(path.dirname(absolute), spec.eval.file);
  const evalText = await readEvalFile(evalFile, file, text);
  const instructions = parseEvalSet(evalText, path.relative(cwd, evalFile) || evalFile);
  const plan = buildSweepPlan(spec, { file: absolute, evalCount: instructions.length });
  const judge = await checkJudgeConfig(plan.judge.config, file, text, cwd);
  const modeProblem = plan.judge.mode === 'verdict' ? verdictModeProblemOf(judge) : undefined;
  if (modeProblem !== undefined) {
    // At `mode:` where the sweep says verdict, else at the judge it names (verdict being the default).
    const position = locateInYamlText(text, ['judge', 'mode']) ?? locateInYamlText(text, ['judge', 'config']) ?? locateInYamlText(text, ['judge']);
    throw new SweepFileError(file, [{ path: ['judge', 'mode'], ...(position ?? {}), message: `judge ${plan.judge.config}: ${modeProblem}` }]);
  }
  return { spec, text, plan, instructions, judge };
}

// A misspelt judge name should fail now, not after hours of training.
async function checkJudgeConfig(config: string, sweepFile: string, sweepText: string, cwd: string): Promise<JudgeConfig> {
  try {
    return await readJudgeConfig(config, { configDir: judgeConfigDir, baseDir: cwd });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const position = locateInYamlText(sweepText, ['judge', 'config']);
    throw new SweepFileError(sweepFile, [
      { path: ['judge', 'config'], ...(position ?? {}), message: `${error.message}. ${error.hint ?? ''}`.trim() },
    ]);
  }
}

async function readSweepFile(absolute: string, shown: string): Promise<string> {
  try {
    return await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Cannot read the sweep file ${shown}${code === 'ENOENT' ? ': no such file' : `: ${(error as Error).message}`}.`,
      `Check the path; the shipped sweeps are in sweeps/ (e.g. \`pandasweep validate sweeps/demo.yaml\`).`,
    );
  }
}

async function readEvalFile(evalFile: string, sweepFile: string, sweepText: string): Promise<string> {
  try {
    return await readFile(evalFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const position = locateInYamlText(sweepText, ['eval', 'file']);
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new SweepFileError(sweepFile, [
      { path: ['eval', 'file'], ...(position ?? {}), message: `cannot read the evaluation file ${evalFile} (${reason}); paths are relative to the sweep file's folder` },
    ]);
  }
}
