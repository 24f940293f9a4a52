import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SweepFileError } from '../core/errors/sweep-file-error.js';
import { UsageError } from '../core/errors/usage-error.js';
import { parseEvalSet, type EvalInstruction } from '../core/sweep/eval-set.js';
import { locateInYamlText } from '../core/sweep/locate-yaml-node.js';
import { parseSweepSpec } from '../core/sweep/parse-sweep-spec.js';
import { buildSweepPlan, type SweepPlan } from '../core/sweep/sweep-plan.js';
import type { JudgeSpec, SweepSpec } from '../core/sweep/sweep-spec.js';
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
  /** The `confirm.judges` configs, in order, read and validated. */
  readonly confirmJudges: readonly JudgeConfig[];
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
  const judge = await checkJudge(plan.judge, ['judge'], file, text, cwd);
  const confirmJudges: JudgeConfig[] = [];
  for (const [index, extra] of (plan.confirm?.judges ?? []).entries()) confirmJudges.push(await checkJudge(extra, ['confirm', 'judges', index], file, text, cwd));
  return { spec, text, plan, instructions, judge, confirmJudges };
}

// A misspelt judge name, or a judge that cannot answer in the mode asked, should fail now, not after
// hours of training. `at` is the judge's section in the sweep file (`judge`, `confirm.judges.0`).
async function checkJudge(settings: JudgeSpec, at: readonly (string | number)[], sweepFile: string, sweepText: string, cwd: string): Promise<JudgeConfig> {
  let judge: JudgeConfig;
  try {
    judge = await readJudgeConfig(settings.config, { configDir: judgeConfigDir, baseDir: cwd });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const position = locateInYamlText(sweepText, [...at, 'config']);
    throw new SweepFileError(sweepFile, [
      { path: [...at, 'config'], ...(position ?? {}), message: `${error.message}. ${error.hint ?? ''}`.trim() },
    ]);
  }
  const modeProblem = settings.mode === 'verdict' ? verdictModeProblemOf(judge) : undefined;
  if (modeProblem !== undefined) {
    // At `mode:` where the sweep says verdict, else at the judge it names (verdict being the default).
    const position = locateInYamlText(sweepText, [...at, 'mode']) ?? locateInYamlText(sweepText, [...at, 'config']) ?? locateInYamlText(sweepText, [...at]);
    throw new SweepFileError(sweepFile, [{ path: [...at, 'mode'], ...(position ?? {}), message: `judge ${settings.config}: ${modeProblem}` }]);
  }
  return judge;
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
