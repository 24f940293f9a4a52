/** The `earlyTerminate` section: defaults, the plan's rungs and bounds, and every located error. */
import { describe, expect, it } from 'vitest';
import { SweepFileError, type SweepFileIssue } from '../../../../core/errors/sweep-file-error.js';
import { parseSweepSpec } from '../../../../core/sweep/parse-sweep-spec.js';
import { buildSweepPlan } from '../../../../core/sweep/sweep-plan.js';

const file = '/sweeps/early.yaml';

function sweep(earlyTerminate: string, options: { epochs?: string; train?: string; extra?: string } = {}): string {
  return [
    'name: early',
    'baseModels:',
    '  - id: tiny',
    'parameters:',
    '  learning_rate:',
    '    values: [1e-5, 2e-5, 5e-5]',
    '  num_train_epochs:',
    `    values: ${options.epochs ?? '[2, 3, 4]'}`,
    'train:',
    `  command: ${options.train ?? '[python, finetune.py, "--stop_at_epoch={{trial.stopEpoch}}", "{{args}}"]'}`,
    'generate:',
    '  command: [python, generate.py, "--checkpoint={{trial.checkpoint}}", "--output={{trial.dir}}/responses.jsonl"]',
    'eval:',
    '  file: eval.jsonl',
    ...(options.extra === undefined ? [] : [options.extra]),
    earlyTerminate,
  ].join('\n');
}

function issues(text: string): SweepFileIssue[] {
  try {
    parseSweepSpec(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepFileError);
    return [...(error as SweepFileError).issues];
  }
  throw new Error('parsed without errors');
}

const located = (list: readonly SweepFileIssue[]) => list.map((i) => `${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`);

describe('earlyTerminate', () => {
  it('takes W&B-like defaults and plans its rungs, their sizes and the epochs it can spend', () => {
    const spec = parseSweepSpec(sweep('earlyTerminate:\n  type: hyperband'), file);
    expect(spec.earlyTerminate).toEqual({ type: 'hyperband', minEpochs: 1, eta: 3, matches: 6, instructions: 64 });
    const plan = buildSweepPlan(spec, { file, evalCount: 20 });
    expect(plan.earlyTerminate).toMatchObject({ epochsParameter: 'num_train_epochs', rungs: [1, 3] });
    const counts = plan.baseModels[0]!.earlyTermination!;
    // Nine trials reach epoch 1; three go on, the longest (4 epochs) to the rung at 3; one of those goes on.
    expect(counts.rungs.map((r) => [r.epoch, r.trials, r.promoted])).toEqual([[1, 9, 3], [3, 3, 1]]);
    expect(counts.fullEpochs).toBe(27);
    // 9 x 1, then 3 x 2 more (to 3), then 1 more (to 4).
    expect(counts.maxEpochs).toBe(16);
    expect(plan.baseModels[0]!.blocks).toEqual([]);
    expect(plan.baseModels[0]!.matches.byStage).toMatchObject({ 'rung-1': 9 * 6, 'rung-2': 3 * 2 });
  });

  it('counts a baseline as trained straight through', () => {
    const spec = parseSweepSpec(sweep('earlyTerminate:\n  type: asha', { extra: 'baseline:\n  name: defaults\n  params: {learning_rate: 1e-4, num_train_epochs: 3}' }), file);
    const counts = buildSweepPlan(spec, { file, evalCount: 20 }).baseModels[0]!.earlyTermination!;
    expect(counts.fullEpochs).toBe(30);
    expect(counts.maxEpochs).toBe(16 + 3);
    expect(counts.rungs[0]!.trials).toBe(9);
  });

  it.each([
    ['a W&B key', 'earlyTerminate:\n  type: hyperband\n  min_iter: 2', '17:3 earlyTerminate.min_iter: unknown key "min_iter" (W&B\'s and Ray\'s name; pandasweep calls it minEpochs)'],
    ['a Ray key', 'earlyTerminate:\n  type: asha\n  reduction_factor: 2', "17:3 earlyTerminate.reduction_factor: unknown key \"reduction_factor\" (W&B's and Ray's name; pandasweep calls it eta)"],
    ['an unknown type', 'earlyTerminate:\n  type: median', '16:9 earlyTerminate.type: expected one of "asha", "hyperband", got "median"'],
    ['a reduction factor of 1', 'earlyTerminate:\n  type: asha\n  eta: 1', '17:8 earlyTerminate.eta: expected a number > 1, got 1'],
    ['an unknown epochs parameter', 'earlyTerminate:\n  type: asha\n  epochs: num_epochs', '17:11 earlyTerminate.epochs: unknown parameter "num_epochs"; expected the parameter that holds each trial\'s epochs, one of learning_rate, num_train_epochs'],
  ])('rejects %s with its line', (_what, section, expected) => {
    const found = located(issues(sweep(section)));
    expect(found.some((line) => line.startsWith(expected)), found.join('\n')).toBe(true);
  });

  it('needs every trial to train at least minEpochs, and some longer', () => {
    const short = located(issues(sweep('earlyTerminate:\n  type: asha\n  minEpochs: 2', { epochs: '[1, 3]' })));
    expect(short.some((l) => l.startsWith('8:14 parameters.num_train_epochs.values.0: expected a number of epochs of at least earlyTerminate.minEpochs (2), got 1')), short.join('\n')).toBe(true);
    const none = located(issues(sweep('earlyTerminate:\n  type: asha\n  minEpochs: 3', { epochs: '[2, 3]' })));
    expect(none.some((l) => l.includes('earlyTerminate.minEpochs: every trial trains at most 3 epochs')), none.join('\n')).toBe(true);
  });

  it('needs the train command to stop at the rung, and the stop epoch only with earlyTerminate', () => {
    const missing = located(issues(sweep('earlyTerminate:\n  type: asha', { train: '[python, finetune.py, "{{args}}"]' })));
    expect(missing.some((l) => l.startsWith('10:12 train.command: early termination stops each training job at its rung: add an argument with {{trial.stopEpoch}}')), missing.join('\n')).toBe(true);
    const without = located(issues(sweep('')));
    expect(without.some((l) => l.includes('train.command.2: {{trial.stopEpoch}} is the epoch an early-terminated trial\'s training stops at; it needs an `earlyTerminate` section')), without.join('\n')).toBe(true);
  });
});
