import { readFile } from 'node:fs/promises';
import { log } from '@temporalio/activity';

/**
 * Reads the numeric fields of a `metrics.json` a program wrote; `null` when the file is absent, not
 * JSON, or not an object (a warning is logged).
 */
export async function readFinalMetrics(path: string): Promise<Record<string, number> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    log.warn('metrics.json is not JSON; ignored', { path });
    return null;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  return Object.fromEntries(Object.entries(json).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
}
