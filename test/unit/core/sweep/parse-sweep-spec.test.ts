import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SweepFileError, type SweepFileIssue } from '../../../../core/errors/sweep-file-error.js';
import { parseSweepSpec } from '../../../../core/sweep/parse-sweep-spec.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/sweeps');

function parseFixture(relative: string) {
  const file = path.join(fixtures, relative);
  return parseSweepSpec(readFileSync(file, 'utf8'), file);
}

function issuesOf(relative: string): readonly SweepFileIssue[] {
  try {
    parseFixture(relative);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepFileError);
    const sweepError = error as SweepFileError;
    expect(sweepError.file).toBe(path.join(fixtures, relative));
    return sweepError.issues;
  }
  throw new Error(`${relative} parsed without errors`);
}

describe('parseSweepSpec on valid files', () => {
  it('applies the documented defaults to a minimal sweep', () => {
    const spec = parseFixture('valid/minimal.yaml');
    expect(spec.method).toBe('grid');
    expect(spec.seed).toBe(0);
    expect(spec.judge).toEqual({ config: 'pandalm-7b', mode: 'verdict', swap: true, resolution: 'paper', heartbeatTimeout: 120 });
    expect(spec.concurrency).toEqual({ trials: 2, matches: 2 });
    expect(spec.tournament.strategy).toBe('blocks');
    expect(spec.train).toMatchObject({ gpus: 1, timeout: 24 * 3600, retries: 2, heartbeatTimeout: 60, workdir: '.', env: {} });
    expect(spec.generate).toMatchObject({ gpus: 1, timeout: 2 * 3600, retries: 2 });
    // YAML 1.2 reads 1e-5 as a number (YAML 1.1 parsers read it as a string).
    expect(spec.parameters.learning_rate?.values).toEqual([0.00001, 0.00002]);
  });

  it('reads every section of a full random sweep', () => {
    const spec = parseFixture('valid/random.yaml');
    expect(spec.method).toBe('random');
    expect(spec.count).toBe(6);
    expect(spec.train.timeout).toBe(5400);
    expect(spec.generate.timeout).toBe(90);
    expect(spec.train.env).toEqual({ HF_TOKEN: { secret: true }, MODE: 'offline', RETRIES: '3' });
    expect(spec.train.command[3]).toBe('--template={{ baseModel.template }}');
    expect(spec.judge).toEqual({ config: './judges/custom.yaml', mode: 'full', swap: false, resolution: 'paper', heartbeatTimeout: 120 });
    expect(spec.tournament).toMatchObject({ strategy: 'blocks', blockBy: ['optimizer'], advance: 2 });
    expect(spec.baseModels.map((b) => b.template)).toEqual(['alpaca', 'vicuna']);
  });

  it('accepts the shipped sweeps', () => {
    for (const name of ['demo.yaml', 'pandalm-paper.yaml']) {
      const file = path.resolve(fixtures, '../../../sweeps', name);
      expect(() => parseSweepSpec(readFileSync(file, 'utf8'), file)).not.toThrow();
    }
  });
});

interface BadCase {
  readonly file: string;
  readonly path: readonly (string | number)[];
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly message: RegExp;
}

