import { describe, expect, it } from 'vitest';
import { InvalidResponsesError } from '../../../../core/jobs/invalid-responses-error.js';
import { validateResponses } from '../../../../core/jobs/validate-responses.js';

const ids = ['0', '1', '2'];
const line = (id: unknown, response: unknown = `answer ${String(id)}`) => JSON.stringify({ id, response });

function failure(text: string, expectedIds: readonly string[] = ids, maxResponseBytes?: number): InvalidResponsesError {
  try {
    validateResponses(text, 'out/responses.jsonl', expectedIds, { maxResponseBytes });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidResponsesError);
    return error as InvalidResponsesError;
  }
  throw new Error('expected validateResponses to throw');
}

describe('validateResponses', () => {
  it('returns the answers in expected-id order, skipping blank lines', () => {
    const text = [line('2', 'c'), '', line('0', 'a'), line('1', 'b'), ''].join('\n');
    expect(validateResponses(text, 'r.jsonl', ids)).toEqual([
      { id: '0', response: 'a' },
      { id: '1', response: 'b' },
      { id: '2', response: 'c' },
    ]);
  });

  it('accepts numeric ids as their string form and empty answers', () => {
    const text = [line(0, ''), line(1), line(2)].join('\n');
    expect(validateResponses(text, 'r.jsonl', ids).map((r) => r.response)).toEqual(['', 'answer 1', 'answer 2']);
  });

  it('names the non-JSON line', () => {
    const error = failure([line('0'), 'oops, not json', line('1'), line('2')].join('\n'));
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^out\/responses\.jsonl:2: not a JSON object/);
  });

  it('names a line with the wrong shape', () => {
    const error = failure([line('0'), line('1'), JSON.stringify({ id: '2', text: 'x' })].join('\n'));
    expect(error.line).toBe(3);
    expect(error.problem).toContain('response');
  });

  it('names a duplicate id and where it first appeared', () => {
    const error = failure([line('0'), line('1'), line('0'), line('2')].join('\n'));
    expect(error.line).toBe(3);
    expect(error.problem).toContain('first on line 1');
  });

  it('names an extra id', () => {
    const error = failure([line('0'), line('1'), line('2'), line('7')].join('\n'));
    expect(error.line).toBe(4);
    expect(error.problem).toContain('"7"');
  });

  it('lists missing ids for the whole file', () => {
    const many = Array.from({ length: 9 }, (_, i) => String(i));
    const error = failure(line('0'), many);
    expect(error.line).toBeNull();
    expect(error.problem).toContain('8 of 9');
    expect(error.problem).toContain('and 3 more');
  });

  it.each(['', '\n\n  \n'])('rejects an empty file %j', (text) => {
    const error = failure(text);
    expect(error.line).toBeNull();
    expect(error.message).toContain('empty');
  });

  it('rejects an answer over the byte limit, counting UTF-8 bytes', () => {
    const text = [line('0'), line('1', 'é'.repeat(6)), line('2')].join('\n');
    expect(() => validateResponses(text, 'r', ids, { maxResponseBytes: 12 })).not.toThrow();
    const error = failure(text, ids, 11);
    expect(error.line).toBe(2);
    expect(error.problem).toContain('12 bytes');
  });
});
