import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SweepFileError } from '../../../../core/errors/sweep-file-error.js';
import { parseEvalSet } from '../../../../core/sweep/eval-set.js';
import { shippedSweeps } from '../../../support/spec-fixtures.js';

function issues(text: string) {
  try {
    parseEvalSet(text, 'eval.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SweepFileError);
    return (error as SweepFileError).issues.map((issue) => ({ line: issue.line, message: issue.message }));
  }
  throw new Error('parsed without errors');
}

describe('parseEvalSet', () => {
  it("reads PandaLM's JSON array with index ids and ignores motivation_app", () => {
    const text = JSON.stringify([
      { motivation_app: 'A', instruction: 'Do x.', input: 'ctx' },
      { motivation_app: 'B', instruction: 'Do y.', input: '' },
    ]);
    expect(parseEvalSet(text, 'f.json')).toEqual([
      { id: '0', instruction: 'Do x.', input: 'ctx' },
      { id: '1', instruction: 'Do y.', input: '' },
    ]);
  });

  it('reads JSONL with ids, blank lines and a missing input', () => {
    expect(parseEvalSet('{"id": "q1", "instruction": "Hi", "input": "x"}\n\n{"id": 7, "instruction": "Yo"}\n', 'f.jsonl')).toEqual([
      { id: 'q1', instruction: 'Hi', input: 'x' },
      { id: '7', instruction: 'Yo', input: '' },
    ]);
  });

  it('reads the shipped evaluation files: 170 paper instructions and 10 demo ones', () => {
    const paper = parseEvalSet(readFileSync(path.join(shippedSweeps, 'data/pandalm-testset-inference-v1.json'), 'utf8'), 'paper');
    expect(paper).toHaveLength(170);
    expect(paper[169]?.id).toBe('169');
    const demo = parseEvalSet(readFileSync(path.join(shippedSweeps, 'data/demo-eval.jsonl'), 'utf8'), 'demo');
    expect(demo.map((item) => item.id)).toEqual(Array.from({ length: 10 }, (_, i) => `demo-${i}`));
  });

  it('reports malformed items with their line numbers', () => {
    expect(issues('[\n  {"instruction": "ok", "input": ""},\n  {"input": "no instruction"}\n]')).toEqual([{ line: 3, message: 'instruction: expected string, got undefined' }]);
    expect(issues('{"id": "a", "instruction": "x"}\n{"id": "b", "instruction": ""}\n')).toEqual([{ line: 2, message: 'instruction: expected a non-empty instruction' }]);
    expect(issues('{"id": "a", "instruction": "x"}\n{"instruction": "no id"}\n')).toEqual([{ line: 2, message: 'id: expected an `id` (string or integer)' }]);
    expect(issues('{"id": "a", "instruction": "x"}\n{"id": "b", "instruction": \n')[0]).toMatchObject({ line: 2, message: expect.stringMatching(/^invalid JSON: /) });
    expect(issues('[{"instruction": "x"},\n 3]')).toEqual([{ line: 2, message: 'expected an object with instruction and input, got number' }]);
  });

  it('rejects duplicate ids, naming the first occurrence', () => {
    expect(issues('{"id": "a", "instruction": "x"}\n{"id": "b", "instruction": "y"}\n{"id": "a", "instruction": "z"}\n')).toEqual([{ line: 3, message: 'duplicate id "a" (first on line 1)' }]);
  });

  it('rejects an empty set and broken JSON arrays', () => {
    expect(issues('\n\n')).toEqual([{ line: 1, message: expect.stringMatching(/^no instructions/) }]);
    expect(issues('[]')).toEqual([{ line: 1, message: expect.stringMatching(/^no instructions/) }]);
    expect(issues('[\n {"instruction": "x",\n')[0]?.message).toMatch(/^invalid JSON: /);
  });
});

describe('parseEvalSet errors', () => {
  it('say the evaluation file is what is invalid', () => {
    const error = (() => {
      try {
        parseEvalSet('{"id": 1}\n', 'eval.jsonl');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SweepFileError);
    expect((error as SweepFileError).kind).toBe('evaluation file');
    expect((error as Error).message.startsWith('Invalid evaluation file eval.jsonl')).toBe(true);
  });
});
