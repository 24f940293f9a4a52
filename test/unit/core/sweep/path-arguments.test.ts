import { describe, expect, it } from 'vitest';
import { pathArguments } from '../../../../core/sweep/path-arguments.js';

describe('pathArguments', () => {
  it('finds the program, bare file arguments and --flag=value files', () => {
    expect(pathArguments(['../trainers/python', '../trainers/finetune.py', '--data_path=data/alpaca_data.json', '--seed=42'])).toEqual([
      { path: '../trainers/python', where: 'program' },
      { path: '../trainers/finetune.py', where: '../trainers/finetune.py' },
      { path: 'data/alpaca_data.json', where: '--data_path=data/alpaca_data.json' },
    ]);
  });

  it('leaves out Hugging Face ids, numbers, URLs, state-folder outputs and programs on the PATH', () => {
    expect(
      pathArguments([
        'python',
        '--model_name_or_path=huggyllama/llama-7b',
        '--model=EleutherAI/pythia-6.9b',
        '--learning_rate=0.00002',
        '--base_url=http://127.0.0.1:8080/v1/x.json',
        '--output=<state>/runs/s/m/t/responses.jsonl',
        '--lora_target_modules=q_proj,v_proj',
      ]),
    ).toEqual([]);
  });

  it('counts explicit relative paths without an extension, and a GGUF base model', () => {
    expect(pathArguments(['node', './bin/x', '--base_model=../models/SmolLM2-135M-Instruct.Q4_1.gguf'])).toEqual([
      { path: './bin/x', where: './bin/x' },
      { path: '../models/SmolLM2-135M-Instruct.Q4_1.gguf', where: '--base_model=../models/SmolLM2-135M-Instruct.Q4_1.gguf' },
    ]);
  });
});
