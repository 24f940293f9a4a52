import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { UsageError } from '../core/errors/usage-error.js';

/**
 * Reads a JSON file given on the command line (PandaLM's test set, a verdict file) and validates it,
 * turning a missing file, bad JSON or an unexpected shape into a `UsageError` that names the file and,
 * for a list of items, the item at fault.
 */
export async function readJsonFile<T>(schema: z.ZodType<T>, path: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`${what} ${path} not found`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const [index, ...rest] = issue?.path ?? [];
  const where = typeof index === 'number' ? `item ${index}${rest.length > 0 ? ` (${rest.join('.')})` : ''}` : 'the document';
  throw new UsageError(`${what} ${path} is invalid at ${where}: ${issue?.message ?? 'unexpected shape'}`, "Expected PandaLM's JSON layout (a list of items keyed by idx).");
}