// Positions are 1-based and point at the offending value, key or placeholder (see each fixture).
const badCases: readonly BadCase[] = [
  // The missing `]` is noticed where the next key starts.
  { file: 'yaml-syntax', path: [], line: 12, column: 1, message: /^YAML syntax error: Flow sequence .* end with a \]$/ },
  { file: 'duplicate-yaml-key', path: [], line: 14, column: 1, message: /^YAML syntax error: Map keys must be unique/ },
  { file: 'unknown-top-key', path: ['paramters'], line: 5, column: 1, message: /^unknown key "paramters"; did you mean "parameters"\?; expected one of: name, description,/ },
  { file: 'unknown-nested-key', path: ['train', 'comand'], line: 11, column: 3, message: /^unknown key "comand"; did you mean "command"\?/ },
  { file: 'wrong-type-gpus', path: ['train', 'gpus'], line: 11, column: 9, message: /^expected a number, got "two"$/ },
  { file: 'wrong-type-name', path: ['name'], line: 1, column: 7, message: /^expected a string, got a list$/ },
  { file: 'missing-eval', path: ['eval'], line: 1, column: 1, message: /^missing required key "eval" \(expected a mapping\)$/ },
  { file: 'method-typo', path: ['method'], line: 5, column: 9, message: /^expected one of "grid", "random", got "gird"; did you mean "grid"\?$/ },
  { file: 'random-without-count', path: ['method'], line: 5, column: 9, message: /^method `random` needs `count`/ },
  { file: 'count-with-grid', path: ['count'], line: 5, column: 8, message: /^`count` only applies to `method: random`/ },
  { file: 'empty-values', path: ['parameters', 'epochs', 'values'], line: 9, column: 13, message: /^empty grid: `values` needs at least one value$/ },
  { file: 'empty-parameters', path: ['parameters'], line: 5, column: 13, message: /^empty grid: `parameters` needs at least one parameter$/ },
  { file: 'duplicate-base-model', path: ['baseModels', 2, 'id'], line: 6, column: 9, message: /^duplicate base model id "tiny" \(also baseModels\.0\.id\)/ },
  { file: 'baseline-unknown-param', path: ['baseline', 'params', 'learning_rte'], line: 13, column: 5, message: /^baseline names unknown parameter "learning_rte"; did you mean "learning_rate"\?/ },
  { file: 'baseline-missing-param', path: ['baseline', 'params'], line: 13, column: 5, message: /^baseline must set "epochs"/ },
  { file: 'misspelt-param-placeholder', path: ['train', 'command', 2], line: 11, column: 36, message: /^unknown placeholder \{\{params\.learning_rte\}\}; did you mean \{\{params\.learning_rate\}\}\?$/ },
  { file: 'misspelt-root-placeholder', path: ['train', 'command', 2], line: 11, column: 39, message: /^unknown placeholder \{\{baseModle\.path\}\}; did you mean \{\{baseModel\.path\}\}\?$/ },
  { file: 'undeclared-env-placeholder', path: ['train', 'command', 2], line: 11, column: 39, message: /^unknown placeholder \{\{env\.HF_TOKEN\}\}; available: none \(declare it under train\.env\)$/ },
  { file: 'args-inside-string', path: ['train', 'command', 2], line: 11, column: 37, message: /^\{\{args\}\} must be a whole argv element on its own/ },
  { file: 'unclosed-placeholder', path: ['generate', 'command', 2], line: 13, column: 35, message: /^malformed placeholder "\{\{": write placeholders as \{\{name\}\}/ },
  { file: 'missing-base-field', path: ['train', 'command', 2], line: 14, column: 42, message: /^\{\{baseModel\.template\}\}: base model other has no field "template"$/ },
  { file: 'grid-distribution', path: ['parameters', 'epochs', 'distribution'], line: 9, column: 19, message: /^grid search needs `values` or `value`/ },
  { file: 'bad-timeout', path: ['train', 'timeout'], line: 11, column: 12, message: /^expected a duration such as "12h", "30m", "90s" or a number of seconds, got "12 hours"$/ },
  { file: 'secret-typo', path: ['train', 'env', 'HF_TOKEN'], line: 12, column: 15, message: /^expected a string, or `\{secret: true\}`/ },
  { file: 'strategy-typo', path: ['tournament', 'strategy'], line: 17, column: 13, message: /got "round_robin"; did you mean "round-robin"\?$/ },
  { file: 'other-strategy-option', path: ['tournament', 'budget'], line: 19, column: 3, message: /^unknown key "budget" for strategy "blocks": "budget" only applies to strategy "adaptive"; expected one of: strategy, blocks, blockBy, advance, seed, bootstrap$/ },
  { file: 'strategy-option-typo', path: ['tournament', 'rouns'], line: 18, column: 3, message: /^unknown key "rouns" for strategy "swiss"; did you mean "rounds"\?; expected one of: strategy, rounds, seed, bootstrap$/ },
  { file: 'block-by-unknown', path: ['tournament', 'blockBy', 1], line: 18, column: 21, message: /^unknown parameter "optim"; expected one of learning_rate, epochs$/ },
  { file: 'zero-concurrency', path: ['concurrency', 'trials'], line: 17, column: 11, message: /^expected a number >= 1, got 0$/ },
  { file: 'bad-base-model-id', path: ['baseModels', 0, 'id'], line: 3, column: 9, message: /^expected an id of letters, digits.*got "tiny model"$/ },
  { file: 'parameter-two-forms', path: ['parameters', 'epochs', 'values'], line: 9, column: 13, message: /^give only one of `value`, `values` or a distribution \(found value and values\)$/ },
  { file: 'probabilities-mismatch', path: ['parameters', 'epochs', 'probabilities'], line: 10, column: 20, message: /^expected 3 probabilities \(one per value\), got 2$/ },
  { file: 'top-level-list', path: [], line: 1, column: 1, message: /^expected a mapping with name, baseModels, .* got a list$/ },
  { file: 'empty-file', path: [], line: 1, column: 1, message: /got an empty document$/ },
];

