import { UsageError } from '../core/errors/usage-error.js';
import { joinPredictions, predictionsSchema, type PredictionItem } from '../core/judge-eval/judge-eval-files.js';
import { readJsonFile } from './read-json-file.js';

/**
 * Reads a verdict file given on the command line (`--predictions`) and pairs it with the test set's items
 * it covers, in test-set order; a file that does not fit the test set is a `UsageError` naming both.
 */
export async function readPredictionsFor<T extends { idx: number }>(
  testset: readonly T[],
  testsetPath: string,
  path: string,
): Promise<{ item: T; prediction: PredictionItem }[]> {
  const predictions = await readJsonFile(predictionsSchema, path, 'Predictions file');
  try {
    return joinPredictions(testset, predictions);
  } catch (error) {
    throw new UsageError(`Predictions file ${path} does not fit test set ${testsetPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
