/**
 * NUL characters (U+0000) in user input (issue 7, bad input). A program's argv cannot carry one and
 * PostgreSQL text cannot store one, so a value holding it used to fail at run time on every retry of a
 * job or store activity. The sweep file, the evaluation file and `responses.jsonl` reject it up front,
 * naming the place.
 */
import { describe, expect, it } from 'vitest';
import { SweepFileError } from '../../../core/errors/sweep-file-error.js';
import { InvalidResponsesError } from '../../../core/jobs/invalid-responses-error.js';
import { validateResponses } from '../../../core/jobs/validate-responses.js';
import { parseEvalSet } from '../../../core/sweep/eval-set.js';
import { parseSweepSpec } from '../../../core/sweep/parse-sweep-spec.js';

const sweep = (values: string) => `name: nul
baseModels:
  - id: m
    path: toy://m
parameters:
  text:
    values: ${values}
train:
  command: [node, train.mjs, "{{args}}"]
generate:
  command: [node, gen.mjs, "--out={{trial.dir}}/responses.jsonl"]
eval:
  file: eval.jsonl
`;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('NUL characters', () => {
  it('in a sweep value: a SweepFileError naming the key path and line', () => {
    expect(parseSweepSpec(sweep('["a", "b"]'), 's.yaml').parameters.text?.values).toEqual(['a', 'b']);
    const error = thrown(() => parseSweepSpec(sweep('["a", "b\\0c"]'), 's.yaml'));
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).issues).toEqual([
      { path: ['parameters', 'text', 'values', 1], line: 7, column: expect.any(Number) as number, message: expect.stringContaining('NUL character') as string },
    ]);
    expect((error as Error).message).toContain('s.yaml:7:');
  });

  it('in a sweep key: reported too', () => {
    const error = thrown(() => parseSweepSpec(sweep('["a"]').replace('text:', '"te\\0xt":'), 's.yaml')) as SweepFileError;
    expect(error).toBeInstanceOf(SweepFileError);
    expect(error.issues[0]?.path).toEqual(['parameters', 'te\u0000xt']);
    expect(error.issues[0]?.message).toContain('NUL character');
  });

  it('in an evaluation instruction (JSONL and PandaLM JSON): a SweepFileError with the line', () => {
    const jsonl = [JSON.stringify({ id: 'a', instruction: 'fine' }), JSON.stringify({ id: 'b', instruction: 'x\u0000y' })].join('\n');
    const error = thrown(() => parseEvalSet(jsonl, 'eval.jsonl')) as SweepFileError;
    expect(error).toBeInstanceOf(SweepFileError);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^instruction: contains a NUL character/) as string });

    const array = `[\n  {"instruction": "fine", "input": ""},\n  {"instruction": "ok", "input": "in\\u0000put"}\n]`;
    const arrayError = thrown(() => parseEvalSet(array, 'eval.json')) as SweepFileError;
    expect(arrayError).toBeInstanceOf(SweepFileError);
    expect(arrayError.issues[0]).toMatchObject({ path: [1, 'input'], line: 3 });
  });

  it('in a response: an InvalidResponsesError with the line', () => {
    const text = [JSON.stringify({ id: 'a', response: 'ok' }), JSON.stringify({ id: 'b', response: 'nul \u0000 here' })].join('\n');
    const error = thrown(() => validateResponses(text, 'r.jsonl', ['a', 'b'])) as InvalidResponsesError;
    expect(error).toBeInstanceOf(InvalidResponsesError);
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^r\.jsonl:2: response for id "b" contains a NUL character/);
  });
});
