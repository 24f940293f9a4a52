import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/common';
import { failureTypes } from '../../core/failure-types.js';
import { InvalidResponsesError } from '../../core/jobs/invalid-responses-error.js';
import { decodeResponses, validateResponses, type ResponseLine, type ValidateResponsesOptions } from '../../core/jobs/validate-responses.js';

/**
 * Reads and validates a generation job's `responses.jsonl` (strict UTF-8). A missing or malformed file is a
 * non-retryable `InvalidResponses` failure whose message names the file and line: running the same
 * command again would write the same file.
 */
export async function readResponses(
  path: string,
  expectedIds: readonly string[],
  options: ValidateResponsesOptions = {},
): Promise<ResponseLine[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw ApplicationFailure.create({
      message: `${path}: the generate command wrote no responses file`,
      type: failureTypes.InvalidResponses,
      nonRetryable: true,
    });
  }
  try {
    return validateResponses(decodeResponses(bytes, path), path, expectedIds, options);
  } catch (error) {
    if (!(error instanceof InvalidResponsesError)) throw error;
    throw ApplicationFailure.create({
      message: error.message,
      type: failureTypes.InvalidResponses,
      nonRetryable: true,
      details: [{ file: error.file, line: error.line }],
      cause: error,
    });
  }
}
