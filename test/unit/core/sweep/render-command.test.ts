import { describe, expect, it } from 'vitest';
import { PlaceholderError } from '../../../../core/sweep/placeholder-error.js';
import { expandArgs, listPlaceholders, renderArgv, type RenderContext } from '../../../../core/sweep/render-command.js';

const context: RenderContext = {
  baseModel: { id: 'llama-7b', path: 'huggyllama/llama-7b', layers: 32 },
  params: { num_train_epochs: 3, learning_rate: 0.00002, optim: 'adamw_torch', bf16: true, note: 'two words; $(rm -rf /)' },
  trial: { id: 'abc123', dir: '/runs/s/llama-7b/abc123', checkpoint: '/runs/s/llama-7b/abc123/checkpoint', evaluation: '/runs/s/llama-7b/abc123/evaluation.json' },
  eval: { file: '/data/eval.json' },
  env: { HF_HOME: '/cache/hf' },
};

describe('renderArgv', () => {
  it('expands {{args}} to one --name=value element per parameter, sorted by name (golden)', () => {
    expect(renderArgv(['python', 'train.py', '{{args}}', '--seed=1'], context)).toEqual([
      'python',
      'train.py',
      '--bf16=true',
      '--learning_rate=0.00002',
      '--note=two words; $(rm -rf /)',
      '--num_train_epochs=3',
      '--optim=adamw_torch',
      '--seed=1',
    ]);
  });

  it('substitutes placeholders inside larger arguments textually (golden)', () => {
    expect(
      renderArgv(
        ['--model={{baseModel.path}}', '{{ baseModel.layers }}', '--out={{trial.dir}}/responses.jsonl', '{{trial.checkpoint}}', '--id={{trial.id}}', '{{eval.file}}', '{{env.HF_HOME}}/x', '--lr={{params.learning_rate}},{{params.optim}}'],
        context,
      ),
    ).toEqual([
      '--model=huggyllama/llama-7b',
      '32',
      '--out=/runs/s/llama-7b/abc123/responses.jsonl',
      '/runs/s/llama-7b/abc123/checkpoint',
      '--id=abc123',
      '/data/eval.json',
      '/cache/hf/x',
      '--lr=0.00002,adamw_torch',
    ]);
  });

  it('keeps a value with spaces and shell syntax as one argument (no shell ever sees it)', () => {
    const argv = renderArgv(['echo', '{{params.note}}'], context);
    expect(argv).toHaveLength(2);
    expect(argv[1]).toBe('two words; $(rm -rf /)');
  });

  it('does not re-expand placeholders that appear inside substituted values', () => {
    const argv = renderArgv(['{{params.note}}'], { ...context, params: { note: '{{trial.id}}' } });
    expect(argv).toEqual(['{{trial.id}}']);
  });

  it('throws PlaceholderError for names the context cannot fill', () => {
    expect(() => renderArgv(['{{params.missing}}'], context)).toThrow(PlaceholderError);
    expect(() => renderArgv(['{{baseModel.template}}'], context)).toThrow('Cannot render {{baseModel.template}}');
    expect(() => renderArgv(['--x={{args}}'], context)).toThrow('{{args}} must be a whole argument');
    expect(() => renderArgv(['{{trial.path}}'], context)).toThrow(PlaceholderError);
  });

  it('renders an empty parameter set as no extra arguments', () => {
    expect(expandArgs({})).toEqual([]);
    expect(renderArgv(['run', '{{args}}'], { ...context, params: {} })).toEqual(['run']);
  });
});

describe('listPlaceholders', () => {
  it('lists names with their argv index, trimmed, and whether they stand alone', () => {
    expect(listPlaceholders(['a', '{{args}}', '--x={{ params.lr }}/{{trial.dir}}'])).toEqual([
      { argIndex: 1, name: 'args', token: '{{args}}', standalone: true },
      { argIndex: 2, name: 'params.lr', token: '{{ params.lr }}', standalone: false },
      { argIndex: 2, name: 'trial.dir', token: '{{trial.dir}}', standalone: false },
    ]);
  });

  it('reports unclosed and empty braces as malformed', () => {
    const uses = listPlaceholders(['{{trial.dir', 'x}}', '{{}}']);
    expect(uses.map((use) => [use.argIndex, use.token, use.malformed])).toEqual([
      [0, '{{', true],
      [1, '}}', true],
      [2, '{{}}', true],
    ]);
  });
});
