/**
 * Damaged `responses.jsonl` files (issue 7, bad input): truncated mid-line, invalid UTF-8, duplicate or
 * missing ids, answers over the size limit. Each is a non-retryable `InvalidResponses` failure naming
 * the file and, where one line is at fault, the line; a good file still reads exactly.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResponses } from '../../../activities/jobs/read-responses.js';
import { failureTypes } from '../../../core/failure-types.js';
import { InvalidResponsesError } from '../../../core/jobs/invalid-responses-error.js';
import { decodeResponses, defaultMaxResponseBytes } from '../../../core/jobs/validate-responses.js';

const ids = ['q0', 'q1', 'q2', 'q3'];
const lineOf = (id: string, response = `answer to ${id}`) => Buffer.from(`${JSON.stringify({ id, response })}\n`);
const good = () => ids.map((id) => lineOf(id));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-responses-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function failureFor(name: string, lines: readonly Buffer[], maxResponseBytes?: number): Promise<{ file: string; failure: ApplicationFailure }> {
  const file = path.join(dir, `${name}.jsonl`);
  await writeFile(file, Buffer.concat(lines));
  const error = await readResponses(file, ids, maxResponseBytes === undefined ? {} : { maxResponseBytes }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `${name} was accepted`).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  expect(failure.type).toBe(failureTypes.InvalidResponses);
  expect(failure.nonRetryable).toBe(true);
  return { file, failure };
}

describe('readResponses on damaged files', () => {
  it('reads a good file exactly (the baseline the damaged ones are compared with)', async () => {
    const file = path.join(dir, 'good.jsonl');
    await writeFile(file, Buffer.concat(good().reverse()));
    expect(await readResponses(file, ids)).toEqual(ids.map((id) => ({ id, response: `answer to ${id}` })));
  });

  it('a file truncated mid-line names the last line', async () => {
    const lines = good();
    const last = lines[3]!;
    lines[3] = last.subarray(0, Math.floor(last.length / 2));
    const { file, failure } = await failureFor('truncated', lines);
    expect(failure.message).toContain(`${file}:4:`);
    expect(failure.message).toMatch(/not a JSON object/);
  });

  it('invalid UTF-8 names its line instead of passing replacement characters to the judge', async () => {
    const lines = good();
    lines[2] = Buffer.concat([Buffer.from('{"id":"q2","response":"caf'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n')]);
    const { file, failure } = await failureFor('invalid-utf8', lines);
    expect(failure.message).toBe(`${file}:3: not valid UTF-8 (the generate command must write UTF-8 text)`);
    expect(failure.details).toEqual([{ file, line: 3 }]);
  });

  it('valid multi-byte UTF-8 and a byte-order mark are accepted and kept', async () => {
    const file = path.join(dir, 'multibyte.jsonl');
    const texts = ['café ☕', '日本語', '😀 emoji', 'plain'];
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ...ids.map((id, i) => lineOf(id, texts[i]))]));
    expect((await readResponses(file, ids)).map((r) => r.response)).toEqual(texts);
  });

  it('a duplicate id names the repeated line and where the id first appeared', async () => {
    const lines = good();
    lines.splice(2, 0, lineOf('q0', 'second answer'));
    const { file, failure } = await failureFor('duplicate', lines);
    expect(failure.message).toContain(`${file}:3: duplicate id "q0" (first on line 1)`);
  });

  it('missing ids are listed by name', async () => {
    const { file, failure } = await failureFor('missing', good().slice(0, 2));
    expect(failure.message).toBe(`${file}: 2 of 4 evaluation ids have no response: "q2", "q3"`);
  });

  it('an answer over the size limit names its line and size; one at the limit is accepted', async () => {
    const over = good();
    over[1] = lineOf('q1', 'x'.repeat(defaultMaxResponseBytes + 1));
    const { file, failure } = await failureFor('oversize', over);
    expect(failure.message).toContain(`${file}:2: response for id "q1" is ${defaultMaxResponseBytes + 1} bytes, over the ${defaultMaxResponseBytes}-byte limit`);

    const atLimit = good();
    atLimit[1] = lineOf('q1', 'é'.repeat(defaultMaxResponseBytes / 2));
    const fileAtLimit = path.join(dir, 'at-limit.jsonl');
    await writeFile(fileAtLimit, Buffer.concat(atLimit));
    expect((await readResponses(fileAtLimit, ids))[1]!.response).toHaveLength(defaultMaxResponseBytes / 2);
    // Bytes, not characters: the same answer fails under a limit its character count would pass.
    const small = await failureFor('at-limit-smaller', atLimit, defaultMaxResponseBytes - 1);
    expect(small.failure.message).toContain(':2: response for id "q1"');
  });
});

describe('decodeResponses', () => {
  it('names the first line holding an invalid sequence, counting lines by newline bytes', () => {
    const bytes = Buffer.concat([Buffer.from('ok\nok\n\nfine ü\n'), Buffer.from([0x80]), Buffer.from('\n'), Buffer.from([0xff])]);
    const error = (() => {
      try {
        decodeResponses(bytes, 'r.jsonl');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidResponsesError);
    expect((error as InvalidResponsesError).line).toBe(5);
  });

  it('flags a multi-byte sequence cut by the end of the file', () => {
    const bytes = Buffer.concat([Buffer.from('a\n'), Buffer.from('☕').subarray(0, 2)]);
    expect(() => decodeResponses(bytes, 'r.jsonl')).toThrow('r.jsonl:2: not valid UTF-8');
  });
});
