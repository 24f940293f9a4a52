/**
 * Writes the small toy-trainer sweeps the fault tests run: a 2x2 grid (4 trials, a 6-match round robin
 * over the demo's 10 instructions in both orders), slow enough to be caught mid-job, fast enough for a
 * 2-core machine. Its best trial is known in advance: the toy trainer's quality peaks at learning rate
 * 2e-5 and 3 epochs (toy/trainer.mjs), and both judges used here prefer the better model's answers.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { judgeSpecSchema, trainJobSchema } from '../../../core/sweep/sweep-spec.js';
import { repoRoot } from '../run-cli.js';

/** Options for {@link writeFaultSweep}. */
export interface FaultSweepOptions {
  /** Sweep name; unique per test, since it is the workflow id on a shared server. */
  readonly name: string;
  /** Training steps per trial. Defaults to `20`. */
  readonly steps?: number;
  /** Seconds slept per training step. Defaults to `0`. */
  readonly stepSleepSeconds?: number;
  /** Seconds slept per generated answer. Defaults to `0`. */
  readonly answerSleepSeconds?: number;
  /** Judge config name or path. Defaults to `demo` (the seeded simulated judge). */
  readonly judge?: string;
  /** Trials trained at once. Defaults to `2`. */
  readonly trials?: number;
  /** Matches judged at once. Defaults to `2`. */
  readonly matches?: number;
  /** Attempts after a job's first failed one; a killed worker costs one. Defaults to `3`. */
  readonly retries?: number;
  /** When set, an `evaluate` job (the toy's) scores the best trial after the tournament, taking this many seconds. */
  readonly evaluateSleepSeconds?: number;
  /**
   * Early termination instead of the 2x2 grid: 3 learning rates x 2 or 3 epochs, one rung at epoch 1
   * where each checkpoint plays 2 matches of 8 instructions, the better third (2) trained on.
   */
  readonly earlyTerminate?: boolean;
}

/** A written fault sweep. */
export interface FaultSweep {
  readonly file: string;
  /** The sweep id (`name` is already a slug). */
  readonly sweepId: string;
  readonly trials: number;
  readonly matches: number;
  readonly instructions: number;
  /** The parameters of the trial that must win. */
  readonly expectedBest: { readonly learning_rate: number; readonly epochs: number };
  /** How long a killed worker's activity stays claimed before Temporal retries it elsewhere, in ms. */
  readonly recoveryMs: number;
}

/** Seconds after which a dead worker's activity is retried, when the sweep file can say so. */
export const testHeartbeatTimeoutSeconds = 15;

/**
 * Whether sweep files accept `heartbeatTimeout` on jobs and on the judge. Without it, a SIGKILLed worker's
 * activities are retried only after the workflows' built-in heartbeat timeouts (1 min for jobs, 2 min for
 * matches), and the fault tests wait that long.
 */
export const heartbeatTimeoutConfigurable = {
  jobs: 'heartbeatTimeout' in trainJobSchema.shape,
  judge: 'heartbeatTimeout' in judgeSpecSchema.shape,
} as const;

const trainer = path.join(repoRoot, 'toy', 'trainer.mjs');
const evalFile = path.join(repoRoot, 'sweeps', 'data', 'demo-eval.jsonl');

/** Writes `<dir>/<name>.yaml` and describes it. */
export async function writeFaultSweep(dir: string, options: FaultSweepOptions): Promise<FaultSweep> {
  const { name, steps = 20, stepSleepSeconds = 0, answerSleepSeconds = 0, judge = 'demo', trials = 2, matches = 2, retries = 3, evaluateSleepSeconds, earlyTerminate = false } = options;
  const jobHeartbeat = heartbeatTimeoutConfigurable.jobs ? `\n  heartbeatTimeout: ${testHeartbeatTimeoutSeconds}s` : '';
  const judgeHeartbeat = heartbeatTimeoutConfigurable.judge ? `\n  heartbeatTimeout: ${testHeartbeatTimeoutSeconds}s` : '';
  const yaml = `name: ${name}
description: fault-injection sweep (test/faults)
baseModels:
  - id: toy-7b
    path: toy://toy-7b
method: grid
parameters:
  learning_rate:
    values: ${earlyTerminate ? '[2e-5, 1e-4, 5e-4]' : '[2e-5, 1e-4]'}
  epochs:
    values: ${earlyTerminate ? '[2, 3]' : '[1, 3]'}
${earlyTerminate ? 'earlyTerminate:\n  type: asha\n  minEpochs: 1\n  matches: 2\n  instructions: 8\n' : ''}train:
  command: ["node", ${JSON.stringify(trainer)}, "train", "--output-dir", "{{trial.checkpoint}}", "--steps", "${steps}", "--sleep", "${stepSleepSeconds}", ${earlyTerminate ? '"--stop-at-epoch", "{{trial.stopEpoch}}", ' : ''}"{{args}}"]
  gpus: 0
  timeout: 5m
  retries: ${retries}${jobHeartbeat}
generate:
  command: ["node", ${JSON.stringify(trainer)}, "generate", "--checkpoint", "{{trial.checkpoint}}", "--eval", "{{eval.file}}", "--output", "{{trial.dir}}/responses.jsonl", "--sleep", "${answerSleepSeconds}"]
  gpus: 0
  timeout: 5m
  retries: ${retries}${jobHeartbeat}
${
    evaluateSleepSeconds === undefined
      ? ''
      : `evaluate:
  command: ["node", ${JSON.stringify(trainer)}, "evaluate", "--checkpoint", "{{trial.checkpoint}}", "--output", "{{trial.evaluation}}", "--sleep", "${evaluateSleepSeconds}"]
  gpus: 0
  timeout: 5m
  retries: ${retries}${jobHeartbeat}
`
  }eval:
  file: ${JSON.stringify(evalFile)}
judge:
  config: ${JSON.stringify(judge)}${judgeHeartbeat}
tournament:
  strategy: round-robin
concurrency:
  trials: ${trials}
  matches: ${matches}
`;
  const file = path.join(dir, `${name}.yaml`);
  await writeFile(file, yaml);
  const jobRecovery = heartbeatTimeoutConfigurable.jobs ? testHeartbeatTimeoutSeconds : 60;
  const judgeRecovery = heartbeatTimeoutConfigurable.judge ? testHeartbeatTimeoutSeconds : 120;
  return {
    file,
    sweepId: name,
    trials: earlyTerminate ? 6 : 4,
    // Under early termination the match count depends on the judge; its invariants are checked per match.
    matches: earlyTerminate ? Number.NaN : 6,
    instructions: 10,
    expectedBest: { learning_rate: 2e-5, epochs: 3 },
    recoveryMs: Math.max(jobRecovery, judgeRecovery) * 1000,
  };
}
