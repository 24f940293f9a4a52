/**
 * Preflight: checks what a sweep needs (core/sweep/sweep-requirements.ts) against this machine before
 * anything starts — programs on PATH or relative to the job's folder, the files the commands name, the
 * judge's model, secrets, GPUs — and reports each problem with the sweep file's line.
 */
import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import path from 'node:path';
import type { SweepFileIssue } from '../core/errors/sweep-file-error.js';
import { locateInYamlText } from '../core/sweep/locate-yaml-node.js';
import { sweepRequirements, type SweepRequirement } from '../core/sweep/sweep-requirements.js';
import type { LoadedSweep } from './load-sweep-plan.js';

/** Which check a problem failed. */
export type PreflightKind = 'program' | 'file' | 'secret' | 'gpus' | 'judge';

/** One thing this machine lacks for the sweep, located in the sweep file. */
export interface PreflightProblem extends SweepFileIssue {
  readonly kind: PreflightKind;
  /** The missing program, file (absolute), secret name, or GPU count asked for. */
  readonly subject: string;
}

/** What the checks compare against. */
export interface PreflightMachine {
  /** The environment jobs inherit (PATH, secrets). */
  readonly env: NodeJS.ProcessEnv;
  /** GPUs a worker on this machine can hand to jobs. */
  readonly gpuCount: number;
}

/** Runs every check and returns the problems found, in the order of their lines in the sweep file. */
export async function preflightSweep(loaded: LoadedSweep, machine: PreflightMachine): Promise<PreflightProblem[]> {
  const { plan, judge } = loaded;
  const sweepDir = path.dirname(plan.file);
  const problems: PreflightProblem[] = [];
  const report = (requirement: { readonly at: readonly (string | number)[] }, kind: PreflightKind, subject: string, message: string) => {
    const position = locateInYamlText(loaded.text, requirement.at);
    problems.push({ kind, subject, path: requirement.at, ...(position ?? {}), message });
  };
  for (const requirement of sweepRequirements(plan, loaded.instructions.length)) {
    const problem = await check(requirement, sweepDir, machine);
    if (problem !== undefined) report(requirement, requirement.kind, problem.subject, problem.message);
  }
  const judges = [
    { config: judge, name: plan.judge.config, at: ['judge', 'config'] },
    ...loaded.confirmJudges.map((config, index) => ({ config, name: plan.confirm?.judges[index]?.config ?? '', at: ['confirm', 'judges', index, 'config'] })),
  ];
  for (const { config, name, at } of judges) {
    if (config.backend === 'llama') {
      const why = await notAGguf(config.model);
      if (why !== undefined) report({ at }, 'judge', config.model, `the judge ${name} needs its model ${config.model}, which ${why}`);
    }
    if (config.backend === 'replay' && !(await canAccess(config.file, constants.R_OK))) {
      report({ at }, 'judge', config.file, `the judge ${name} replays verdicts from ${config.file}, which does not exist`);
    }
  }
  return problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}

async function check(requirement: SweepRequirement, sweepDir: string, machine: PreflightMachine): Promise<{ subject: string; message: string } | undefined> {
  switch (requirement.kind) {
    case 'program': {
      const { program } = requirement;
      if (!program.includes('/')) {
        if (await findOnPath(program, machine.env.PATH ?? '')) return undefined;
        return { subject: program, message: `the program "${program}" is not on PATH; install it, or give its path relative to the job folder` };
      }
      const file = path.resolve(sweepDir, requirement.workdir, program);
      if (!(await canAccess(file, constants.F_OK))) return { subject: file, message: `the program ${program} does not exist (looked for ${file})` };
      if (!(await canAccess(file, constants.X_OK))) return { subject: file, message: `the program ${file} may not be executed (chmod +x ${file})` };
      return undefined;
    }
    case 'file': {
      const file = path.resolve(sweepDir, requirement.workdir, requirement.file);
      if (await canAccess(file, constants.F_OK)) return undefined;
      return { subject: file, message: `${requirement.where} names ${file}, which does not exist` };
    }
    case 'secret':
      if (machine.env[requirement.name]) return undefined;
      return { subject: requirement.name, message: `the secret ${requirement.name} is not set in this environment (export ${requirement.name}=… where the workers run)` };
    case 'gpus': {
      if (requirement.count <= machine.gpuCount) return undefined;
      const has = machine.gpuCount === 0 ? 'none (nvidia-smi finds no GPU)' : String(machine.gpuCount);
      return { subject: String(requirement.count), message: `each ${requirement.job} job needs ${requirement.count} GPU${requirement.count === 1 ? '' : 's'}, this machine has ${has}; set gpus: 0 for CPU jobs, or run workers with GPUs elsewhere` };
    }
  }
}

async function findOnPath(program: string, searchPath: string): Promise<boolean> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir !== '' && (await canAccess(path.join(dir, program), constants.X_OK))) return true;
  }
  return false;
}

async function canAccess(file: string, mode: number): Promise<boolean> {
  try {
    await access(file, mode);
    return true;
  } catch {
    return false;
  }
}

// Reads the 4-byte magic only: a wrong file (an HTML error page saved as .gguf) fails here, not after
// hours of training when the judge loads it.
async function notAGguf(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 'does not exist';
  }
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    return bytesRead === 4 && magic.toString('latin1') === 'GGUF' ? undefined : 'is not a GGUF file (it does not start with "GGUF")';
  } finally {
    await handle.close();
  }
}

/** Formats problems as `file:line:column  path: message`, one per line, indented, as `SweepFileError` does. */
export function formatPreflightProblems(file: string, problems: readonly PreflightProblem[]): string {
  return problems
    .map((problem) => `  ${problem.line === undefined ? file : `${file}:${problem.line}:${problem.column ?? 1}`}  ${problem.path.join('.')}: ${problem.message}\n`)
    .join('');
}