describe('parseSweepSpec on invalid files', () => {
  it.each(badCases)('$file: reports the problem at its line and column', ({ file, path: keyPath, line, column, message }) => {
    const issues = issuesOf(`invalid/${file}.yaml`);
    const issue = issues.find((candidate) => JSON.stringify(candidate.path) === JSON.stringify(keyPath) && message.test(candidate.message));
    expect(issue, `issues were:\n${issues.map((i) => `${i.line}:${i.column} ${i.path.join('.')}: ${i.message}`).join('\n')}`).toBeDefined();
    expect({ line: issue?.line, column: issue?.column }).toEqual({ line, column });
  });

  it('collects every problem of a file instead of stopping at the first', () => {
    const issues = issuesOf('invalid/unknown-nested-key.yaml');
    expect(issues.map((issue) => issue.path.join('.'))).toEqual(['train.command', 'train.comand']);
    expect(issues[0]?.message).toBe('missing required key "command" (expected a list)');
  });

  it('reads an evaluate job with its defaults, and checks its placeholders and confirm judges like the rest', () => {
    const file = path.join(fixtures, 'valid/minimal.yaml');
    const minimal = readFileSync(file, 'utf8');
    const withEvaluate = `${minimal}\nevaluate:\n  command: [lm_eval, "--model_args=peft={{trial.checkpoint}}", "--output_path={{trial.evaluation}}"]\n`;
    const spec = parseSweepSpec(withEvaluate, file);
    expect(spec.evaluate).toMatchObject({ top: 1, gpus: 1, timeout: 2 * 3600, retries: 2, workdir: '.', env: {} });
    expect(spec.confirm).toEqual({ judges: [] });
    const issuesFor = (text: string): SweepFileIssue[] => {
      try {
        parseSweepSpec(text, file);
      } catch (error) {
        return [...(error as SweepFileError).issues];
      }
      return [];
    };
    const misspelt = issuesFor(withEvaluate.replace('{{trial.evaluation}}', '{{trial.evalution}}'));
    expect(misspelt.map((i) => [i.path.join('.'), i.message])).toEqual([['evaluate.command.2', 'unknown placeholder {{trial.evalution}}; did you mean {{trial.evaluation}}?']]);
    expect(issuesFor(`${withEvaluate}  top: 0\n`).map((i) => i.path.join('.'))).toEqual(['evaluate.top']);
    // A second opinion by the tournament's own judge is no second opinion.
    const same = issuesFor(`${minimal}\nconfirm:\n  judges:\n    - config: pandalm-7b\n`);
    expect(same.map((i) => i.path.join('.'))).toEqual(['confirm.judges', 'confirm.judges.0.config']);
    expect(same[1]?.message).toBe('judge "pandalm-7b" is already the tournament judge (judge.config); a second opinion needs another judge config');
  });

  it('refuses a heartbeat timeout shorter than two job heartbeats, at its line', () => {
    const file = path.join(fixtures, 'valid/minimal.yaml');
    const text = readFileSync(file, 'utf8').replace('  command: [node, train.mjs', '  heartbeatTimeout: 5s\n  command: [node, train.mjs');
    let caught: unknown;
    try {
      parseSweepSpec(text, file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SweepFileError);
    const issue = (caught as SweepFileError).issues.find((i) => i.path.join('.') === 'train.heartbeatTimeout');
    expect(issue?.message).toMatch(/at least 10s/);
    expect(issue?.line).toBe(12);
    expect(parseSweepSpec(text.replace('heartbeatTimeout: 5s', 'heartbeatTimeout: 90s'), file).train.heartbeatTimeout).toBe(90);
  });

  it('refuses a base model id or a sweep name too long to name folders, at its line', () => {
    const file = path.join(fixtures, 'valid/minimal.yaml');
    const original = readFileSync(file, 'utf8');
    const id = /- id: (\S+)/.exec(original)![1]!;
    const text = original.replace(`- id: ${id}`, `- id: ${'m'.repeat(300)}`).replace(/^name: .*$/m, `name: ${'n'.repeat(64)}`);
    let caught: unknown;
    try {
      parseSweepSpec(text, file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SweepFileError);
    const issues = (caught as SweepFileError).issues;
    expect(issues.map((i) => [i.path.join('.'), i.line])).toEqual([
      ['name', 2],
      ['baseModels.0.id', text.split('\n').findIndex((line) => line.includes('m'.repeat(300))) + 1],
    ]);
    expect(issues[1]?.message).toMatch(/at most 63 characters \(it names folders/);
    // 63 characters are fine.
    expect(parseSweepSpec(text.replace('m'.repeat(300), 'm'.repeat(63)).replace('n'.repeat(64), 'n'.repeat(63)), file).baseModels[0]?.id).toHaveLength(63);
  });

  it('lists the strategies for a misspelt strategy, and reads a section without one as `blocks`', () => {
    expect(issuesOf('invalid/strategy-typo.yaml')[0]?.message).toBe(
      'expected one of "round-robin", "blocks", "knockout", "swiss", "adaptive", got "round_robin"; did you mean "round-robin"?',
    );
    const file = path.join(fixtures, 'invalid/other-strategy-option.yaml');
    const text = readFileSync(file, 'utf8').replace('  strategy: blocks\n', '');
    let caught: unknown;
    try {
      parseSweepSpec(text, file);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SweepFileError);
    expect((caught as SweepFileError).issues).toEqual([
      expect.objectContaining({ path: ['tournament', 'budget'], line: 18, column: 3, message: expect.stringMatching(/^unknown key "budget" for strategy "blocks": /) }),
    ]);
    expect(parseSweepSpec(text.replace('  budget: 40\n', ''), file).tournament).toEqual({ strategy: 'blocks', blocks: 2, advance: 1, seed: 0, bootstrap: 1000 });
  });

  it('formats the error as file:line:column lines an editor can follow', () => {
    const file = path.join(fixtures, 'invalid/method-typo.yaml');
    expect(() => parseSweepSpec(readFileSync(file, 'utf8'), file)).toThrow(`${file}:5:9  method: expected one of "grid", "random", got "gird"`);
  });
});
