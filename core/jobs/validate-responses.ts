import { z } from 'zod';
import { InvalidResponsesError } from './invalid-responses-error.js';

/** Largest accepted answer, in UTF-8 bytes: beyond this a generation run has almost surely looped. */
export const defaultMaxResponseBytes = 64 * 1024;

/** One line of `responses.jsonl`: the evaluation instruction's id and the model's answer. */
export const responseLineSchema = z.object({
  id: z.union([z.string().min(1), z.number().int().nonnegative().transform(String)]),
  response: z.string(),
});
export type ResponseLine = z.infer<typeof responseLineSchema>;

/** Options for {@link validateResponses}. */
export interface ValidateResponsesOptions {
  /** Largest accepted answer in UTF-8 bytes. Defaults to `defaultMaxResponseBytes` (64 KiB). */
  readonly maxResponseBytes?: number;
}

/**
 * Parses and checks a `responses.jsonl` text: one `{"id", "response"}` object per non-blank line, each
 * expected id exactly once and no other. Returns the answers in `expectedIds` order; throws
 * `InvalidResponsesError` naming the first offending line (or the file, for an empty file or missing
 * ids). Numeric ids are accepted and compared as strings.
 */
export function validateResponses(
  text: string,
  file: string,
  expectedIds: readonly string[],
  options: ValidateResponsesOptions = {},
): ResponseLine[] {
  const { maxResponseBytes = defaultMaxResponseBytes } = options;
  const expected = new Set(expectedIds);
  const seen = new Map<string, { line: number; response: string }>();
  const encoder = new TextEncoder();
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new InvalidResponsesError(file, line, `not a JSON object: ${preview(raw)}`);
    }
    const parsed = responseLineSchema.safeParse(json);
    if (!parsed.success) {
      throw new InvalidResponsesError(file, line, `expected {"id": string, "response": string}: ${z.prettifyError(parsed.error)}`);
    }
    const { id, response } = parsed.data;
    if (!expected.has(id)) throw new InvalidResponsesError(file, line, `unknown id ${JSON.stringify(id)} (not an evaluation instruction)`);
    const earlier = seen.get(id);
    if (earlier) throw new InvalidResponsesError(file, line, `duplicate id ${JSON.stringify(id)} (first on line ${earlier.line})`);
    // PostgreSQL text cannot hold U+0000: storing it would fail on every retry instead of failing once, clearly.
    if (response.includes('\u0000')) {
      throw new InvalidResponsesError(file, line, `response for id ${JSON.stringify(id)} contains a NUL character (\\u0000), which cannot be stored`);
    }
    const bytes = encoder.encode(response).length;
    if (bytes > maxResponseBytes) {
      throw new InvalidResponsesError(file, line, `response for id ${JSON.stringify(id)} is ${bytes} bytes, over the ${maxResponseBytes}-byte limit`);
    }
    seen.set(id, { line, response });
  });
  if (seen.size === 0) throw new InvalidResponsesError(file, null, 'no responses (the file is empty)');
  const missing = expectedIds.filter((id) => !seen.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((id) => JSON.stringify(id)).join(', ');
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    throw new InvalidResponsesError(file, null, `${missing.length} of ${expectedIds.length} evaluation ids have no response: ${shown}${more}`);
  }
  return expectedIds.map((id) => ({ id, response: seen.get(id)?.response ?? '' }));
}

/**
 * Decodes the bytes of a `responses.jsonl` as strict UTF-8. Throws `InvalidResponsesError` naming the
 * first line with an invalid byte sequence, rather than letting U+FFFD replacement characters silently
 * change an answer that the judge would then compare.
 */
export function decodeResponses(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end === -1 ? bytes.length : end);
      try {
        decoder.decode(slice);
      } catch {
        throw new InvalidResponsesError(file, line, 'not valid UTF-8 (the generate command must write UTF-8 text)');
      }
      if (end === -1) break;
      start = end + 1;
    }
    // Unreachable in practice: a file whose lines all decode decodes as a whole (newline is ASCII).
    throw new InvalidResponsesError(file, null, 'not valid UTF-8');
  }
}

function preview(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
}
