import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSweepPlan } from '../../../../core/sweep/sweep-plan.js';
import { sweepRequirements } from '../../../../core/sweep/sweep-requirements.js';
import { loadSpec, shippedSweeps } from '../../../support/spec-fixtures.js';

describe('sweepRequirements', () => {
  it('lists each program, file, secret and GPU need of the paper preset once, with the node that asks for it', () => {
    const file = path.join(shippedSweeps, 'pandalm-paper.yaml');
    const requirements = sweepRequirements(buildSweepPlan(loadSpec(file), { file, evalCount: 170 }), 170);
    // 400 trials render the same programs and files: each is listed once.
    expect(requirements.filter((r) => r.kind === 'program')).toEqual([
      { kind: 'program', job: 'train', program: '../trainers/python', workdir: '.', at: ['train', 'command', 0] },
      { kind: 'program', job: 'generate', program: '../trainers/python', workdir: '.', at: ['generate', 'command', 0] },
    ]);
    expect(requirements.filter((r) => r.kind === 'file').map((r) => (r.kind === 'file' ? [r.job, r.file] : []))).toEqual([
      ['train', '../trainers/finetune.py'],
      ['train', 'data/alpaca_data.json'],
      ['generate', '../trainers/generate.py'],
      ['generate', path.join(shippedSweeps, 'data/pandalm-testset-inference-v1.json')],
    ]);
    expect(requirements.filter((r) => r.kind === 'secret').map((r) => r.at)).toEqual([
      ['train', 'env', 'HF_TOKEN'],
      ['generate', 'env', 'HF_TOKEN'],
    ]);
    expect(requirements.filter((r) => r.kind === 'gpus')).toEqual([
      { kind: 'gpus', job: 'train', count: 1, at: ['train', 'gpus'] },
      { kind: 'gpus', job: 'generate', count: 1, at: ['generate', 'gpus'] },
    ]);
  });

  it('points a file that comes from a base model field at that field, not at the command', () => {
    const file = path.join(shippedSweeps, 'smollm2-lora.yaml');
    const requirements = sweepRequirements(buildSweepPlan(loadSpec(file), { file, evalCount: 58 }), 58);
    const model = requirements.filter((r) => r.kind === 'file' && r.file.endsWith('.gguf'));
    expect(model.map((r) => [r.job, r.at])).toEqual([
      ['train', ['baseModels', 0, 'path']],
      ['generate', ['baseModels', 0, 'path']],
      ['evaluate', ['baseModels', 0, 'path']],
    ]);
    // The evaluate job's held-out data is an input too, checked like the training data.
    expect(requirements.filter((r) => r.kind === 'file' && r.file === 'data/tuning-train.json').map((r) => r.job)).toEqual(['train', 'evaluate']);
    // No GPU asked for, so none is required; outputs under the state folder are not inputs.
    expect(requirements.some((r) => r.kind === 'gpus')).toBe(false);
    expect(requirements.some((r) => r.kind === 'file' && r.file.includes('<state>'))).toBe(false);
  });
});
